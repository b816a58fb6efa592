using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace GenomeNode.Beacon.Import.Fhir;

/// <summary>One resource read from an import file, with where it was and its Bundle entry's fullUrl.</summary>
internal readonly record struct FhirRecord(Resource Resource, string Origin, string? FullUrl);

/// <summary>What parsing one resource gave: the resource or the error; the findings a lenient read accepted.</summary>
internal readonly record struct Parsed(Resource? Resource, ClinicalImportException? Error, List<(string Message, string Origin)>? Findings);

/// <summary>
/// Reads FHIR R4 JSON files into resources with the SDK's parser: NDJSON (one resource a line, as FHIR Bulk Data
/// exports write them) and JSON files holding a Bundle or one resource. Strict: the SDK's strict mode (unknown elements,
/// wrong codes and literals, missing required elements all refuse the import); lenient: what the SDK's no-overflow mode
/// still reads into typed elements is accepted, each strict finding a warning. Broken JSON is refused in both.
/// </summary>
internal sealed class FhirSource(ClinicalReadOptions options, FhirWarnings warnings, IProgress<ClinicalImportProgress>? progress)
{
    private static readonly FhirJsonDeserializer Strict = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    private static readonly FhirJsonDeserializer NoOverflow = new(new DeserializerSettings().UsingMode(DeserializationMode.NoOverflow));

    private static readonly HashSet<Bundle.BundleType> ImportedBundles =
        [Bundle.BundleType.Collection, Bundle.BundleType.Transaction, Bundle.BundleType.Batch, Bundle.BundleType.Searchset];

    /// <summary>NDJSON lines parsed together (in parallel) before they are mapped in order.</summary>
    private const int ChunkLines = 2048;

    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long documents;
    private long bytesBefore;

    /// <summary>The files of an import: the file itself, or a directory's .json and .ndjson files in name order.</summary>
    public static List<(string Path, string Name)> Files(string path)
    {
        if (File.Exists(path))
        {
            return [(path, Path.GetFileName(path))];
        }

        if (!Directory.Exists(path))
        {
            throw new ClinicalImportException($"{path}: no such file or directory");
        }

        var files = Directory.EnumerateFiles(path)
            .Where(f => f.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, Path.GetFileName(f)))
            .ToList();
        return files.Count > 0 ? files : throw new ClinicalImportException($"{path}: no .json or .ndjson files in the directory");
    }

    /// <summary>Reads one file, handing each resource to <paramref name="accept"/> in file order.</summary>
    public void Read(string path, string name, long totalBytes, Action<FhirRecord> accept, CancellationToken cancellationToken)
    {
        if (path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase))
        {
            ReadNdjson(path, name, totalBytes, accept, cancellationToken);
        }
        else
        {
            ReadJson(path, name, totalBytes, accept);
        }

        bytesBefore += new FileInfo(path).Length;
    }

    private void ReadNdjson(string path, string name, long totalBytes, Action<FhirRecord> accept, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        var lineNumber = 0;
        var chunk = new List<(int Line, byte[] Json)>(ChunkLines);
        var parsed = new Parsed[ChunkLines];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        while (true)
        {
            chunk.Clear();
            while (chunk.Count < ChunkLines && text.ReadLine() is { } line)
            {
                lineNumber++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    chunk.Add((lineNumber, Encoding.UTF8.GetBytes(line)));
                }
            }

            if (chunk.Count == 0)
            {
                return;
            }

            // The SDK's parse is most of an import's work: lines are parsed on every core, then taken in file order.
            Parallel.For(0, chunk.Count, parallel, i => parsed[i] = Parse(chunk[i].Json, name, chunk[i].Line));
            for (var i = 0; i < chunk.Count; i++)
            {
                var (resource, error, findings) = parsed[i];
                parsed[i] = default;
                var origin = $"{name}:{chunk[i].Line}";
                if (error is not null)
                {
                    throw error;
                }

                AddFindings(findings);
                if (resource is Bundle)
                {
                    throw new ClinicalImportException($"{origin}: a Bundle in an NDJSON file: NDJSON holds one resource a line; give a Bundle as a .json file");
                }

                accept(new FhirRecord(resource!, origin, null));
                Report(name, bytesBefore + stream.Position, totalBytes);
            }
        }
    }

    private void ReadJson(string path, string name, long totalBytes, Action<FhirRecord> accept)
    {
        var bytes = File.ReadAllBytes(path);
        var json = bytes.AsSpan();
        if (json.StartsWith(Encoding.UTF8.Preamble))
        {
            json = json[Encoding.UTF8.Preamble.Length..];
        }

        var lines = new LineIndex(json);
        var (parsed, error, findings) = Parse(json, name, 1);
        if (error is not null)
        {
            throw error;
        }

        AddFindings(findings);
        var resource = parsed!;
        if (resource is not Bundle bundle)
        {
            accept(new FhirRecord(resource, $"{name}:{lines.LineOf(FirstObject(json))}", null));
            Report(name, bytesBefore + bytes.Length, totalBytes);
            return;
        }

        if (bundle.Type is not { } type || !ImportedBundles.Contains(type))
        {
            throw new ClinicalImportException(
                $"{name}:{lines.LineOf(FirstObject(json))}: a Bundle of type '{bundle.Type?.GetLiteral() ?? "(none)"}': this import reads collection, transaction, batch and searchset Bundles");
        }

        var entryStarts = EntryOffsets(json);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var origin = $"{name}:{lines.LineOf(i < entryStarts.Count ? entryStarts[i] : 0)}";
            if (entry.Search?.Mode == Bundle.SearchEntryMode.Outcome)
            {
                // A search's OperationOutcome about the search itself, not data.
                continue;
            }

            if (entry.Resource is null)
            {
                throw new ClinicalImportException(
                    $"{origin}: Bundle entry {i} has no resource{(entry.Request?.Method is { } method ? $" (a {method.GetLiteral()} request)" : "")}: an import only adds resources");
            }

            if (entry.Resource is Bundle)
            {
                throw new ClinicalImportException($"{origin}: a Bundle inside Bundle entry {i}: give nested Bundles as files of their own");
            }

            accept(new FhirRecord(entry.Resource, origin, entry.FullUrl));
            Report(name, bytesBefore + ((long)bytes.Length * (i + 1) / bundle.Entry.Count), totalBytes);
        }
    }

    /// <summary>
    /// Parses one JSON value holding a resource (its first line: <paramref name="line"/>): the resource, or the error
    /// naming file and line; in a lenient read, the strict findings it was accepted despite. Safe on any thread.
    /// </summary>
    private Parsed Parse(ReadOnlySpan<byte> json, string name, int line)
    {
        try
        {
            var peek = new Utf8JsonReader(json);
            if (!peek.Read() || peek.TokenType != JsonTokenType.StartObject)
            {
                return new Parsed(null, new ClinicalImportException($"{name}:{line}: not a FHIR resource (a JSON object with a resourceType)"), null);
            }

            var reader = new Utf8JsonReader(json);
            Resource resource;
            List<(string, string)>? findings = null;
            try
            {
                resource = Strict.DeserializeResource(ref reader);
            }
            catch (DeserializationFailedException strict) when (options.Lenient)
            {
                reader = new Utf8JsonReader(json);
                try
                {
                    resource = NoOverflow.DeserializeResource(ref reader);
                }
                catch (DeserializationFailedException)
                {
                    return new Parsed(null, Refusal(strict, name, line), null);
                }

                // No-overflow mode keeps a resource of an unknown type as an untyped one: that is no FHIR R4 data.
                if (!ModelInfo.IsKnownResource(resource.TypeName))
                {
                    return new Parsed(null, Refusal(strict, name, line), null);
                }

                findings = strict.Exceptions
                    .Select(finding => ($"accepted despite: {Describe(finding)}", $"{name}:{line + Math.Max(0, LineOf(finding) - 1)}"))
                    .ToList();
            }

            // A second value after the resource (two resources on one NDJSON line) is broken JSON too.
            while (reader.Read())
            {
            }

            return new Parsed(resource, null, findings);
        }
        catch (JsonException broken)
        {
            var reason = broken.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.');
            return new Parsed(null, new ClinicalImportException(
                $"{name}:{line + (int)(broken.LineNumber ?? 0)}: broken JSON at byte {(broken.BytePositionInLine ?? 0) + 1} of the line: {reason}", broken), null);
        }
        catch (DeserializationFailedException failed)
        {
            return new Parsed(null, Refusal(failed, name, line), null);
        }
        catch (Exception other) when (other is InvalidOperationException or FormatException)
        {
            return new Parsed(null, new ClinicalImportException($"{name}:{line}: not a FHIR R4 resource: {other.Message}", other), null);
        }
    }

    private void AddFindings(List<(string Message, string Origin)>? findings)
    {
        foreach (var (message, origin) in findings ?? [])
        {
            warnings.Add(message, origin);
        }
    }

    private static ClinicalImportException Refusal(DeserializationFailedException failed, string name, int line)
    {
        var findings = failed.Exceptions.ToList();
        var first = findings.FirstOrDefault();
        var at = line + Math.Max(0, (first is null ? 1 : LineOf(first)) - 1);
        var more = findings.Count > 1 ? $" (and {findings.Count - 1} more: {string.Join("; ", findings.Skip(1).Take(3).Select(Describe))})" : "";
        return new ClinicalImportException(
            $"{name}:{at}: not valid FHIR R4: {(first is null ? failed.Message : Describe(first))}{more}", failed);
    }

    private static int LineOf(CodedException finding) =>
        finding is Hl7.Fhir.Validation.CodedValidationException { LineNumber: { } number } ? (int)number : 1;

    /// <summary>A finding of the SDK as one phrase: the element's path and what is wrong.</summary>
    private static string Describe(CodedException finding) => finding is Hl7.Fhir.Validation.CodedValidationException validation
        ? $"{validation.InstancePath}: {validation.BaseErrorMessage.TrimEnd('.')}"
        : finding.Message.TrimEnd('.');

    private void Report(string name, long bytesRead, long totalBytes)
    {
        if (progress is not null && ++documents % 1000 == 0)
        {
            progress.Report(new ClinicalImportProgress(name, documents, bytesRead, totalBytes, clock.Elapsed));
        }
    }

    /// <summary>The byte offset of the first '{' (where a resource starts).</summary>
    private static int FirstObject(ReadOnlySpan<byte> json) => Math.Max(0, json.IndexOf((byte)'{'));


    /// <summary>The byte offsets of a Bundle's entries (the objects of its top-level "entry" array), in order.</summary>
    private static List<int> EntryOffsets(ReadOnlySpan<byte> json)
    {
        var offsets = new List<int>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var isEntry = reader.ValueTextEquals("entry"u8);
                reader.Read();
                if (!isEntry || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    offsets.Add((int)reader.TokenStartIndex);
                    reader.Skip();
                }
            }
        }

        return offsets;
    }

    /// <summary>Line numbers (from 1) of byte offsets in a text.</summary>
    private sealed class LineIndex
    {
        private readonly List<int> starts = [0];

        public LineIndex(ReadOnlySpan<byte> text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == (byte)'\n')
                {
                    starts.Add(i + 1);
                }
            }
        }

        public int LineOf(int offset)
        {
            var index = starts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
    }
}
