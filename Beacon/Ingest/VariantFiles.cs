using System.Globalization;
using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// The rows of <c>beacon.variant_files</c> every way into the variant store writes (a VCF ingest, a BFF
/// genomicVariations import), inside the caller's transaction.
/// </summary>
internal static class VariantFiles
{
    /// <summary>A new file id from the sequence (never max()+1: docs/architecture.md, "Concurrent writers").</summary>
    public static int NextId(DuckDBConnection connection) =>
        Convert.ToInt32(connection.Scalar("SELECT nextval('beacon.variant_file_ids')"), CultureInfo.InvariantCulture);

    /// <summary>
    /// Deletes the dataset's earlier files with the same content (SHA-256) and their variants, all but
    /// <paramref name="newFileId"/>: the same file twice leaves one copy. True when there was one.
    /// </summary>
    public static bool RemoveSameFile(DuckDBConnection connection, string datasetId, string sha256, int newFileId)
    {
        var previous = connection.Read(
            "SELECT file_id FROM beacon.variant_files WHERE dataset_id = $1 AND sha256 = $2", row => row.GetInt32(0), datasetId, sha256);
        foreach (var id in previous.Where(id => id != newFileId))
        {
            connection.Execute("DELETE FROM beacon.variants WHERE file_id = $1", id);
            connection.Execute("DELETE FROM beacon.variant_files WHERE file_id = $1", id);
        }

        return previous.Count > 0;
    }

    /// <summary>
    /// The file's row, once its variants are written. <paramref name="sampleIndexes"/>: the sample index of each of its
    /// sample columns (who it genotyped, [population-frequencies.md]); null when the file does not say (a BFF import).
    /// </summary>
    public static void Insert(
        DuckDBConnection connection, string datasetId, int fileId, string path, string sha256, string assembly, int samples, long records,
        long variants, int maxSpan, IReadOnlyList<int>? sampleIndexes) =>
        connection.Execute(
            """
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span, sample_indexes)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            datasetId, fileId, path, sha256, assembly, samples, records, variants, maxSpan, sampleIndexes?.ToList());
}
