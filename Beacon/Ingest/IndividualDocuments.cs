using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Attaches Beacon individual documents (a JSON array of objects with an <c>id</c>, as the demo's individuals.json)
/// to a dataset's individuals: matched by id to the samples of its VCFs; an individual without a sample is added.
/// </summary>
public sealed class IndividualDocuments(DuckDBConnection connection)
{
    /// <summary>Stores the documents in one transaction; returns how many were attached.</summary>
    public int Attach(string datasetId, string jsonArray)
    {
        using var document = JsonDocument.Parse(jsonArray);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new VcfIngestException("individual documents must be a JSON array of objects with an id");
        }

        using var transaction = connection.BeginTransaction();
        var next = NextIndex(datasetId);
        var attached = 0;
        foreach (var individual in document.RootElement.EnumerateArray())
        {
            if (individual.ValueKind != JsonValueKind.Object || !individual.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new VcfIngestException($"individual document {attached + 1} has no string id");
            }

            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE beacon.individuals SET document = $3 WHERE dataset_id = $1 AND id = $2";
            update.Parameters.Add(new DuckDBParameter(datasetId));
            update.Parameters.Add(new DuckDBParameter(id.GetString()!));
            update.Parameters.Add(new DuckDBParameter(individual.GetRawText()));
            if (update.ExecuteNonQuery() == 0)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO beacon.individuals (dataset_id, sample_index, id, document) VALUES ($1, $2, $3, $4)";
                insert.Parameters.Add(new DuckDBParameter(datasetId));
                insert.Parameters.Add(new DuckDBParameter(next++));
                insert.Parameters.Add(new DuckDBParameter(id.GetString()!));
                insert.Parameters.Add(new DuckDBParameter(individual.GetRawText()));
                insert.ExecuteNonQuery();
            }

            attached++;
        }

        transaction.Commit();
        return attached;
    }

    private int NextIndex(string datasetId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(sample_index), -1) + 1 FROM beacon.individuals WHERE dataset_id = $1";
        command.Parameters.Add(new DuckDBParameter(datasetId));
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
