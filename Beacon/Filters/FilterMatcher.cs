// PLACEHOLDER until the filters branch lands (replaced by it).
using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Filters;

public static class FilterMatcher
{
    public static FilterResult Apply(DatasetEntries entries, EntryType target, IReadOnlyList<Filter> filters, IOntologyTerms ontology)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            return new FilterResult(target == EntryType.GenomicVariation ? null : entries.Of(target), null, []);
        }

        var matching = entries.Of(target == EntryType.GenomicVariation ? EntryType.Individual : target)
            .Where(e => filters.All(f => e.Facts.Terms.Contains(f.Id))).ToList();
        var individuals = matching.Select(e => e.Individual).Where(i => i >= 0).ToHashSet();
        return new FilterResult(target == EntryType.GenomicVariation ? null : matching, individuals, []);
    }
}

/// <summary>PLACEHOLDER: no ontology loaded.</summary>
public sealed class NoOntologyTerms : IOntologyTerms
{
    public IReadOnlySet<string>? SelfAndDescendants(string curie) => null;

    public string? Label(string curie) => null;
}
