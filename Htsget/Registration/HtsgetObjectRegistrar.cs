using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Formats.Crypt4gh;
using GenomeNode.Htsget.Tickets;
using GenomeNode.Storage;

namespace GenomeNode.Htsget.Registration;

/// <summary>
/// Registers BAM+BAI/CSI, CRAM+CRAI, VCF.gz+TBI/CSI and BCF+CSI files as htsget objects: it reads the file header,
/// the BGZF block list (CRAM: container list) and the index once, checks that they belong together, and stores them
/// in the <c>htsget</c> tables so that tickets are range queries (see <see cref="HtsgetObjectStore"/>).
/// It does not check that the dataset exists: the catalog's <c>WriteData</c> does, in the transaction of
/// <see cref="StoreInTransaction"/>. With the node's <see cref="HtsgetObjectCache"/>, a registration it commits itself
/// (<see cref="Register"/>) is announced there; the catalog announces those it commits.
/// </summary>
public sealed partial class HtsgetObjectRegistrar(DuckDBConnection connection, HtsgetObjectCache? cache)
{
    public const int MaxObjectIdLength = 128;

    // Virtual offsets are stored as signed BIGINT and compared as such: compressed offsets must stay below 2^47.
    private const long MaxFileSize = 1L << 47;

    private const string Crypt4ghExtension = ".c4gh";

    private static readonly string[] KnownFormats = ["BAM", "CRAM", "VCF", "BCF"];

    private static readonly string[] Tables = ["objects", "references", "index_references", "blocks", "bins", "lower_bounds", "crai"];

    /// <summary>A registrar whose registrations no cache hears of (for tools and tests without a serving node).</summary>
    public HtsgetObjectRegistrar(DuckDBConnection connection)
        : this(connection, null)
    {
    }

    /// <summary>
    /// Registers the file as its format of the object: a new id, a further format of an id (BAM beside CRAM, VCF
    /// beside BCF), or the same format again (replacing that format's file atomically). Throws <see cref="HtsgetRegistrationException"/>
    /// naming the file when the id is invalid, the file or its index is missing, unreadable or mismatched, or the file
    /// is not of the request's kind; a refused or failed registration leaves any previous one as it was.
    /// </summary>
    public RegisteredObject Register(RegistrationRequest request)
    {
        var read = Read(request);
        using var transaction = connection.BeginTransaction();
        var registered = StoreInTransaction(read);
        transaction.Commit();
        cache?.ObjectChanged(registered.ObjectId);
        return registered;
    }

    /// <summary>
    /// Reads and checks the file and its index (the slow part, outside any transaction): the first half of
    /// <see cref="Register"/>, for a caller that stores the result in a transaction of its own.
    /// </summary>
    public static ReadRegistration Read(RegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateObjectId(request.ObjectId);
        if (string.IsNullOrWhiteSpace(request.DatasetId))
        {
            throw new HtsgetRegistrationException("A dataset id is required to register an object.");
        }

        var path = Path.GetFullPath(request.FilePath);
        if (!File.Exists(path))
        {
            throw new HtsgetRegistrationException($"{path} does not exist.");
        }

        ParsedObject parsed;
        long size;
        long plaintextSize;
        long? crypt4ghHeaderLength = null;
        string sha256;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
            size = file.Length;
            if (size >= MaxFileSize)
            {
                throw new HtsgetRegistrationException($"{path} is larger than the 2^47 bytes virtual offsets can address.");
            }

            using var plaintext = OpenPlaintext(file, path, request.Crypt4ghKey, "file");
            if (plaintext is Crypt4ghPlaintextStream encrypted)
            {
                crypt4ghHeaderLength = encrypted.DataOffset;
            }

            plaintextSize = plaintext.Length;
            var format = DataFileFormat.Detect(plaintext, path);
            CheckKind(request.Kind, format, path);
            var indexPath = FindIndex(path, format, request.IndexPath);
            Stream OpenIndex()
            {
                var index = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
                return OpenPlaintext(index, indexPath, request.Crypt4ghKey, "index");
            }

            parsed = format == DataFileFormat.Cram
                ? CramParser.Parse(plaintext, path, indexPath, OpenIndex)
                : BgzfParser.Parse(plaintext, path, format, indexPath, OpenIndex);
            sha256 = Sha256(path);
        }
        catch (Crypt4ghException error)
        {
            throw new HtsgetRegistrationException($"{path} (or its index) is a damaged Crypt4GH file: {error.Message}", error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new HtsgetRegistrationException($"{path} could not be read: {error.Message}", error);
        }

        // The database keeps microseconds; the object handed back says what was stored.
        var written = File.GetLastWriteTimeUtc(path);
        return new ReadRegistration(request, path, size, sha256, written.AddTicks(-(written.Ticks % TimeSpan.TicksPerMicrosecond)), parsed)
        {
            PlaintextSize = plaintextSize,
            Crypt4ghHeaderLength = crypt4ghHeaderLength,
        };
    }

    /// <summary>
    /// Stores a read registration inside the caller's open transaction, replacing an earlier registration of the id in
    /// the same format. Refused (<see cref="HtsgetRegistrationException"/>) when the id holds other formats of another
    /// kind or dataset: every format of one id is the same data.
    /// </summary>
    public RegisteredObject StoreInTransaction(ReadRegistration read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var (request, path, size, sha256, modified, parsed) = (read.Request, read.Path, read.Size, read.Sha256, read.ModifiedAt, read.Parsed);
        var registeredAt = Store(read);
        return new RegisteredObject(request.ObjectId, request.DatasetId, request.Kind, parsed.Format, path, size, sha256,
            parsed.IndexFormat, parsed.References.Count, parsed.Blocks.Count, modified)
        {
            RegisteredUtc = registeredAt,
            PlaintextSize = read.PlaintextSize,
            Crypt4ghHeaderLength = read.Crypt4ghHeaderLength,
        };
    }

    /// <summary>
    /// The plaintext of a stored file: the file itself, or, for a Crypt4GH file, its decrypted view with the node's key
    /// (the file stream is owned by the result either way). Refuses a Crypt4GH file the node cannot read.
    /// </summary>
    private static Stream OpenPlaintext(FileStream file, string path, Crypt4ghKeyPair? key, string what)
    {
        try
        {
            if (!Crypt4ghPlaintextStream.IsCrypt4gh(file))
            {
                return file;
            }

            if (key is null)
            {
                throw new HtsgetRegistrationException(
                    $"The {what} {path} is encrypted with Crypt4GH and this node has no Crypt4GH key: create one with 'genome-node keys c4gh init' and encrypt the {what} to the public key it shows.");
            }

            try
            {
                return Crypt4ghPlaintextStream.Open(file, key);
            }
            catch (Crypt4ghException error)
            {
                throw new HtsgetRegistrationException(
                    $"The {what} {path} is a Crypt4GH file this node cannot read ({error.Message}): encrypt it to the node's public key ('genome-node keys c4gh show') as a whole file.", error);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The formats the object holds now (as seen by the connection's transaction, if any), in the endpoints' order.</summary>
    public IReadOnlyList<string> Formats(string objectId) =>
        [.. connection.Read("SELECT format FROM htsget.objects WHERE object_id = $1", reader => reader.GetString(0), objectId)
            .OrderBy(format => Array.IndexOf(KnownFormats, format))];

    /// <summary>True when <paramref name="objectId"/> is a valid opaque object id (letters, digits, '.', '_', '-').</summary>
    public static bool IsValidObjectId(string? objectId) =>
        !string.IsNullOrEmpty(objectId) && objectId.Length <= MaxObjectIdLength && ObjectIdPattern().IsMatch(objectId);

    /// <summary>Throws <see cref="HtsgetRegistrationException"/> unless the id is valid (see <see cref="IsValidObjectId"/>).</summary>
    public static void ValidateObjectId(string? objectId)
    {
        if (!IsValidObjectId(objectId))
        {
            throw new HtsgetRegistrationException(
                $"'{objectId}' is not a valid object id: use 1 to {MaxObjectIdLength} letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectIdPattern();

    private static void CheckKind(HtsgetKind kind, string format, string path)
    {
        var expected = format is DataFileFormat.Bam or DataFileFormat.Cram ? HtsgetKind.Reads : HtsgetKind.Variants;
        if (kind != expected)
        {
            throw new HtsgetRegistrationException(
                $"{path} is {format}, which is {(expected == HtsgetKind.Reads ? "reads" : "variants")}, not {(kind == HtsgetKind.Reads ? "reads" : "variants")}: register it with 'register {(expected == HtsgetKind.Reads ? "reads" : "variants")}'.");
        }
    }

    private static string FindIndex(string path, string format, string? given)
    {
        if (given is not null)
        {
            var full = Path.GetFullPath(given);
            return File.Exists(full) ? full : throw new HtsgetRegistrationException($"The index {full} given for {path} does not exist.");
        }

        string[] suffixes = format switch
        {
            DataFileFormat.Bam => [".bai", ".csi"],
            DataFileFormat.Cram => [".crai"],
            DataFileFormat.Vcf => [".tbi", ".csi"],
            _ => [".csi"],
        };
        // A Crypt4GH file x.bam.c4gh may have its index as x.bam.c4gh.bai, x.bam.bai or x.bam.bai.c4gh.
        var bases = path.EndsWith(Crypt4ghExtension, StringComparison.OrdinalIgnoreCase)
            ? new[] { path, path[..^Crypt4ghExtension.Length] }
            : [path];
        var candidates = bases.SelectMany(stem => suffixes.SelectMany(suffix => new[] { stem + suffix, stem + suffix + Crypt4ghExtension })).ToList();
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new HtsgetRegistrationException(
                $"No index found for {path}; tried {string.Join(", ", candidates)}. Build one ({IndexCommand(format)}) or pass --index.");
    }

    private static string IndexCommand(string format) => format switch
    {
        DataFileFormat.Bam or DataFileFormat.Cram => "samtools index",
        DataFileFormat.Vcf => "tabix -p vcf",
        _ => "bcftools index",
    };

    private static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // Returns the registration time the database gave the row.
    private DateTime Store(ReadRegistration read)
    {
        var (request, path, size, sha256, modified, parsed) = (read.Request, read.Path, read.Size, read.Sha256, read.ModifiedAt, read.Parsed);
        var id = request.ObjectId;
        var format = parsed.Format;
        var kind = request.Kind == HtsgetKind.Reads ? "reads" : "variants";
        var others = connection.Read("SELECT format, kind, dataset_id FROM htsget.objects WHERE object_id = $1 AND format <> $2",
            reader => (Format: reader.GetString(0), Kind: reader.GetString(1), Dataset: reader.GetString(2)), id, format);
        if (others.FirstOrDefault(other => other.Kind != kind) is { Format: not null } otherKind)
        {
            throw new HtsgetRegistrationException(
                $"Object '{id}' holds {otherKind.Kind} ({otherKind.Format}); {path} is {kind} ({format}): register it under another id.");
        }

        if (others.FirstOrDefault(other => other.Dataset != request.DatasetId) is { Format: not null } otherDataset)
        {
            throw new HtsgetRegistrationException(
                $"Object '{id}' holds {otherDataset.Format} of dataset '{otherDataset.Dataset}'; its other formats belong to the same dataset: register {path} with --dataset {otherDataset.Dataset}.");
        }

        foreach (var table in Tables)
        {
            connection.Execute($"DELETE FROM htsget.{table} WHERE object_id = $1 AND format = $2", id, format);
        }

        using (var references = connection.CreateAppender("htsget", "references"))
        {
            for (var i = 0; i < parsed.References.Count; i++)
            {
                var (name, length) = parsed.References[i];
                references.CreateRow().AppendValue(id).AppendValue(i).AppendValue(name).AppendValue(length).AppendValue(format).EndRow();
            }
        }

        using (var names = connection.CreateAppender("htsget", "index_references"))
        {
            for (var i = 0; i < parsed.IndexReferences.Count; i++)
            {
                names.CreateRow().AppendValue(id).AppendValue(i).AppendValue(parsed.IndexReferences[i]).AppendValue(format).EndRow();
            }
        }

        using (var blocks = connection.CreateAppender("htsget", "blocks"))
        {
            foreach (var block in parsed.Blocks)
            {
                blocks.CreateRow().AppendValue(id).AppendValue(block.Offset).AppendValue(block.CompressedSize)
                    .AppendValue(block.UncompressedSize).AppendValue(block.RecordCount).AppendValue(format).EndRow();
            }
        }

        if (parsed.Index is { } index)
        {
            StoreBinningIndex(id, format, index);
        }

        using (var crai = connection.CreateAppender("htsget", "crai"))
        {
            foreach (var entry in parsed.Crai)
            {
                crai.CreateRow().AppendValue(id).AppendValue(entry.ReferenceSequenceId).AppendValue(entry.AlignmentStart)
                    .AppendValue(entry.AlignmentSpan).AppendValue(entry.ContainerOffset).AppendValue(entry.SliceOffset)
                    .AppendValue(entry.SliceSize).AppendValue(format).EndRow();
            }
        }

        connection.Execute("""
            INSERT INTO htsget.objects (object_id, dataset_id, kind, format, path, size, sha256, modified_at, index_path,
                index_format, header_end, ends_with_eof, min_shift, depth, unplaced_offset, reference_count, block_count,
                plaintext_size, crypt4gh_header_length)
            VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS TIMESTAMPTZ), $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            """,
            id, request.DatasetId, kind, format, path, size, sha256,
            modified.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00", parsed.IndexPath,
            parsed.IndexFormat, parsed.HeaderEnd, parsed.EndsWithEof, parsed.MinShift, parsed.Depth, parsed.UnplacedOffset,
            parsed.References.Count, (long)parsed.Blocks.Count, read.PlaintextSize, read.Crypt4ghHeaderLength);
        var microseconds = connection.Read("SELECT epoch_us(registered_at) FROM htsget.objects WHERE object_id = $1 AND format = $2",
            reader => reader.GetInt64(0), id, format).Single();
        return DateTime.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);
    }

    private void StoreBinningIndex(string id, string format, BinningIndex index)
    {
        using (var bins = connection.CreateAppender("htsget", "bins"))
        {
            for (var r = 0; r < index.References.Count; r++)
            {
                foreach (var (bin, start, end, chunk) in IndexRows.Bins(index, index.References[r]))
                {
                    bins.CreateRow().AppendValue(id).AppendValue(r).AppendValue(bin).AppendValue(start).AppendValue(end)
                        .AppendValue((long)chunk.Start.Value).AppendValue((long)chunk.End.Value).AppendValue(format).EndRow();
                }
            }
        }

        using var bounds = connection.CreateAppender("htsget", "lower_bounds");
        for (var r = 0; r < index.References.Count; r++)
        {
            foreach (var window in IndexRows.LowerBounds(index, index.References[r]))
            {
                bounds.CreateRow().AppendValue(id).AppendValue(r).AppendValue(window.Start).AppendValue(window.End)
                    .AppendValue((long)window.Offset.Value).AppendValue(format).EndRow();
            }
        }
    }
}
