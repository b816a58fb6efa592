using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Import;

/// <summary>
/// Reads a Beacon-Friendly Format export: the JSON arrays <c>datasets.json</c>, <c>cohorts.json</c>,
/// <c>individuals.json</c>, <c>biosamples.json</c>, <c>runs.json</c>, <c>analyses.json</c> and
/// <c>genomicVariations.json</c> (each also gzip-compressed as <c>.json.gz</c>; beacon2-ri-tools' vcf2bff writes
/// <c>genomicVariationsVcf.json.gz</c>) of a directory, or one such file. Every document is checked against its entry
/// type's schema in the Beacon v2 default model (<see cref="BeaconModelSchemas"/>); with <see cref="ClinicalReadOptions.Lenient"/>
/// the harmless deviations <see cref="BffLenience"/> lists are rewritten, each reported as a warning.
/// </summary>
public sealed class BffReader : IClinicalReader
{
    private const int ProgressEvery = 1024;

    // In the order entries link to each other (a run names its biosample), which is also the order they are written.
    private static readonly (string Name, EntryType Type)[] Kinds =
    [
        ("datasets", EntryType.Dataset), ("cohorts", EntryType.Cohort), ("individuals", EntryType.Individual),
        ("biosamples", EntryType.Biosample), ("runs", EntryType.Run), ("analyses", EntryType.Analysis),
        ("genomicVariations", EntryType.GenomicVariation), ("genomicVariationsVcf", EntryType.GenomicVariation),
    ];

    public string Format => "bff";

    public ClinicalBatch Read(string path, ClinicalReadOptions options, IProgress<ClinicalImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = Files(path);
        var total = files.Sum(f => new FileInfo(f.Path).Length);
        var clock = Stopwatch.StartNew();
        var batch = new ClinicalBatch();
        var variantFiles = new List<(GenomicVariationImport Import, string Name)>();
        long done = 0;
        long documents = 0;
        foreach (var (file, type) in files)
        {
            var input = JsonImportFile.Read(file);
            batch.Files.Add(input.Path);
            var deviations = new Dictionary<BffLenience.Deviation, (int Count, string First)>();
            GenomicVariationImport? variants = null;
            if (type == EntryType.GenomicVariation)
            {
                variants = new GenomicVariationImport(input.Path, input.Name, Sha256(file), options.Lenient, batch.Warnings);
                variantFiles.Add((variants, input.Name));
            }

            input.ForEach(allowObject: false, (index, element, fraction) =>
            {
                var origin = $"{input.Name}[{index}]";
                Checked(type, element, origin, options.Lenient, deviations, document =>
                {
                    if (variants is not null)
                    {
                        variants.Add(document, origin);
                    }
                    else
                    {
                        batch.Entries.Add(Entry(type, document, origin));
                    }
                });

                if (++documents % ProgressEvery == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new ClinicalImportProgress(input.Path, documents, done + (long)(fraction * input.Length), total, clock.Elapsed));
                }
            });

            done += input.Length;
            progress?.Report(new ClinicalImportProgress(input.Path, documents, done, total, clock.Elapsed));
            foreach (var (deviation, (count, first)) in deviations)
            {
                batch.Warnings.Add($"{input.Name}: {count} × {BffLenience.Describe(deviation)} (first at {first})");
            }
        }

        if (variantFiles.Count > 0)
        {
            var assemblies = variantFiles.Select(v => v.Import.Assembly()).ToList();
            batch.Variants = variantFiles.Sum(v => (long)v.Import.Count);
            batch.WriteVariants = (connection, datasetId) =>
            {
                for (var i = 0; i < variantFiles.Count; i++)
                {
                    variantFiles[i].Import.Write(connection, datasetId, assemblies[i]);
                }
            };
        }

        return batch;
    }

    /// <summary>The files to read, in link order: a directory's BFF files, or the one file named.</summary>
    private static List<(string Path, EntryType Type)> Files(string path)
    {
        if (File.Exists(path))
        {
            return TypeOf(Path.GetFileName(path)) is { } type
                ? [(path, type)]
                : throw new ClinicalImportException(
                    $"{path}: not a BFF file name: expected one of {string.Join(", ", Kinds.Select(k => k.Name + ".json"))} (or .json.gz)");
        }

        if (!Directory.Exists(path))
        {
            throw new ClinicalImportException($"{path} does not exist");
        }

        var found = Directory.EnumerateFiles(path)
            .Select(file => (Path: file, Type: TypeOf(Path.GetFileName(file))))
            .Where(f => f.Type is not null)
            .Select(f => (f.Path, Type: f.Type!.Value))
            .OrderBy(f => Array.FindIndex(Kinds, k => k.Type == f.Type))
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        return found.Count > 0
            ? found
            : throw new ClinicalImportException(
                $"{path} holds no BFF file ({string.Join(", ", Kinds.Select(k => k.Name + ".json"))}, or .json.gz)");
    }

    private static EntryType? TypeOf(string fileName)
    {
        foreach (var (name, type) in Kinds)
        {
            if (string.Equals(fileName, name + ".json", StringComparison.Ordinal) || string.Equals(fileName, name + ".json.gz", StringComparison.Ordinal))
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>
    /// Checks a document against its schema and hands on the document to keep: the same one, or (lenient) the one with
    /// its deviations rewritten.
    /// </summary>
    private static void Checked(
        EntryType type, JsonElement element, string origin, bool lenient, Dictionary<BffLenience.Deviation, (int Count, string First)> deviations,
        Action<JsonElement> keep)
    {
        var faults = BeaconModelSchemas.Validate(type, element);
        if (faults.Count == 0)
        {
            keep(element);
            return;
        }

        var node = JsonNode.Parse(element.GetRawText())!;
        var rewritten = BffLenience.Apply(node);
        using var fixedDocument = rewritten.Count == 0 ? null : JsonDocument.Parse(node.ToJsonString());
        var remaining = fixedDocument is null ? faults : BeaconModelSchemas.Validate(type, fixedDocument.RootElement);
        if (remaining.Count > 0 || !lenient)
        {
            var hint = remaining.Count == 0
                ? $" (--lenient accepts this: {string.Join("; ", rewritten.Select(r => r.Deviation).Distinct().Select(BffLenience.Describe))})"
                : "";
            throw new ClinicalImportException($"{origin} {BeaconModelSchemas.Describe(lenient ? remaining : faults)}{hint}");
        }

        foreach (var (deviation, pointer) in rewritten)
        {
            deviations[deviation] = deviations.TryGetValue(deviation, out var seen) ? (seen.Count + 1, seen.First) : (1, $"{origin} {pointer}");
        }

        keep(fixedDocument!.RootElement);
    }

    private static ImportedEntry Entry(EntryType type, JsonElement document, string origin)
    {
        // Every entry type but genomic variations requires an id (checked by its schema).
        var id = document.GetProperty("id").GetString()!;
        return new ImportedEntry(type, id,
            type is EntryType.Biosample or EntryType.Run or EntryType.Analysis ? Text(document, "individualId") : null,
            type is EntryType.Run or EntryType.Analysis ? Text(document, "biosampleId") : null,
            type == EntryType.Analysis ? Text(document, "runId") : null,
            document.GetRawText(), origin);

        static string? Text(JsonElement document, string name) =>
            document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
