namespace GenomeNode.Htsget.Registration;

/// <summary>What an htsget object holds: aligned reads (BAM, CRAM) or variants (VCF.gz, BCF).</summary>
public enum HtsgetKind
{
    Reads,
    Variants,
}

/// <summary>
/// A request to register <paramref name="FilePath"/> as <paramref name="ObjectId"/> of a dataset. The index is
/// looked for beside the file when <paramref name="IndexPath"/> is null.
/// </summary>
public sealed record RegistrationRequest(string ObjectId, string DatasetId, HtsgetKind Kind, string FilePath, string? IndexPath);

/// <summary>A registration whose file and index were read and checked, ready to be stored.</summary>
public sealed class ReadRegistration
{
    internal ReadRegistration(RegistrationRequest request, string path, long size, string sha256, DateTime modifiedAt, ParsedObject parsed)
    {
        Request = request;
        Path = path;
        Size = size;
        Sha256 = sha256;
        ModifiedAt = modifiedAt;
        Parsed = parsed;
    }

    public RegistrationRequest Request { get; }

    public string Path { get; }

    public long Size { get; }

    public string Sha256 { get; }

    public DateTime ModifiedAt { get; }

    internal ParsedObject Parsed { get; }
}

/// <summary>
/// A registered object as stored: its format (BAM, CRAM, VCF, BCF), absolute path, size, SHA-256 (lowercase hex) and
/// last write time (UTC) of the data file, the index format (BAI, CSI, TBI, CRAI), the number of references in the
/// file header and the number of BGZF blocks (CRAM: containers).
/// </summary>
public sealed record RegisteredObject(
    string ObjectId,
    string DatasetId,
    HtsgetKind Kind,
    string Format,
    string Path,
    long Size,
    string Sha256,
    string IndexFormat,
    int References,
    int Blocks,
    DateTime ModifiedUtc)
{
    /// <summary>
    /// True when the file on disk still has the size and last write time it had when registered (to the microsecond
    /// the database keeps). Tickets and data URLs are cut from the registered layout: a file rewritten since would
    /// be served as garbage, so it is not served until registered again.
    /// </summary>
    public bool IsUnchangedOnDisk()
    {
        var file = new FileInfo(Path);
        return file.Exists && file.Length == Size && ToMicroseconds(file.LastWriteTimeUtc) == ToMicroseconds(ModifiedUtc);
    }

    private static long ToMicroseconds(DateTime time) => time.Ticks / TimeSpan.TicksPerMicrosecond;
}

/// <summary>A registration was refused; the message is for the operator and names the file at fault.</summary>
public class HtsgetRegistrationException : Exception
{
    public HtsgetRegistrationException()
    {
    }

    public HtsgetRegistrationException(string message)
        : base(message)
    {
    }

    public HtsgetRegistrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
