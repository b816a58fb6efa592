namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The container list of a CRAM file, as registration records it: the first container holds the SAM header, the
/// last should be the EOF container, the ones between hold the records.
/// </summary>
public sealed record CramLayout(CramFileDefinition FileDefinition, IReadOnlyList<CramContainer> Containers)
{
    /// <summary>The container holding the SAM header text, or null for a file with no container.</summary>
    public CramContainer? HeaderContainer => Containers.Count > 0 ? Containers[0] : null;

    /// <summary>True when the file ends with the EOF container (required since CRAM 3, optional in 2.1).</summary>
    public bool EndsWithEofContainer => Containers.Count > 1 && Containers[^1].IsEof;

    /// <summary>Containers that hold records: all but the header container and the EOF container.</summary>
    public IEnumerable<CramContainer> DataContainers => Containers.Skip(1).Where(container => !container.IsEof);

    public static CramLayout Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Position = 0;
        var definition = CramFileDefinition.Read(stream);
        return new CramLayout(definition, CramContainerScanner.Scan(stream, definition).ToList());
    }
}
