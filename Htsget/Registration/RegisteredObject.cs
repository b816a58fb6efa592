using GenomeNode.Htsget.Formats.Crypt4gh;
using GenomeNode.Htsget.Planning;

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
public sealed record RegistrationRequest(string ObjectId, string DatasetId, HtsgetKind Kind, string FilePath, string? IndexPath)
{
    /// <summary>The node's Crypt4GH key, to read a file (or index) stored encrypted to it; null when the node has none.</summary>
    public Crypt4ghKeyPair? Crypt4ghKey { get; init; }
}

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

    /// <summary>Bytes of the data the file holds: its size, or for a Crypt4GH file the size of its plaintext.</summary>
    public long PlaintextSize { get; init; }

    /// <summary>For a Crypt4GH file, where its first segment starts; null for a plain file.</summary>
    public long? Crypt4ghHeaderLength { get; init; }

    internal ParsedObject Parsed { get; }

    /// <summary>
    /// The ticket snapshot of this registration, built from what was parsed (the rows registration stores, without a
    /// database): what <see cref="HtsgetObjectStore.LoadSnapshot"/> reads back once it is stored.
    /// </summary>
    public ObjectSnapshot Snapshot()
    {
        var parsed = Parsed;
        BinnedIndex? binned = null;
        CraiIndex? crai = null;
        if (parsed.Index is { } index)
        {
            var byName = new Dictionary<string, BinnedReference>(StringComparer.Ordinal);
            for (var r = 0; r < parsed.IndexReferences.Count; r++)
            {
                // As the tables' range query: a name the index repeats stands for its first reference.
                if (byName.ContainsKey(parsed.IndexReferences[r]))
                {
                    continue;
                }

                var reference = r < index.References.Count ? index.References[r] : null;
                byName[parsed.IndexReferences[r]] = reference is null
                    ? new BinnedReference([], [])
                    : new BinnedReference(
                        IndexRows.Bins(index, reference).Select(row => new BinChunk(row.Start, row.End, row.Chunk.Start, row.Chunk.End)),
                        IndexRows.LowerBounds(index, reference).Select(window => new LowerBound(window.Start, window.End, window.Offset)));
            }

            binned = new BinnedIndex(index.MinShift, index.Depth, byName);
        }
        else
        {
            var containerEnds = parsed.Blocks.ToDictionary(block => block.Offset, block => block.Offset + block.CompressedSize);
            crai = new CraiIndex(parsed.IndexReferences, parsed.Crai
                .Where(entry => containerEnds.ContainsKey(entry.ContainerOffset))
                .Select(entry => new CraiSlice(entry.ReferenceSequenceId, entry.AlignmentStart, entry.AlignmentSpan, entry.ContainerOffset, containerEnds[entry.ContainerOffset])));
        }

        return new ObjectSnapshot(Request.ObjectId, Request.Kind, parsed.Format, PlaintextSize, parsed.HeaderEnd, parsed.EndsWithEof, parsed.UnplacedOffset,
            parsed.References.Select(reference => reference.Name), binned, crai);
    }
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
    /// <summary>When this registration was stored (UTC, to the microsecond); unset on the object a registration hands back.</summary>
    public DateTime RegisteredUtc { get; init; }

    /// <summary>Bytes of the data the file holds: <see cref="Size"/>, or for a Crypt4GH file the size of its plaintext.</summary>
    public long PlaintextSize { get; init; }

    /// <summary>For a file stored encrypted with Crypt4GH, where its first segment starts; null for a plain file.</summary>
    public long? Crypt4ghHeaderLength { get; init; }

    /// <summary>Whether the file is stored encrypted with Crypt4GH.</summary>
    public bool IsCrypt4gh => Crypt4ghHeaderLength is not null;

    /// <summary>Which registration of the object this is: a new registration has a new one even for the same file.</summary>
    public ObjectVersion Version => new(ObjectId, Format, Sha256, RegisteredUtc);

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

/// <summary>
/// One registration of an object: its id, the SHA-256 of the file registered and when. Tickets are planned from, and
/// cached per, a version; data URLs are signed for the file's SHA-256.
/// </summary>
public readonly record struct ObjectVersion(string ObjectId, string Format, string Sha256, DateTime RegisteredUtc);

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
