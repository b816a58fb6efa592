namespace GenomeNode.Htsget.Formats;

/// <summary>Reads a BAM header (magic BAM\1, l_text, text, n_ref, references) through BGZF, inflating only its blocks.</summary>
public static class BamHeaderReader
{
    private static ReadOnlySpan<byte> Magic => "BAM\u0001"u8;

    public static BamHeader Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var bgzf = new BgzfReadStream(stream, leaveOpen: true);
        var reader = new LittleEndianReader(bgzf, "BAM");
        reader.ExpectMagic(Magic);
        var text = HeaderText.Decode(reader.ReadBytes(reader.ReadCount("header text byte")));
        var referenceCount = reader.ReadCount("reference");
        var references = new List<ReferenceSequence>(LittleEndianReader.Capacity(referenceCount));
        for (var i = 0; i < referenceCount; i++)
        {
            var name = HeaderText.Decode(reader.ReadBytes(reader.ReadCount("reference name byte")));
            references.Add(new ReferenceSequence(name, reader.ReadCount("reference length")));
        }

        return new BamHeader(text, references, bgzf.VirtualPosition);
    }
}
