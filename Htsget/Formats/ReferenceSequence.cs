namespace GenomeNode.Htsget.Formats;

/// <summary>A reference sequence as a data file's header declares it; its position in the list is its reference id.</summary>
public sealed record ReferenceSequence(string Name, long Length);
