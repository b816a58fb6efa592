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

/// <summary>
/// A registered object as stored: its format (BAM, CRAM, VCF, BCF), absolute path, size and SHA-256 (lowercase hex)
/// of the data file, the index format (BAI, CSI, TBI, CRAI), the number of references in the file header and the
/// number of BGZF blocks (CRAM: containers).
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
    int Blocks);

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
