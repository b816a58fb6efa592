namespace GenomeNode.Htsget.Formats;

/// <summary>Reads a BAI, CSI or TBI index, telling which from its magic rather than from a file name.</summary>
public static class BinningIndexReader
{
    public static BinningIndex Read(Stream stream) =>
        IndexStreams.Read(stream, "index", reader =>
        {
            var magic = reader.ReadBytes(4);
            if (magic.AsSpan().SequenceEqual(BaiReader.Magic))
            {
                return BaiReader.ReadAfterMagic(reader);
            }

            if (magic.AsSpan().SequenceEqual(CsiReader.Magic))
            {
                return CsiReader.ReadAfterMagic(reader);
            }

            if (magic.AsSpan().SequenceEqual(TbiReader.Magic))
            {
                return TbiReader.ReadAfterMagic(reader);
            }

            throw reader.Error("not a BAI, CSI or TBI index: unknown magic", 0);
        });
}
