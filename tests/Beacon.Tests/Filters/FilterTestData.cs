using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;
using GenomeNode.DataUseOntology.Ontologies;

namespace GenomeNode.Beacon.Tests.Filters;

/// <summary>Builds a dataset's entries from Beacon v2 JSON documents, as an import stores them.</summary>
internal sealed class EntriesBuilder
{
    private readonly List<Entry?> individuals = [];
    private readonly Dictionary<string, int> indexes = new(StringComparer.Ordinal);
    private readonly List<Entry> others = [];

    /// <summary>An individual with its document (null: known only as a VCF sample), numbered in the order added.</summary>
    public EntriesBuilder Individual(string id, string? document)
    {
        indexes[id] = individuals.Count;
        individuals.Add(Entry.Of(EntryType.Individual, id, individuals.Count, null, null, document));
        return this;
    }

    public EntriesBuilder Add(EntryType type, string id, string document, string? individualId = null, string? biosampleId = null, string? runId = null)
    {
        others.Add(Entry.Of(type, id, individualId is null ? -1 : indexes[individualId], biosampleId, runId, document));
        return this;
    }

    public int IndexOf(string individualId) => indexes[individualId];

    public DatasetEntries Build(string datasetId = "ds") => new(datasetId, individuals, others);
}

/// <summary>
/// <see cref="IOntologyTerms"/> over ontology files read by the node's own parser (OntologyFiles) and closed with its
/// own closure (OntologyGraph.TransitiveClosure): the store's answers, without a database.
/// </summary>
internal sealed class ParsedOntologies : IOntologyTerms
{
    private readonly Dictionary<string, HashSet<string>> descendants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> labels = new(StringComparer.Ordinal);

    public ParsedOntologies(params string[] files)
    {
        foreach (var file in files)
        {
            var graph = OntologyFiles.Parse(SpecOntology(file), null, new HashSet<string>());
            foreach (var term in graph.Terms)
            {
                labels[term.Id] = term.Label;
            }

            foreach (var (descendant, ancestor, _) in graph.TransitiveClosure())
            {
                if (!descendants.TryGetValue(ancestor, out var set))
                {
                    descendants[ancestor] = set = new(StringComparer.Ordinal);
                }

                set.Add(descendant);
            }
        }
    }

    public static string SpecOntology(string file) => Path.Combine(AppContext.BaseDirectory, "specs", "ontologies", file);

    public IReadOnlySet<string>? SelfAndDescendants(string curie) => descendants.GetValueOrDefault(curie);

    public string? Label(string curie) => labels.GetValueOrDefault(curie);
}
