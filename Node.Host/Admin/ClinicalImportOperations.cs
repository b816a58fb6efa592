using System.Text.Json;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Import;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Host.Admin;

public sealed record ClinicalImportArguments(string DatasetId, string Format, string Path, bool Lenient);

/// <summary>The <c>ingest bff|fhir|phenopacket</c> operation: the format's reader, then one transaction of the catalog.</summary>
internal static class ClinicalImportOperations
{
    public const string Import = "ingest.clinical";

    /// <summary>Where a CLI running the import in its own process shows progress; unset inside a serving node.</summary>
    public static AsyncLocal<IProgress<ClinicalImportProgress>?> ProgressSink { get; } = new();

    public static async Task<OperationResult> ImportAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<ClinicalImportArguments>(arguments);
        var reader = services.GetServices<IClinicalReader>().FirstOrDefault(r => string.Equals(r.Format, request.Format, StringComparison.OrdinalIgnoreCase));
        if (reader is null)
        {
            return OperationResult.Fail($"unknown import format '{request.Format}'");
        }

        var catalog = services.GetRequiredService<DatasetCatalog>();
        var writer = services.GetRequiredService<EntryWriter>();
        try
        {
            var result = await Task.Run(() =>
            {
                // Read (and checked) in full before the transaction opens: a bad file costs no write and holds no lock.
                var batch = reader.Read(request.Path, new ClinicalReadOptions(request.Lenient), ProgressSink.Value, cancellationToken);
                return catalog.WriteData(request.DatasetId, () => writer.WriteInTransaction(request.DatasetId, batch));
            }, cancellationToken);
            return OperationResult.Ok(Describe(request, result));
        }
        catch (ClinicalImportException ex)
        {
            return OperationResult.Fail($"{ex.Message}; nothing was stored");
        }
        catch (DatasetCatalogException ex)
        {
            return OperationResult.Fail(ex.Message);
        }
    }

    public static string Describe(ClinicalImportArguments request, ClinicalImportResult result)
    {
        var parts = EntryTypes.All.Where(t => result.Entries.ContainsKey(t))
            .Select(t => $"{result.Entries[t]} {(result.Entries[t] == 1 ? t.Name() : t.PathSegment())}")
            .ToList();
        if (result.Variants > 0)
        {
            parts.Add($"{result.Variants} genomic variations");
        }

        var warnings = result.Warnings.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, result.Warnings.Select(w => "warning: " + w));
        return $"imported {request.Path} ({request.Format}) into dataset '{result.DatasetId}': " +
            (parts.Count == 0 ? "nothing" : string.Join(", ", parts)) +
            (result.NewIndividuals > 0 ? $" ({result.NewIndividuals} new individuals)" : "") +
            (result.AmendedIndividuals > 0 ? $"; added to {result.AmendedIndividuals} individuals already stored" : "") + warnings;
    }
}
