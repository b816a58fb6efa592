namespace GenomeNode.Beacon.Ingest;

/// <summary>What to ingest: a VCF (plain or bgzipped) into a dataset, on an assembly.</summary>
public sealed record VcfIngestRequest(string DatasetId, string Path, string Assembly);

/// <summary>What an ingest stored.</summary>
public sealed record VcfIngestResult(
    string DatasetId, string Path, string Sha256, string Assembly, int Samples, long Records, long Variants,
    bool ReplacedSameFile, TimeSpan Elapsed);

/// <summary>Progress of a running ingest (records read, variants stored, bytes of the file read).</summary>
public readonly record struct VcfIngestProgress(long Records, long Variants, long BytesRead, long TotalBytes, TimeSpan Elapsed);

/// <summary>A malformed VCF: the message names the file, the line and the reason.</summary>
public sealed class VcfFormatException(string path, long line, string reason)
    : Exception($"{path}:{line}: {reason}")
{
    public string FilePath { get; } = path;
    public long Line { get; } = line;
    public string Reason { get; } = reason;
}

/// <summary>An ingest refused before reading data (unknown assembly, missing file, ...); the message is for the operator.</summary>
public sealed class VcfIngestException(string message, Exception? inner = null) : Exception(message, inner);
