using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenomeNode.Passport.Access;

/// <summary>
/// The audit's write-ahead journal, <c>audit.journal</c> beside the database: numbered rows, one JSON object per line,
/// appended and flushed to disk (fsync) before the requests they record are answered. A DuckDB commit of a few rows
/// costs 3-4 ms of CPU here and an append with fsync 0.3 ms, so the writer makes answers durable here and moves the
/// rows into <c>passport.access_decisions</c> in large batches: it renames the journal to <c>audit.journal.moving</c>,
/// goes on appending to a new one, and deletes the renamed file once its rows are committed. Readers and the recovery
/// at start read both files.
/// </summary>
public sealed class AuditJournal : IDisposable
{
    public const string FileName = "audit.journal";

    private const string MovingSuffix = ".moving";

    private FileStream stream;
    private readonly ArrayBufferWriter<byte> buffer = new(64 * 1024);

    /// <summary>Opens (or creates) the journal; owner-only like every file the node makes (its umask is 077).</summary>
    public AuditJournal(string dataDirectory)
    {
        Path = PathIn(dataDirectory);
        stream = Open(Path);
    }

    public string Path { get; }

    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(dataDirectory, FileName);

    private static string MovingPathIn(string dataDirectory) => PathIn(dataDirectory) + MovingSuffix;

    /// <summary>Whether rows of an earlier rotation still wait to be committed (their file is deleted once they are).</summary>
    public bool HasMoving => File.Exists(Path + MovingSuffix);

    /// <summary>
    /// Renames the journal to <c>audit.journal.moving</c> (its rows are durable under either name) and goes on in a new,
    /// empty journal. Only when no earlier rotation waits.
    /// </summary>
    public void Rotate()
    {
        if (HasMoving)
        {
            throw new InvalidOperationException("an earlier rotation of the audit journal is not moved yet");
        }

        stream.Dispose();
        File.Move(Path, Path + MovingSuffix);
        stream = Open(Path);
    }

    /// <summary>Deletes the rotated journal once its rows are committed to the table.</summary>
    public void DeleteMoving() => File.Delete(Path + MovingSuffix);

    /// <summary>Appends the rows and flushes them to disk; when this returns they survive a crash.</summary>
    public void Append(IEnumerable<AuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            foreach (var row in rows)
            {
                JsonSerializer.Serialize(writer, row, AuditJournalJson.Default.AuditRow);
                writer.Flush();
                writer.Reset();
                buffer.Write("\n"u8);
            }
        }

        if (!File.Exists(Path))
        {
            // Removed or replaced under the node: rows written to the removed file would be gone at the next crash.
            var replaced = Open(Path);
            stream.Dispose();
            stream = replaced;
        }

        stream.Write(buffer.WrittenSpan);
        stream.Flush(flushToDisk: true);
    }

    private static FileStream Open(string path)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 0,
        });
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Empties the journal once its rows are committed to the table.</summary>
    public void Clear()
    {
        stream.SetLength(0);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// The rows of the journal in <paramref name="dataDirectory"/>, a rotated one's first (none when there is none). A
    /// last line without its newline is a write a crash cut short, never acknowledged, and is left out; any other line
    /// that does not read is damage, and fails loudly rather than leave rows out of the audit.
    /// </summary>
    public static IReadOnlyList<AuditRow> Read(string dataDirectory)
    {
        // The journal before the rotated one: a rotation in between shows its rows twice (kept once), never not at all.
        var current = ReadFile(PathIn(dataDirectory));
        var rotated = ReadFile(MovingPathIn(dataDirectory));
        return [.. rotated.Concat(current).DistinctBy(row => row.Seq).OrderBy(row => row.Seq)];
    }

    private static List<AuditRow> ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            file.CopyTo(copy);
            bytes = copy.ToArray();
        }
        catch (FileNotFoundException)
        {
            return [];
        }

        var rows = new List<AuditRow>();
        var rest = bytes.AsSpan();
        var line = 0;
        while (rest.IndexOf((byte)'\n') is var end and >= 0)
        {
            line++;
            try
            {
                rows.Add(JsonSerializer.Deserialize(rest[..end], AuditJournalJson.Default.AuditRow)
                    ?? throw new JsonException("null row"));
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path} line {line} is damaged ({ex.Message}); the audit will not start without it: restore it from a backup", ex);
            }

            rest = rest[(end + 1)..];
        }

        return rows;
    }

    public void Dispose() => stream.Dispose();
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuditRow))]
internal sealed partial class AuditJournalJson : JsonSerializerContext;
