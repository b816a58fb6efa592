namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>The Data Use Ontology shipped with the node (specs/duo/duo.owl, embedded in this assembly).</summary>
public static class DuoOntology
{
    public const string Prefix = "DUO";
    public const string ResourceName = "duo.owl";

    public static OntologyGraph Parse()
    {
        using var stream = Open();
        return OwlParser.Parse(stream, ResourceName, Prefix);
    }

    /// <summary>
    /// Loads the shipped DUO unless the same release is already loaded; returns true when it loaded. Every command
    /// runs this at start-up, so the shipped release is compared by its version alone (a few lines of XML) and the
    /// whole ontology parsed only when it is to be loaded.
    /// </summary>
    public static bool EnsureLoaded(OntologyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? shippedVersion;
        using (var stream = Open())
        {
            shippedVersion = OwlParser.ReadVersion(stream);
        }

        if (shippedVersion is not null && store.Find(Prefix) is { } loaded && loaded.Version == shippedVersion)
        {
            return false;
        }

        var shipped = Parse();
        if (store.Find(Prefix) is { } current && current.Version == shipped.Version)
        {
            return false;
        }

        store.Replace(shipped, $"built-in {ResourceName}");
        return true;
    }

    private static Stream Open() =>
        typeof(DuoOntology).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(DuoOntology).Assembly.GetName().Name}");
}
