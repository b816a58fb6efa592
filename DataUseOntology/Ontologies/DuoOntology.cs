namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>The Data Use Ontology shipped with the node (specs/duo/duo.owl, embedded in this assembly).</summary>
public static class DuoOntology
{
    public const string Prefix = "DUO";
    public const string ResourceName = "duo.owl";

    public static OntologyGraph Parse()
    {
        using var stream = typeof(DuoOntology).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(DuoOntology).Assembly.GetName().Name}");
        return OwlParser.Parse(stream, ResourceName, Prefix);
    }

    /// <summary>Loads the shipped DUO unless the same release is already loaded; returns true when it loaded.</summary>
    public static bool EnsureLoaded(OntologyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var shipped = Parse();
        if (store.Find(Prefix) is { } loaded && loaded.Version == shipped.Version)
        {
            return false;
        }

        store.Replace(shipped, $"built-in {ResourceName}");
        return true;
    }
}
