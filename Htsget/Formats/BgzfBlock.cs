namespace GenomeNode.Htsget.Formats;

/// <summary>Where one BGZF block lies in the file and how many bytes it inflates to.</summary>
public readonly record struct BgzfBlock(long CompressedOffset, int CompressedSize, int UncompressedSize)
{
    /// <summary>Offset of the byte after the block, where the next block starts.</summary>
    public long CompressedEnd => CompressedOffset + CompressedSize;

    /// <summary>An empty block, such as the EOF marker; it holds no data a reader could point into.</summary>
    public bool IsEmpty => UncompressedSize == 0;
}
