using System.IO.Compression;
using System.Text.Json;
using GenomeNode.Shared;

namespace GenomeNode.Beacon.Import;

/// <summary>
/// An import file read whole into memory (gzip-compressed when its name ends in .gz), its documents handed out one at
/// a time: the elements of a top-level JSON array, or the one top-level object. Broken JSON is refused with
/// <c>file:line:column</c>; a document that repeats a member name or holds text that is not Unicode (the node's rule for
/// JSON it is given, <see cref="StrictJson"/>) with the document and the member's path.
/// </summary>
internal sealed class JsonImportFile
{
    private readonly byte[] bytes;

    private JsonImportFile(string path, byte[] bytes)
    {
        Path = path;
        Name = System.IO.Path.GetFileName(path);
        this.bytes = bytes;
    }

    public string Path { get; }

    /// <summary>The file's name, as errors and origins give it.</summary>
    public string Name { get; }

    /// <summary>The file's size on disk (compressed, for a .gz), for progress.</summary>
    public long Length { get; private init; }

    /// <exception cref="ClinicalImportException">the file cannot be read or decompressed</exception>
    public static JsonImportFile Read(string path)
    {
        try
        {
            var length = new FileInfo(path).Length;
            byte[] content;
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var file = File.OpenRead(path);
                using var gzip = new GZipStream(file, CompressionMode.Decompress);
                using var buffer = new MemoryStream();
                gzip.CopyTo(buffer);
                content = buffer.ToArray();
            }
            else
            {
                content = File.ReadAllBytes(path);
            }

            return new JsonImportFile(path, content) { Length = length };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new ClinicalImportException($"{path} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Hands each document to <paramref name="read"/>: its index (-1 for a file holding one object), the document, and
    /// the fraction of the file read so far. <paramref name="allowObject"/>: a top-level object is one document;
    /// otherwise the file must hold an array.
    /// </summary>
    /// <exception cref="ClinicalImportException">broken JSON (file:line:column), or a document breaking the JSON rule</exception>
    public void ForEach(bool allowObject, Action<int, JsonElement, double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var text = bytes.AsMemory();
        if (text.Span.StartsWith("\xEF\xBB\xBF"u8))
        {
            text = text[3..];
        }

        // The whole file's syntax first, then the documents: an error in a document is never taken for broken JSON.
        var (single, documents) = Split(text.Span, allowObject);
        if (single)
        {
            Document(text[documents[0].Start..documents[0].End], -1, Name, read, 1.0);
            return;
        }

        for (var index = 0; index < documents.Count; index++)
        {
            var (start, end) = documents[index];
            Document(text[start..end], index, $"{Name}[{index}]", read, (double)end / text.Length);
        }
    }

    /// <summary>Where each document of the file lies, and whether the file is one object rather than an array.</summary>
    private (bool Single, List<(int Start, int End)> Documents) Split(ReadOnlySpan<byte> text, bool allowObject)
    {
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = StrictJson.DefaultMaxDepth });
        var documents = new List<(int, int)>();
        try
        {
            if (!reader.Read())
            {
                throw new ClinicalImportException($"{Name}: the file is empty: expected a JSON array of documents");
            }

            if (reader.TokenType == JsonTokenType.StartObject && allowObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                documents.Add((start, (int)reader.BytesConsumed));
                EnsureEnd(ref reader, Name);
                return (true, documents);
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new ClinicalImportException(
                    $"{Name}: expected a JSON array of documents{(allowObject ? " or one document" : "")}, found {Describe(reader.TokenType)}");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new ClinicalImportException($"{Name}[{documents.Count}]: expected a JSON object, found {Describe(reader.TokenType)}");
                }

                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                documents.Add((start, (int)reader.BytesConsumed));
            }

            EnsureEnd(ref reader, Name);
            return (false, documents);
        }
        catch (JsonException ex)
        {
            // The reader's own position, 0-based; its message ends with the same position in its words.
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            message = cut > 0 ? message[..cut].TrimEnd() : message;
            throw new ClinicalImportException($"{Name}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: not valid JSON: {message}", ex);
        }
    }

    private static void Document(ReadOnlyMemory<byte> utf8, int index, string origin, Action<int, JsonElement, double> read, double fraction)
    {
        if (!StrictJson.TryParse(utf8, StringComparer.Ordinal, StrictJson.DefaultMaxDepth, out var document, out var error))
        {
            throw new ClinicalImportException($"{origin}{(error.Path.Length == 0 ? "" : " " + error.Path)}: {error.Message}");
        }

        using (document)
        {
            read(index, document.RootElement, fraction);
        }
    }

    private static void EnsureEnd(ref Utf8JsonReader reader, string name)
    {
        // Reading past the end throws (with its position) for anything but whitespace after the value.
        if (reader.Read())
        {
            throw new ClinicalImportException($"{name}: more JSON after the end of the top-level value");
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
