using GenomeNode.Beacon.Requests;

namespace GenomeNode.Beacon.Privacy;

/// <summary>The shapes of a Beacon query that privacy rules allow or refuse per tier and caller.</summary>
public enum QueryKind
{
    /// <summary>One exact allele: a sequence query naming its alternate bases, or a variant id.</summary>
    Sequence,

    /// <summary>An allele named by genomic HGVS.</summary>
    Hgvs,

    /// <summary>Every allele overlapping a window (also a sequence query that names no alternate bases, or only a type).</summary>
    Range,

    /// <summary>Every allele starting and ending within brackets.</summary>
    Bracket,

    /// <summary>Every allele annotated with a gene.</summary>
    Gene,

    /// <summary>Filters (ontology, alphanumeric, custom) on an entry type.</summary>
    Filters,
}

public static class QueryKinds
{
    public static IReadOnlyList<QueryKind> All { get; } = Enum.GetValues<QueryKind>();

    /// <summary>
    /// The kind of a variant query. A sequence query that names no alternate bases, or names a variant type instead,
    /// asks whatever varies at a position: what a one-base range asks, and so it is a range.
    /// </summary>
    public static QueryKind Of(VariantQuery query) => query switch
    {
        SequenceQuery { Alternate: not null, VariantTypes: null } => QueryKind.Sequence,
        SequenceQuery => QueryKind.Range,
        VariantIdQuery => QueryKind.Sequence,
        GenomicAlleleQuery => QueryKind.Hgvs,
        RangeQuery => QueryKind.Range,
        BracketQuery => QueryKind.Bracket,
        GeneQuery => QueryKind.Gene,
        _ => throw new ArgumentOutOfRangeException(nameof(query), query?.GetType().Name, "a query kind without a privacy shape"),
    };

    public static string ToName(this QueryKind kind) => kind switch
    {
        QueryKind.Sequence => "sequence",
        QueryKind.Hgvs => "hgvs",
        QueryKind.Range => "range",
        QueryKind.Bracket => "bracket",
        QueryKind.Gene => "gene",
        _ => "filters",
    };

    /// <summary>Reads a kind's name, ignoring letter case.</summary>
    public static bool TryParse(string? text, out QueryKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToName(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
