using DuckDB.NET.Data;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// A dataset's individuals by id, and the sample indexes for new ones, inside the caller's open transaction. Indexes
/// number a dataset's individuals densely from 0 (carrier bitmaps are indexed by them) and come from the dataset's row
/// in <c>beacon.individual_counters</c>, which <see cref="Load"/> claims at once: another transaction adding
/// individuals to the same dataset then fails in DuckDB (a write conflict, or the primary key at commit) instead of
/// handing two people one index.
/// </summary>
internal sealed class DatasetIndividuals
{
    private readonly string datasetId;

    private DatasetIndividuals(string datasetId, int next)
    {
        this.datasetId = datasetId;
        Next = next;
    }

    public Dictionary<string, int> Known { get; } = new(StringComparer.Ordinal);

    public List<(string Id, int Index)> Added { get; } = [];

    /// <summary>The index the next new individual gets.</summary>
    public int Next { get; private set; }

    public static DatasetIndividuals Load(DuckDBConnection connection, string datasetId)
    {
        int next;
        using (var claim = connection.CreateCommand())
        {
            // A no-op update of an existing row still writes a version of it: that is the claim.
            claim.CommandText = """
                INSERT INTO beacon.individual_counters VALUES ($1, 0)
                ON CONFLICT (dataset_id) DO UPDATE SET next_index = individual_counters.next_index
                RETURNING next_index
                """;
            claim.Parameters.Add(new DuckDBParameter(datasetId));
            next = Convert.ToInt32(claim.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var individuals = new DatasetIndividuals(datasetId, next);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, sample_index FROM beacon.individuals WHERE dataset_id = $1";
        command.Parameters.Add(new DuckDBParameter(datasetId));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            individuals.Known[reader.GetString(0)] = reader.GetInt32(1);
        }

        return individuals;
    }

    /// <summary>The individual's index, allocating the next one for an id not seen before.</summary>
    public int IndexOf(string id)
    {
        if (!Known.TryGetValue(id, out var index))
        {
            index = Next++;
            Known[id] = index;
            Added.Add((id, index));
        }

        return index;
    }

    /// <summary>Appends the new individuals (documents NULL) and advances the counter, in the caller's transaction.</summary>
    public void Store(DuckDBConnection connection)
    {
        using (var appender = connection.CreateAppender("beacon", "individuals"))
        {
            foreach (var (id, index) in Added)
            {
                appender.CreateRow().AppendValue(datasetId).AppendValue(index).AppendValue(id).AppendNullValue().EndRow();
            }
        }

        using var advance = connection.CreateCommand();
        advance.CommandText = "UPDATE beacon.individual_counters SET next_index = $2 WHERE dataset_id = $1";
        advance.Parameters.Add(new DuckDBParameter(datasetId));
        advance.Parameters.Add(new DuckDBParameter(Next));
        advance.ExecuteNonQuery();
    }
}
