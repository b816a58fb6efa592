using GenomeNode.Beacon.Import.Fhir;

namespace GenomeNode.Beacon.Import;

/// <summary>
/// <c>ingest fhir</c>: FHIR R4 JSON (Bundles of type collection, transaction, batch or searchset, or NDJSON bulk-export
/// files; a file or a directory of .json and .ndjson files) mapped onto Beacon individuals and biosamples as
/// docs/fhir-mapping.md describes. Pure: reads the files, writes nothing.
/// </summary>
public sealed class FhirReader : IClinicalReader
{
    public string Format => "fhir";

    public ClinicalBatch Read(string path, ClinicalReadOptions options, IProgress<ClinicalImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = FhirSource.Files(path);
        var totalBytes = files.Sum(f => new FileInfo(f.Path).Length);
        var warnings = new FhirWarnings();
        var source = new FhirSource(options, warnings, progress);
        var mapping = new FhirMapping(options, warnings);
        var batch = new ClinicalBatch();
        foreach (var (file, name) in files)
        {
            source.Read(file, name, totalBytes, mapping.Add, cancellationToken);
            batch.Files.Add(file);
        }

        mapping.Finish(batch);
        return batch;
    }
}
