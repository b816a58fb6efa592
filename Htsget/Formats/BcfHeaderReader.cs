namespace GenomeNode.Htsget.Formats;

/// <summary>Reads a BCF header (magic BCF\2\2, l_text, NUL-terminated VCF header text) through BGZF.</summary>
public static class BcfHeaderReader
{
    private const byte MajorVersion = 2;

    public static VcfHeader Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var bgzf = new BgzfReadStream(stream, leaveOpen: true);
        var reader = new LittleEndianReader(bgzf, "BCF");
        var magic = reader.ReadBytes(5);
        if (!magic.AsSpan(0, 3).SequenceEqual("BCF"u8) || magic[3] != MajorVersion)
        {
            throw reader.Error("not a BCF 2 file: wrong magic", 0);
        }

        var text = HeaderText.Decode(reader.ReadBytes(reader.ReadCount("header text byte")));
        return new VcfHeader(text, VcfContigLines.Parse(text), bgzf.VirtualPosition)
        {
            BcfVersion = new Version(magic[3], magic[4]),
        };
    }
}
