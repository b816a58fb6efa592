namespace GenomeNode.Beacon.Entries;

/// <summary>The entry types of the Beacon v2 default model this node serves.</summary>
public enum EntryType
{
    GenomicVariation,
    Individual,
    Biosample,
    Run,
    Analysis,
    Cohort,
    Dataset,
}

/// <summary>Names of each entry type: in paths, in filter scopes, in schemas and in the entries table.</summary>
public static class EntryTypes
{
    public static IReadOnlyList<EntryType> All { get; } = Enum.GetValues<EntryType>();

    /// <summary>The Beacon entity type (<c>entityType</c>, filter <c>scope</c>): individual, biosample, genomicVariation, ...</summary>
    public static string Name(this EntryType type) => type switch
    {
        EntryType.GenomicVariation => "genomicVariation",
        EntryType.Individual => "individual",
        EntryType.Biosample => "biosample",
        EntryType.Run => "run",
        EntryType.Analysis => "analysis",
        EntryType.Cohort => "cohort",
        EntryType.Dataset => "dataset",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The path segment of the entry type's endpoints under /api.</summary>
    public static string PathSegment(this EntryType type) => type switch
    {
        EntryType.GenomicVariation => "g_variants",
        EntryType.Analysis => "analyses",
        _ => type.Name() + "s",
    };

    /// <summary>
    /// The entry type a filter scope or an entity type names: the model's names (individual, genomicVariation), the
    /// path segments (individuals, g_variants) and the older genomicVariant, in any letter case.
    /// </summary>
    public static bool TryParse(string? text, out EntryType type)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.Name(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, candidate.PathSegment(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        if (string.Equals(text, "genomicVariant", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "genomicVariations", StringComparison.OrdinalIgnoreCase))
        {
            type = EntryType.GenomicVariation;
            return true;
        }

        type = default;
        return false;
    }
}
