namespace GenomeNode.Host.Admin;

/// <summary>Log lines of ingest operations (event ids 400-499).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(400, LogLevel.Information, "Ingesting {Path}: {Records} records, {Variants} variants ({VariantsPerSecond:0} variants/s)")]
    public static partial void Progress(ILogger logger, string path, long records, long variants, double variantsPerSecond);
}
