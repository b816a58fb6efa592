using System.Text.Json;
using DuckDB.NET.Data;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Attaches Beacon individual documents (a JSON array of objects with an <c>id</c>, as the demo's individuals.json)
/// to a dataset's individuals: matched by id to the samples of its VCFs; an individual without a sample is added.
/// </summary>
public sealed class IndividualDocuments(DuckDBConnection connection, GenomeNode.Beacon.Entries.EntryIndex? entries = null)
{
    /// <summary>Stores the documents in one transaction; returns how many were attached.</summary>
    public int Attach(string datasetId, string jsonArray)
    {
        using var transaction = connection.BeginTransaction();
        var attached = AttachInTransaction(datasetId, jsonArray);
        transaction.Commit();
        entries?.Invalidate();
        return attached;
    }

    /// <summary>Stores the documents inside the caller's open transaction; returns how many were attached.</summary>
    public int AttachInTransaction(string datasetId, string jsonArray)
    {
        using var document = JsonDocument.Parse(jsonArray);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new VcfIngestException("individual documents must be a JSON array of objects with an id");
        }

        var individuals = DatasetIndividuals.Load(connection, datasetId);
        var documents = new List<(string Id, string Json)>();
        foreach (var individual in document.RootElement.EnumerateArray())
        {
            if (individual.ValueKind != JsonValueKind.Object || !individual.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new VcfIngestException($"individual document {documents.Count + 1} has no string id");
            }

            individuals.IndexOf(id.GetString()!);
            documents.Add((id.GetString()!, individual.GetRawText()));
        }

        individuals.Store(connection);
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE beacon.individuals SET document = $3 WHERE dataset_id = $1 AND id = $2";
        foreach (var (id, json) in documents)
        {
            update.Parameters.Clear();
            update.Parameters.Add(new DuckDBParameter(datasetId));
            update.Parameters.Add(new DuckDBParameter(id));
            update.Parameters.Add(new DuckDBParameter(json));
            update.ExecuteNonQuery();
        }

        return documents.Count;
    }
}
