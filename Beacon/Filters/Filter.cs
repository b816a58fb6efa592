using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Filters;

/// <summary>
/// A Beacon v2 filter as read from a request: ontology, alphanumeric or custom. <see cref="Scope"/> is the entry type
/// it applies to when the request names one (null: the beacon decides; see <see cref="FilterMatcher"/>).
/// </summary>
public abstract record Filter(string Id, EntryType? Scope);

/// <summary>An ontology term (CURIE), with its descendants unless the request says <c>includeDescendantTerms: false</c>.</summary>
public sealed record OntologyFilter(string Id, EntryType? Scope, bool IncludeDescendantTerms = true) : Filter(Id, Scope);

/// <summary>A field (<see cref="Filter.Id"/>, a path such as <c>diseases.ageOfOnset.iso8601duration</c>) compared with a value.</summary>
public sealed record AlphanumericFilter(string Id, EntryType? Scope, FilterOperator Operator, string Value) : Filter(Id, Scope);

/// <summary>A term this beacon defines (listed by /api/filtering_terms with type custom).</summary>
public sealed record CustomFilter(string Id, EntryType? Scope) : Filter(Id, Scope);

/// <summary>The operators of alphanumeric filters: =, !, &lt;, &gt;, &lt;=, &gt;=.</summary>
public enum FilterOperator
{
    Equal,
    NotEqual,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
}

/// <summary>The ontology terms filters expand: a term with its descendants, and labels. Implemented over the loaded ontologies.</summary>
public interface IOntologyTerms
{
    /// <summary>The term and every term below it (is_a closure); null when no loaded ontology knows the term.</summary>
    IReadOnlySet<string>? SelfAndDescendants(string curie);

    /// <summary>The term's label, or null.</summary>
    string? Label(string curie);
}

/// <summary>
/// What a request's filters select in one dataset: the matching entries of the queried type (null when the query is on
/// genomic variations), the individuals (sample indexes) they restrict to (null when no filter restricts individuals),
/// and a warning per filter the beacon could not apply (an unknown term), which the response reports.
/// </summary>
public sealed record FilterResult(IReadOnlyList<Entry>? Entries, IReadOnlySet<int>? Individuals, IReadOnlyList<string> Warnings);
