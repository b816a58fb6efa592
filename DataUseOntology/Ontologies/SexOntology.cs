namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>
/// The NCIt subset for the sex of individuals shipped with the node (specs/ontologies/ncit_sex.obo, embedded in this
/// assembly): what Beacon filters on sex expand with and label, until an operator loads the full NCIt.
/// </summary>
public static class SexOntology
{
    public const string Prefix = "NCIT";
    public const string ResourceName = "ncit_sex.obo";

    /// <summary>The source an ontology load records for the shipped subset.</summary>
    public const string Source = $"built-in {ResourceName}";

    public static OntologyGraph Parse()
    {
        using var stream = typeof(SexOntology).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(SexOntology).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return OboParser.Parse(reader, ResourceName, Prefix, new HashSet<string>());
    }

    /// <summary>
    /// Loads the shipped subset when no NCIt is loaded, or when the one loaded is an earlier shipped subset; returns
    /// true when it loaded. An NCIt the operator loaded is never replaced.
    /// </summary>
    public static bool EnsureLoaded(OntologyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var current = store.Find(Prefix);
        if (current is not null && current.Source != Source)
        {
            return false;
        }

        var shipped = Parse();
        if (current is not null && current.Version == shipped.Version)
        {
            return false;
        }

        store.Replace(shipped, Source);
        return true;
    }
}
