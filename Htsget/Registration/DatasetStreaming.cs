using DuckDB.NET.Data;
using GenomeNode.Htsget.Access;
using GenomeNode.Storage;

namespace GenomeNode.Htsget.Registration;

/// <summary>The download policies operators set per dataset (<c>htsget.dataset_streaming</c>); a dataset without one has its tier's default.</summary>
public sealed class DatasetStreaming(DuckDBConnection connection)
{
    /// <summary>The policy the operator set for the dataset, or null when none was set.</summary>
    public StreamingPolicy? Find(string datasetId) =>
        connection.Read("SELECT streaming FROM htsget.dataset_streaming WHERE dataset_id = $1", reader => reader.GetString(0), datasetId)
            .Select(name => StreamingPolicies.TryParse(name, out var policy) ? policy : (StreamingPolicy?)null)
            .FirstOrDefault();

    /// <summary>Sets the dataset's policy inside the caller's transaction (see <c>DatasetCatalog.WriteData</c>).</summary>
    public void SetInTransaction(string datasetId, StreamingPolicy policy) =>
        connection.Execute("""
            INSERT INTO htsget.dataset_streaming (dataset_id, streaming) VALUES ($1, $2)
            ON CONFLICT (dataset_id) DO UPDATE SET streaming = excluded.streaming, updated_at = now()
            """, datasetId, policy.Name());

    /// <summary>Forgets the dataset's policy (with the dataset).</summary>
    public void Delete(string datasetId) => connection.Execute("DELETE FROM htsget.dataset_streaming WHERE dataset_id = $1", datasetId);
}
