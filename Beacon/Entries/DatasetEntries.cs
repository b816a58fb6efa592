using System.Text.Json;

namespace GenomeNode.Beacon.Entries;

/// <summary>
/// One entry of a dataset: its id, type, links and document, and the facts filters ask of it. Individuals are numbered
/// by their sample index (the index carrier lists and bitmaps use); every other entry links to its individual by that
/// number (-1 when it names none).
/// </summary>
/// <param name="Document">the entry as the Beacon model has it (UTF-8 JSON); null for an individual known only as a VCF sample</param>
public sealed record Entry(
    EntryType Type, string Id, int Individual, string? BiosampleId, string? RunId, ReadOnlyMemory<byte>? Document, EntryFacts Facts)
{
    /// <summary>An entry with the facts of its document.</summary>
    public static Entry Of(EntryType type, string id, int individual, string? biosampleId, string? runId, string? document)
    {
        if (document is null)
        {
            return new Entry(type, id, individual, biosampleId, runId, null, EntryFacts.None);
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(document);
        using var parsed = JsonDocument.Parse(bytes);
        return new Entry(type, id, individual, biosampleId, runId, bytes, EntryFacts.From(parsed.RootElement));
    }
}

/// <summary>
/// A dataset's entries of every type but variants, held in memory (<see cref="EntryIndex"/>): individuals by sample
/// index (null where an index was never used), and the others in id order.
/// </summary>
public sealed class DatasetEntries
{
    private readonly Dictionary<EntryType, IReadOnlyList<Entry>> byType;
    private readonly Dictionary<(EntryType, string), Entry> byId = [];

    public DatasetEntries(string datasetId, IReadOnlyList<Entry?> individuals, IEnumerable<Entry> others)
    {
        ArgumentNullException.ThrowIfNull(individuals);
        ArgumentNullException.ThrowIfNull(others);
        DatasetId = datasetId;
        Individuals = individuals;
        byType = others.GroupBy(e => e.Type)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Entry>)g.OrderBy(e => e.Id, StringComparer.Ordinal).ToList());
        byType[EntryType.Individual] = individuals.OfType<Entry>().OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        foreach (var list in byType.Values)
        {
            foreach (var entry in list)
            {
                byId[(entry.Type, entry.Id)] = entry;
            }
        }
    }

    public string DatasetId { get; }

    /// <summary>Individuals by sample index; an index without an individual is null.</summary>
    public IReadOnlyList<Entry?> Individuals { get; }

    /// <summary>The entries of one type in id order (individuals too).</summary>
    public IReadOnlyList<Entry> Of(EntryType type) => byType.TryGetValue(type, out var list) ? list : [];

    public Entry? Find(EntryType type, string id) => byId.GetValueOrDefault((type, id));

    /// <summary>The dataset's own document (datasets.json of an import), if any.</summary>
    public Entry? DatasetDocument => Of(EntryType.Dataset) is [var first, ..] ? first : null;
}
