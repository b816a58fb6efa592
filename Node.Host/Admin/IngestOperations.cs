using System.Text.Json;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Host.Hosting;
using GenomeNode.Storage;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Admin;

public sealed record IngestVcfArguments(string DatasetId, string Path, string Assembly);

/// <summary>The <c>ingest vcf</c> operation over the Beacon module's VCF ingester.</summary>
internal static class IngestOperations
{
    public const string Vcf = "ingest.vcf";

    /// <summary>
    /// Where a CLI running the ingest in its own process shows progress (a terminal progress bar or log lines); unset
    /// inside a serving node, which logs progress instead.
    /// </summary>
    public static AsyncLocal<IProgress<VcfIngestProgress>?> ProgressSink { get; } = new();

    /// <summary>The file as read ahead by a CLI running the ingest in its own process (see <see cref="VcfPrefetch"/>).</summary>
    public static AsyncLocal<VcfPrefetch?> Prefetch { get; } = new();

    public static Task<OperationResult> IngestVcfAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<IngestVcfArguments>(arguments);
        var progress = ProgressSink.Value ?? new LoggedProgress(
            services.GetRequiredService<ILoggerFactory>().CreateLogger("GenomeNode.Ingest"), request.Path);
        return IngestAsync(
            services.GetRequiredService<DatasetCatalog>(), services.GetRequiredService<VcfIngester>(), request, progress, cancellationToken,
            services.GetService<IngestMetrics>());
    }

    /// <summary>
    /// The CLI's ingest when no node serves the data directory: straight on the database, without building the node's
    /// host and services, whose start-up would otherwise be a third of a 200,000-variant ingest. Pending migrations
    /// are applied as by every command.
    /// </summary>
    public static async Task<OperationResult> IngestVcfLocallyAsync(
        string dataDirectory, IngestVcfArguments request, CancellationToken cancellationToken)
    {
        NativeHeap.KeepLargeBlocks();
        using var database = new NodeDatabase(dataDirectory);
        database.Open(NodeComposition.Migrations, NodeComposition.Version);
        using var connection = database.OpenConnection();
        // The rows are appended on the ingest's own thread; DuckDB's worker threads would only take over compressing
        // row groups while that thread spins waiting for them, two busy threads for one thread's work. This process
        // holds the database alone and ends with the ingest, so the setting goes with it.
        using (var threads = connection.CreateCommand())
        {
            threads.CommandText = "SET threads = 1";
            threads.ExecuteNonQuery();
        }

        return await IngestAsync(new DatasetCatalog(connection), new VcfIngester(connection), request, ProgressSink.Value, cancellationToken);
    }

    private static async Task<OperationResult> IngestAsync(
        DatasetCatalog datasets, VcfIngester ingester, IngestVcfArguments request, IProgress<VcfIngestProgress>? progress,
        CancellationToken cancellationToken, IngestMetrics? metrics = null)
    {
        try
        {
            var ingest = new VcfIngestRequest(request.DatasetId, request.Path, request.Assembly);
            var result = await Task.Run(
                () => datasets.WriteData(request.DatasetId,
                    () => ingester.IngestInTransaction(ingest, progress, Prefetch.Value, cancellationToken)),
                cancellationToken);
            metrics?.Committed(result);
            return OperationResult.Ok(Describe(result));
        }
        catch (VcfFormatException ex)
        {
            return OperationResult.Fail($"{ex.Message}; nothing was stored");
        }
        catch (VcfIngestException ex)
        {
            return OperationResult.Fail(ex.Message);
        }
        catch (DatasetCatalogException ex)
        {
            return OperationResult.Fail(ex.Message);
        }
    }

    public static string Describe(VcfIngestResult result) =>
        FormattableString.Invariant(
            $"ingested {result.Path} into dataset '{result.DatasetId}' ({result.Assembly}): {result.Records} records, ") +
        FormattableString.Invariant(
            $"{result.Variants} variants, {result.Samples} samples in {result.Elapsed.TotalSeconds:0.00} s") +
        (result.ReplacedSameFile ? "; replaced the earlier ingest of the same file" : "");

    /// <summary>Progress as log lines, at most one every few seconds.</summary>
    private sealed class LoggedProgress(ILogger logger, string path) : IProgress<VcfIngestProgress>
    {
        private TimeSpan last;

        public void Report(VcfIngestProgress value)
        {
            if (value.Elapsed - last < TimeSpan.FromSeconds(5))
            {
                return;
            }

            last = value.Elapsed;
            IngestLog.Progress(logger, path, value.Records, value.Variants,
                value.Elapsed.TotalSeconds > 0 ? value.Variants / value.Elapsed.TotalSeconds : 0);
        }
    }
}
