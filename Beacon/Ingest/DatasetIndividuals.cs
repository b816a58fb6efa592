using DuckDB.NET.Data;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// A dataset's individuals by id, and the sample indexes for new ones, inside the caller's open transaction. Indexes
/// number a dataset's individuals densely from 0 (carrier bitmaps are indexed by them) and come from the dataset's row
/// in <c>beacon.individual_counters</c>, which <see cref="Load"/> claims at once, before the ingest writes anything:
/// another transaction writing the same dataset's files or individuals then fails in DuckDB (a write conflict on the
/// row, or on <c>beacon.counter_creation</c> when both create it) instead of handing two people one index or storing
/// one file twice. This claim is what keeps a dataset's files and individuals consistent: their tables have no keys
/// (migration 0006).
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

    /// <summary>The dataset's counter row, made when the dataset is added, unless an ingest outside the catalog made it.</summary>
    public static void CreateCounter(DuckDBConnection connection, string datasetId)
    {
        using var create = connection.CreateCommand();
        create.CommandText = """
            INSERT INTO beacon.individual_counters
            SELECT $1, 0 WHERE NOT EXISTS (SELECT 1 FROM beacon.individual_counters WHERE dataset_id = $1)
            """;
        create.Parameters.Add(new DuckDBParameter(datasetId));
        create.ExecuteNonQuery();
    }

    public static DatasetIndividuals Load(DuckDBConnection connection, string datasetId)
    {
        // A no-op update of the row still writes a version of it: that is the claim.
        var next = Execute(connection, "UPDATE beacon.individual_counters SET next_index = next_index WHERE dataset_id = $1 RETURNING next_index", datasetId);
        if (next is null)
        {
            // No row yet (a dataset added before migration 0006 and never ingested, or no catalog): the one creation row
            // is claimed first, so that two transactions creating rows conflict instead of both numbering from 0.
            Execute(connection, "UPDATE beacon.counter_creation SET creations = creations + 1 RETURNING creations", null);
            next = Execute(connection, "INSERT INTO beacon.individual_counters VALUES ($1, 0) RETURNING next_index", datasetId);
        }

        var individuals = new DatasetIndividuals(datasetId, next!.Value);
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

    /// <summary>Runs a statement returning at most one integer: that, or null when it returned no row.</summary>
    private static int? Execute(DuckDBConnection connection, string sql, string? parameter)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null)
        {
            command.Parameters.Add(new DuckDBParameter(parameter));
        }

        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var value = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        if (reader.Read())
        {
            throw new InvalidDataException($"beacon.individual_counters holds more than one row for dataset '{parameter}'");
        }

        return value;
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
