namespace GenomeNode.Htsget.Formats;

/// <summary>A CRAM container's place in the file: its header starts at <see cref="Offset"/>, its blocks follow.</summary>
public sealed record CramContainer(long Offset, int HeaderLength, CramContainerHeader Header)
{
    /// <summary>Header and blocks together.</summary>
    public long Length => HeaderLength + (long)Header.Length;

    /// <summary>Offset of the byte after the container, where the next one starts.</summary>
    public long End => Offset + Length;

    public bool IsEof => Header.IsEof;
}
