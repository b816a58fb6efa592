using Microsoft.Extensions.Logging;

namespace GenomeNode.Beacon.Ingest;

/// <summary>Log events of VCF ingests: one when an ingest starts, one when it ends, and why one was refused.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information,
        Message = "Ingest of {Path} into dataset {DatasetId} started (file id {FileId}, {Assembly})")]
    public static partial void Started(ILogger logger, string datasetId, string path, int fileId, string assembly);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information,
        Message = "Ingested {Path} into dataset {DatasetId}: {Records} records, {Variants} variants, {Samples} samples, replaced the same file: {Replaced}, in {Seconds:0.00} s ({VariantsPerSecond:0} variants/s)")]
    public static partial void Ingested(
        ILogger logger, string datasetId, string path, long records, long variants, int samples, bool replaced, double seconds, double variantsPerSecond);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning,
        Message = "Ingest into dataset {DatasetId} refused: {Path}:{Line}: {Reason}; nothing was stored")]
    public static partial void Malformed(ILogger logger, string datasetId, string path, long line, string reason);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Ingest of {Path} into dataset {DatasetId} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string datasetId, string path, string reason);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Ingest of {Path} into dataset {DatasetId} failed: {Reason}; nothing was stored")]
    public static partial void Failed(ILogger logger, string datasetId, string path, string reason);
}
