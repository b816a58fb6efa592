using System.Diagnostics;
using DuckDB.NET.Data;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;
using GenomeNode.Beacon.Vcf;
using GenomeNode.Passport.Datasets;
using GenomeNode.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Loads a VCF into the variant store in one transaction: the file is read by <see cref="VcfReader"/> (one record at a
/// time, canonical alleles, carriers, counts and annotation) and each record's rows are written by the
/// <see cref="VariantAppender"/> before the next is read. The same file (same SHA-256) ingested again replaces its
/// earlier rows; a malformed line stops the ingest with file:line and nothing stored. It does not check that the
/// dataset exists: the catalog's <see cref="DatasetCatalog.WriteData{T}"/> does, in the same transaction (see
/// <see cref="IngestInTransaction"/>).
/// </summary>
public sealed class VcfIngester(
    DuckDBConnection connection, VariantIndex? index = null, ILogger<VcfIngester>? logger = null, GenomeNode.Beacon.Entries.EntryIndex? entries = null)
{
    private const int ProgressEvery = 16384;

    private readonly ILogger log = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Rows per DuckDB data chunk (at most its capacity); tests lower it to cross many chunk boundaries.</summary>
    internal int RowsPerChunk { get; init; } = VariantChunk.Capacity;

    /// <summary>Ingests in a transaction of its own.</summary>
    /// <param name="request">What to ingest.</param>
    /// <param name="progress">Where to report progress.</param>
    /// <param name="prefetch">The file, if it is already being read (<see cref="VcfPrefetch"/>).</param>
    /// <param name="cancellationToken">Stops the ingest (nothing is stored).</param>
    public VcfIngestResult Ingest(
        VcfIngestRequest request, IProgress<VcfIngestProgress>? progress = null, VcfPrefetch? prefetch = null,
        CancellationToken cancellationToken = default)
    {
        using var transaction = connection.BeginTransaction();
        var result = IngestInTransaction(request, progress, prefetch, cancellationToken);
        transaction.Commit();
        index?.Invalidate();
        entries?.Invalidate(); // the samples are the dataset's individuals
        return result;
    }

    /// <summary>
    /// Ingests inside the caller's open transaction (one that also changes the catalog, say); the caller commits, then
    /// invalidates the <see cref="VariantIndex"/>.
    /// </summary>
    public VcfIngestResult IngestInTransaction(
        VcfIngestRequest request, IProgress<VcfIngestProgress>? progress = null, VcfPrefetch? prefetch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var result = Load(request, progress, prefetch, cancellationToken);
            IngestLog.Ingested(log, result.DatasetId, result.Path, result.Records, result.Variants, result.Samples, result.ReplacedSameFile,
                result.Elapsed.TotalSeconds, result.Elapsed.TotalSeconds > 0 ? result.Variants / result.Elapsed.TotalSeconds : 0);
            return result;
        }
        catch (VcfFormatException error)
        {
            IngestLog.Malformed(log, request.DatasetId, error.FilePath, error.Line, error.Reason);
            throw;
        }
        catch (VcfIngestException error)
        {
            IngestLog.Refused(log, request.DatasetId, request.Path, error.Message);
            throw;
        }
        catch (DuckDBException error)
        {
            // Another writer's transaction took the same rows or keys (docs/architecture.md, "Concurrent writers").
            IngestLog.Failed(log, request.DatasetId, request.Path, error.Message);
            throw;
        }
    }

    private VcfIngestResult Load(
        VcfIngestRequest request, IProgress<VcfIngestProgress>? progress, VcfPrefetch? prefetch, CancellationToken cancellationToken)
    {
        var assembly = ReferenceNames.CanonicalAssembly(request.Assembly)
            ?? throw new VcfIngestException($"unknown assembly '{request.Assembly}': use one of {string.Join(", ", ReferenceNames.Assemblies)}");
        var path = System.IO.Path.GetFullPath(request.Path);
        if (!File.Exists(path))
        {
            throw new VcfIngestException($"{path} does not exist");
        }

        var clock = Stopwatch.StartNew();
        // By default DuckDB buffers five full row groups of a transaction before compressing and writing them, and
        // writes the rest at commit. One at a time, as each fills, puts that work on the appending thread while
        // reading goes on. (A database-wide setting; it only changes when rows are written, not what.)
        connection.Execute("SET write_buffer_row_group_count = 1");
        var fileId = VariantFiles.NextId(connection);
        var individuals = DatasetIndividuals.Load(connection, request.DatasetId);
        IngestLog.Started(log, request.DatasetId, path, fileId, assembly);
        var reader = new VcfReader(path);
        long variants = 0;
        var maxSpan = 0;
        string sha256;
        int[]? sampleIndexes = null;
        try
        {
            using var source = prefetch?.Take(path) ?? new VcfLineSource(path);
            using (var rows = new VariantAppender(connection, fileId, RowsPerChunk))
            {
                while (source.TryNext(out var chunk))
                {
                    var lines = chunk.Span;
                    while (reader.TryRead(ref lines))
                    {
                        // The header's samples become the dataset's individuals (matched by name) before the first row.
                        sampleIndexes ??= SampleIndexes(reader.Header!, individuals);
                        variants += rows.Write(reader.Record, sampleIndexes, individuals.Next, ref maxSpan);
                        if (reader.Records % ProgressEvery == 0)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            progress?.Report(new VcfIngestProgress(reader.Records, variants, source.BytesRead, source.TotalBytes, clock.Elapsed));
                        }
                    }
                }

                reader.Complete();
                // A file with samples but no records still adds its individuals.
                sampleIndexes ??= SampleIndexes(reader.Header!, individuals);
                progress?.Report(new VcfIngestProgress(reader.Records, variants, source.BytesRead, source.TotalBytes, clock.Elapsed));
                rows.Complete();
            }

            sha256 = source.Sha256;
        }
        catch (IOException error)
        {
            throw new VcfIngestException($"{path} could not be read: {error.Message}", error);
        }

        var samples = reader.Header!.Samples.Count;
        individuals.Store(connection);
        if (!reader.Sorted)
        {
            Reorder(fileId);
        }

        var replaced = VariantFiles.RemoveSameFile(connection, request.DatasetId, sha256, fileId);
        VariantFiles.Insert(connection, request.DatasetId, fileId, path, sha256, assembly, samples, reader.Records, variants, maxSpan, sampleIndexes!.ToList());

        cancellationToken.ThrowIfCancellationRequested();
        return new VcfIngestResult(request.DatasetId, path, sha256, assembly, samples, reader.Records, variants, replaced, clock.Elapsed);
    }

    /// <summary>The dataset's sample index of each sample column, allocating indexes for samples not seen before.</summary>
    private static int[] SampleIndexes(VcfHeader header, DatasetIndividuals individuals) =>
        [.. header.Samples.Select(individuals.IndexOf)];

    /// <summary>
    /// Deletes a dataset's variants, files and individuals (inside the caller's transaction, if any; the caller then
    /// invalidates the <see cref="VariantIndex"/> after committing).
    /// </summary>
    public void DeleteDataset(string datasetId)
    {
        string[] deletes =
        [
            "DELETE FROM beacon.variants WHERE file_id IN (SELECT file_id FROM beacon.variant_files WHERE dataset_id = $1)",
            "DELETE FROM beacon.variant_files WHERE dataset_id = $1",
            "DELETE FROM beacon.individuals WHERE dataset_id = $1",
            "DELETE FROM beacon.entries WHERE dataset_id = $1",
            "DELETE FROM beacon.individual_counters WHERE dataset_id = $1",
        ];
        foreach (var sql in deletes)
        {
            connection.Execute(sql, datasetId);
        }
    }

    private void Reorder(int fileId)
    {
        connection.Execute($"""
            CREATE TEMP TABLE beacon_reorder AS
                SELECT * FROM beacon.variants WHERE file_id = {fileId} ORDER BY chrom, start, "end", ref, alt;
            DELETE FROM beacon.variants WHERE file_id = {fileId};
            INSERT INTO beacon.variants SELECT * FROM beacon_reorder;
            DROP TABLE beacon_reorder;
            """);
    }
}
