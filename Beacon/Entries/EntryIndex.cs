using DuckDB.NET.Data;
using GenomeNode.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Entries;

/// <summary>
/// Every dataset's entries (individuals, biosamples, runs, analyses, cohorts, its own document) held in memory, read
/// from the database once per dataset and dropped by every committed change (<c>BeaconDatasetData</c>): entry and
/// filter queries then read no table.
/// </summary>
public sealed class EntryIndex(IServiceScopeFactory scopes)
{
    private readonly HeldUntilChange<string, DatasetEntries> held = new(StringComparer.Ordinal);

    /// <summary>The dataset's entries (empty when it has none).</summary>
    public DatasetEntries For(string datasetId) => held.Get(datasetId, id =>
    {
        using var scope = scopes.CreateScope();
        return Read(scope.ServiceProvider.GetRequiredService<DuckDBConnection>(), id);
    });

    /// <summary>Drops what is held; the next query reads again.</summary>
    public void Invalidate() => held.Invalidate();

    /// <summary>A dataset's entries as the tables hold them now.</summary>
    public static DatasetEntries Read(DuckDBConnection connection, string datasetId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var individuals = new List<Entry?>();
        var indexById = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, id, document) in connection.Read(
                     "SELECT sample_index, id, document FROM beacon.individuals WHERE dataset_id = $1 ORDER BY sample_index",
                     r => (r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)), datasetId))
        {
            while (individuals.Count < index)
            {
                individuals.Add(null);
            }

            individuals.Add(Entry.Of(EntryType.Individual, id, index, null, null, document));
            indexById[id] = index;
        }

        var others = connection.Read(
            "SELECT entry_type, id, individual_id, biosample_id, run_id, document FROM beacon.entries WHERE dataset_id = $1",
            r =>
            {
                var type = r.GetString(0) switch
                {
                    "biosample" => EntryType.Biosample,
                    "run" => EntryType.Run,
                    "analysis" => EntryType.Analysis,
                    "cohort" => EntryType.Cohort,
                    "dataset" => EntryType.Dataset,
                    var other => throw new InvalidDataException($"beacon.entries holds an unknown entry type '{other}'"),
                };
                var individual = r.IsDBNull(2) ? -1 : indexById.GetValueOrDefault(r.GetString(2), -1);
                return Entry.Of(type, r.GetString(1), individual, r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                    r.GetString(5));
            },
            datasetId);
        return new DatasetEntries(datasetId, individuals, others);
    }
}
