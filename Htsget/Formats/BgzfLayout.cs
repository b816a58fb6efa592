namespace GenomeNode.Htsget.Formats;

/// <summary>All blocks of a BGZF file and whether it ends with the EOF marker, as registration records them.</summary>
public sealed record BgzfLayout(IReadOnlyList<BgzfBlock> Blocks, bool EndsWithEofMarker)
{
    /// <summary>Size of the file the blocks tile.</summary>
    public long CompressedLength => Blocks.Count == 0 ? 0 : Blocks[^1].CompressedEnd;

    /// <summary>Size of the data once every block is inflated.</summary>
    public long UncompressedLength => Blocks.Sum(block => (long)block.UncompressedSize);

    /// <summary>Lists every block of the stream (see <see cref="BgzfBlockScanner.Scan"/>) and checks the EOF marker.</summary>
    public static BgzfLayout Read(Stream stream)
    {
        var blocks = BgzfBlockScanner.Scan(stream).ToList();
        var endsWithEof = blocks.Count > 0
            && blocks[^1].CompressedSize == Bgzf.EofMarkerLength
            && Bgzf.EndsWithEofMarker(stream);
        return new BgzfLayout(blocks, endsWithEof);
    }
}
