using GenomeNode.Beacon.Entries;
using GenomeNode.Shared;

namespace GenomeNode.Beacon.Filters;

/// <summary>
/// Applies a request's filters to one dataset's entries (in memory, no database): which entries of the queried type
/// match, and which individuals they restrict to. The semantics are stated in docs/beacon-filters.md.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Filters combine with AND.</item>
/// <item>An ontology filter matches an entry that carries the term or (<c>includeDescendantTerms</c>, the default) a
/// descendant of it in a loaded ontology. A term no loaded ontology knows matches itself only.</item>
/// <item>An alphanumeric filter's id is a field path of the entries' documents; a value at the path must satisfy the
/// operator (for <c>!</c>: no value at the path equals). Ages compare as ISO 8601 durations.</item>
/// <item>A custom filter <c>field:value</c> is the alphanumeric filter <c>field = value</c>.</item>
/// <item>A filter applies to the entry type its scope names; without one, to the queried type when entries of that type
/// carry the term or field, else to the first of individual, biosample, run, analysis whose entries do. Entries of
/// another type than the queried one relate to it through the individual, a run to its biosample, an analysis to its
/// run; cohorts and the dataset's document relate to every entry of the dataset.</item>
/// <item>A term or field neither the dataset nor a loaded ontology knows matches nothing, with a warning naming it.</item>
/// </list>
/// </remarks>
public static class FilterMatcher
{
    /// <summary>Where a filter without scope looks when the queried type does not carry its term or field.</summary>
    private static readonly EntryType[] ScopeOrder = [EntryType.Individual, EntryType.Biosample, EntryType.Run, EntryType.Analysis];

    /// <summary>
    /// The entries of <paramref name="target"/> that every filter selects (null for genomic variations) and their
    /// individuals; for genomic variations, the individuals (sample indexes) every filter selects, whom the variants'
    /// carriers must be among. Without filters: every entry of the type, and no restriction of individuals (null).
    /// </summary>
    public static FilterResult Apply(DatasetEntries entries, EntryType target, IReadOnlyList<Filter> filters, IOntologyTerms ontology)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(ontology);
        if (filters.Count == 0)
        {
            return new FilterResult(target == EntryType.GenomicVariation ? null : entries.Of(target), null, []);
        }

        var facts = DatasetFacts.Of(entries);
        var warnings = new List<string>();
        var variants = target == EntryType.GenomicVariation;
        HashSet<Entry>? kept = variants ? null : new(entries.Of(target), ReferenceEqualityComparer.Instance);
        HashSet<int>? individuals = variants ? [.. facts.AllIndividuals] : null;
        foreach (var filter in filters)
        {
            var condition = ConditionOf(filter, facts, ontology, warnings);
            if (filter.Scope == EntryType.GenomicVariation)
            {
                warnings.Add($"filter '{Shown(filter.Id)}' has scope genomicVariation: this beacon selects genomic variations by their request parameters, not by filters");
                condition = null;
            }

            if ((kept?.Count ?? individuals!.Count) == 0)
            {
                continue; // nothing left to select; the remaining filters are still read for their warnings
            }

            var scope = condition is null ? null : filter.Scope ?? ScopeOf(condition, facts, target);
            List<Entry> matching = scope is { } type ? [.. entries.Of(type).Where(condition!.Matches)] : [];
            if (variants)
            {
                individuals!.IntersectWith(IndividualsOf(matching, scope, facts));
            }
            else
            {
                kept!.IntersectWith(Related(matching, scope, target, facts));
            }
        }

        if (variants)
        {
            return new FilterResult(null, individuals, Distinct(warnings));
        }

        List<Entry> selected = [.. entries.Of(target).Where(kept!.Contains)];
        return new FilterResult(selected, IndividualsOf(selected, target, facts), Distinct(warnings));
    }

    /// <summary>
    /// The warnings that every dataset's result gives: a term one dataset lacks but another holds is known to the
    /// beacon, so a request over several datasets reports only what none of them (and no ontology) knows.
    /// </summary>
    public static IReadOnlyList<string> WarningsOfAll(IReadOnlyList<FilterResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return [];
        }

        IEnumerable<string> common = results[0].Warnings;
        foreach (var result in results.Skip(1))
        {
            common = common.Intersect(result.Warnings, StringComparer.Ordinal);
        }

        return [.. common];
    }

    /// <summary>The condition the filter sets in this dataset; null (with a warning) when its term or field is unknown.</summary>
    private static FilterCondition? ConditionOf(Filter filter, DatasetFacts facts, IOntologyTerms ontology, List<string> warnings)
    {
        switch (filter)
        {
            case OntologyFilter term:
                var expanded = ontology.SelfAndDescendants(term.Id);
                if (expanded is not null || facts.HasTerm(term.Id))
                {
                    return new TermCondition(term.IncludeDescendantTerms && expanded is not null ? expanded : new HashSet<string>(StringComparer.Ordinal) { term.Id });
                }

                // Not a term anyone knows; "sex.label:female" is also a CURIE by its form, and a custom filter by meaning.
                return CustomCondition(term.Id, facts) ?? Unknown(warnings, $"filter '{Shown(term.Id)}' is not a term this beacon knows; see /api/filtering_terms");
            case AlphanumericFilter field:
                return FieldCondition.Resolve(facts, field.Id) is { } paths
                    ? new FieldCondition(paths, field.Operator, field.Value)
                    : Unknown(warnings, $"filter '{Shown(field.Id)}' is not a field this beacon knows; see /api/filtering_terms");
            case CustomFilter custom:
                return CustomCondition(custom.Id, facts) ?? Unknown(warnings, $"filter '{Shown(custom.Id)}' is not a term this beacon knows; see /api/filtering_terms");
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter.GetType().Name, "not a kind of filter");
        }
    }

    /// <summary>A custom term <c>field:value</c> as <c>field = value</c>; null when it has no such form or the dataset no such field.</summary>
    private static FieldCondition? CustomCondition(string id, DatasetFacts facts)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == id.Length - 1)
        {
            return null;
        }

        return FieldCondition.Resolve(facts, id[..colon].Trim()) is { } paths ? new FieldCondition(paths, FilterOperator.Equal, id[(colon + 1)..].Trim()) : null;
    }

    private static FilterCondition? Unknown(List<string> warnings, string warning)
    {
        warnings.Add(warning);
        return null;
    }

    /// <summary>The queried type when its entries carry the term or field, else the first of <see cref="ScopeOrder"/> whose entries do.</summary>
    private static EntryType? ScopeOf(FilterCondition condition, DatasetFacts facts, EntryType target)
    {
        if (target != EntryType.GenomicVariation && condition.OccursIn(facts, target))
        {
            return target;
        }

        foreach (var type in ScopeOrder)
        {
            if (condition.OccursIn(facts, type))
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>The entries of <paramref name="target"/> related to at least one of <paramref name="matching"/> (of type <paramref name="scope"/>).</summary>
    private static IEnumerable<Entry> Related(List<Entry> matching, EntryType? scope, EntryType target, DatasetFacts facts)
    {
        var candidates = facts.Entries.Of(target);
        if (matching.Count == 0 || scope is not { } source)
        {
            return [];
        }

        if (source == target)
        {
            return matching;
        }

        if (target is EntryType.Cohort or EntryType.Dataset || source is EntryType.Cohort or EntryType.Dataset)
        {
            // A cohort (the dataset's document) covers every entry of its dataset.
            return candidates;
        }

        if (target == EntryType.Individual || source == EntryType.Individual)
        {
            var people = IndividualsOf(matching, source, facts);
            return candidates.Where(entry => people.Contains(facts.IndividualOf(entry)));
        }

        return RelatedByLinks(matching, candidates, facts);
    }

    /// <summary>
    /// Biosamples, runs and analyses related by the most specific link both sides have: the same run (a run and its
    /// analyses), else the same biosample, else the same individual.
    /// </summary>
    private static IEnumerable<Entry> RelatedByLinks(List<Entry> matching, IReadOnlyList<Entry> candidates, DatasetFacts facts)
    {
        var groups = matching
            .GroupBy(entry => (HasRun: DatasetFacts.RunOf(entry) is not null, HasBiosample: facts.BiosampleOf(entry) is not null))
            .Select(group => (
                group.Key.HasRun,
                group.Key.HasBiosample,
                Runs: group.Select(DatasetFacts.RunOf).OfType<string>().ToHashSet(StringComparer.Ordinal),
                Biosamples: group.Select(facts.BiosampleOf).OfType<string>().ToHashSet(StringComparer.Ordinal),
                Individuals: group.Select(facts.IndividualOf).Where(index => index >= 0).ToHashSet()))
            .ToList();
        return candidates.Where(entry =>
        {
            var run = DatasetFacts.RunOf(entry);
            var biosample = facts.BiosampleOf(entry);
            var individual = facts.IndividualOf(entry);
            foreach (var group in groups)
            {
                var related = run is not null && group.HasRun ? group.Runs.Contains(run)
                    : biosample is not null && group.HasBiosample ? group.Biosamples.Contains(biosample)
                    : individual >= 0 && group.Individuals.Contains(individual);
                if (related)
                {
                    return true;
                }
            }

            return false;
        });
    }

    /// <summary>The individuals (sample indexes) entries of one type belong to; a cohort or dataset document covers them all.</summary>
    private static HashSet<int> IndividualsOf(List<Entry> entries, EntryType? type, DatasetFacts facts)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        if (type is EntryType.Cohort or EntryType.Dataset)
        {
            return [.. facts.AllIndividuals];
        }

        return entries.Select(facts.IndividualOf).Where(index => index >= 0).ToHashSet();
    }

    private static List<string> Distinct(List<string> warnings) => [.. warnings.Distinct(StringComparer.Ordinal)];

    private static string Shown(string id) => UnicodeText.Shorten(id, 100);
}
