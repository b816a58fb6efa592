namespace GenomeNode.Htsget.Formats;

/// <summary>Opens an index stream for reading, inflating it when it is BGZF-compressed as CSI and TBI files are.</summary>
internal static class IndexStreams
{
    public static BinningIndex Read(Stream stream, string fileKind, Func<LittleEndianReader, BinningIndex> read)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !Bgzf.StartsWithGzipMagic(stream))
        {
            return read(new LittleEndianReader(stream, fileKind));
        }

        using var inflated = new BgzfReadStream(stream, leaveOpen: true);
        return read(new LittleEndianReader(inflated, fileKind));
    }
}
