using System.Collections.Concurrent;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Store;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Variants;

/// <summary>
/// Each dataset's populations with their members (<see cref="DatasetPopulations"/>), built from its individuals'
/// documents (<see cref="EntryIndex"/>) and its files' samples (<see cref="VariantIndex"/>) and kept while both are the
/// ones those hold: each is read again after every data change, and a new read builds the populations again.
/// </summary>
public sealed class PopulationIndex(EntryIndex entries, VariantIndex variants, IOptions<PopulationOptions> options)
{
    private readonly Lazy<IReadOnlyList<PopulationDefinition>> definitions = new(() => options.Value.Definitions());
    private readonly ConcurrentDictionary<string, Built> built = new(StringComparer.Ordinal);

    /// <summary>The dataset's populations; <paramref name="readFiles"/> reads its files' samples when they are not held.</summary>
    public DatasetPopulations For(string datasetId, Func<string, IReadOnlyList<VariantFileSamples>> readFiles)
    {
        var individuals = entries.For(datasetId);
        var files = variants.FileSamples(datasetId, readFiles);
        if (built.TryGetValue(datasetId, out var held) && ReferenceEquals(held.Entries, individuals) && ReferenceEquals(held.Files, files))
        {
            return held.Populations;
        }

        var populations = DatasetPopulations.Build(definitions.Value, individuals.Individuals, files);
        built[datasetId] = new Built(individuals, files, populations);
        return populations;
    }

    private sealed record Built(DatasetEntries Entries, IReadOnlyList<VariantFileSamples> Files, DatasetPopulations Populations);
}
