using System.Runtime.CompilerServices;
using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Filters;

/// <summary>
/// What filters need to know of one dataset's entries as a whole, derived once per <see cref="DatasetEntries"/> (which
/// never changes; a changed dataset is a new instance, so what is derived of the old one goes with it): the terms and
/// field paths of each entry type, and the links between entries (biosample of a run, individual of an analysis, ...).
/// </summary>
internal sealed class DatasetFacts
{
    private static readonly ConditionalWeakTable<DatasetEntries, DatasetFacts> Derived = [];

    private static readonly EntryType[] Types =
        [EntryType.Individual, EntryType.Biosample, EntryType.Run, EntryType.Analysis, EntryType.Cohort, EntryType.Dataset];

    private readonly Dictionary<EntryType, HashSet<string>> termsByType = [];
    private readonly Dictionary<EntryType, HashSet<string>> fieldsByType = [];
    private readonly Dictionary<string, Entry> biosamples;
    private readonly Dictionary<string, Entry> runs;

    private DatasetFacts(DatasetEntries entries)
    {
        Entries = entries;
        foreach (var type in Types)
        {
            var terms = new HashSet<string>(StringComparer.Ordinal);
            var fields = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries.Of(type))
            {
                terms.UnionWith(entry.Facts.Terms);
                foreach (var (path, _) in entry.Facts.Values)
                {
                    fields.Add(FieldPaths.Normalise(path));
                }
            }

            termsByType[type] = terms;
            fieldsByType[type] = fields;
        }

        biosamples = entries.Of(EntryType.Biosample).ToDictionary(e => e.Id, StringComparer.Ordinal);
        runs = entries.Of(EntryType.Run).ToDictionary(e => e.Id, StringComparer.Ordinal);
        AllIndividuals = entries.Individuals.OfType<Entry>().Select(e => e.Individual).ToHashSet();
    }

    public static DatasetFacts Of(DatasetEntries entries) => Derived.GetValue(entries, static e => new DatasetFacts(e));

    public DatasetEntries Entries { get; }

    /// <summary>The sample index of every individual of the dataset (documented or known only as a VCF sample).</summary>
    public IReadOnlySet<int> AllIndividuals { get; }

    /// <summary>The ontology terms entries of this type carry.</summary>
    public IReadOnlySet<string> TermsOf(EntryType type) => termsByType.TryGetValue(type, out var terms) ? terms : EmptySet;

    /// <summary>The field paths (normalised, <see cref="FieldPaths.Normalise"/>) entries of this type have values at.</summary>
    public IReadOnlySet<string> FieldsOf(EntryType type) => fieldsByType.TryGetValue(type, out var fields) ? fields : EmptySet;

    /// <summary>Whether some entry of any type carries the term.</summary>
    public bool HasTerm(string term) => termsByType.Values.Any(terms => terms.Contains(term));

    /// <summary>Whether some entry of any type has a value at the (normalised) path.</summary>
    public bool HasField(string path) => fieldsByType.Values.Any(fields => fields.Contains(path));

    /// <summary>
    /// The individual (sample index) an entry belongs to, following its links when it names none itself (a run through
    /// its biosample, an analysis through its run or biosample); -1 when none. Cohorts and datasets have none: they
    /// relate to every individual.
    /// </summary>
    public int IndividualOf(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Individual >= 0 || entry.Type is EntryType.Individual or EntryType.Cohort or EntryType.Dataset)
        {
            return entry.Individual;
        }

        if (BiosampleOf(entry) is { } biosample && biosamples.TryGetValue(biosample, out var sample) && sample.Individual >= 0)
        {
            return sample.Individual;
        }

        return entry.Type == EntryType.Analysis && entry.RunId is { } run && runs.TryGetValue(run, out var linked) ? linked.Individual : -1;
    }

    /// <summary>The biosample an entry is of: a biosample itself, a run's, an analysis's own or its run's; else null.</summary>
    public string? BiosampleOf(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Type switch
        {
            EntryType.Biosample => entry.Id,
            EntryType.Run => entry.BiosampleId,
            EntryType.Analysis => entry.BiosampleId ?? (entry.RunId is { } run && runs.TryGetValue(run, out var linked) ? linked.BiosampleId : null),
            _ => null,
        };
    }

    /// <summary>The run an entry is of: a run itself, an analysis's; else null.</summary>
    public static string? RunOf(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Type switch
        {
            EntryType.Run => entry.Id,
            EntryType.Analysis => entry.RunId,
            _ => null,
        };
    }

    private static readonly HashSet<string> EmptySet = [];
}

/// <summary>Field paths as filters name them and as <see cref="EntryFacts"/> records them.</summary>
public static class FieldPaths
{
    private const string AgeLevel = "age.iso8601duration";

    /// <summary>
    /// The path with Phenopackets' <c>age</c> level left out before <c>iso8601duration</c>: Beacon's TimeElement is the
    /// Age itself (<c>ageOfOnset.iso8601duration</c>) while Phenopackets (and many Beacon exports) wrap it
    /// (<c>ageOfOnset.age.iso8601duration</c>). Both name one field.
    /// </summary>
    public static string Normalise(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.Contains(AgeLevel, StringComparison.Ordinal))
        {
            return path;
        }

        var segments = path.Split('.');
        var kept = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] == "age" && i + 1 < segments.Length && segments[i + 1] == "iso8601duration")
            {
                continue;
            }

            kept.Add(segments[i]);
        }

        return string.Join('.', kept);
    }
}
