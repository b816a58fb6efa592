namespace GenomeNode.Htsget.Formats;

/// <summary>A run of records in a BGZF file, from the virtual offset of the first to just past the last.</summary>
public readonly record struct Chunk(VirtualOffset Start, VirtualOffset End)
{
    public override string ToString() => $"{Start}-{End}";
}
