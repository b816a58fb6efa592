using System.Text.Json;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Host.Hosting;
using GenomeNode.Passport.Datasets;

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

    public static async Task<OperationResult> IngestVcfAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<IngestVcfArguments>(arguments);
        if (await services.GetRequiredService<DatasetCatalog>().FindAsync(request.DatasetId, cancellationToken) is null)
        {
            return OperationResult.Fail($"no dataset has the id '{request.DatasetId}'");
        }

        var progress = ProgressSink.Value ?? new LoggedProgress(
            services.GetRequiredService<ILoggerFactory>().CreateLogger("GenomeNode.Ingest"), request.Path);
        try
        {
            var result = await Task.Run(
                () => services.GetRequiredService<VcfIngester>().Ingest(
                    new VcfIngestRequest(request.DatasetId, request.Path, request.Assembly), progress, Prefetch.Value, cancellationToken),
                cancellationToken);
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
