using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Import;

/// <summary>
/// One entry read from an import file, as the Beacon model has it, with its links and where it came from.
/// </summary>
/// <param name="Document">the entry's JSON (an object), as Beacon answers will return it</param>
/// <param name="Origin">where in the input it was read (file:line, or file and JSON path): what errors name</param>
public sealed record ImportedEntry(
    EntryType Type, string Id, string? IndividualId, string? BiosampleId, string? RunId, string Document, string Origin);

/// <summary>One item an import adds to an array of a stored individual's document.</summary>
/// <param name="Field">the array it joins: diseases, phenotypicFeatures, measures, interventionsOrProcedures</param>
/// <param name="Item">the item's JSON (an object)</param>
/// <param name="Origin">where in the input it was read: what errors name</param>
public sealed record IndividualAddition(string IndividualId, string Field, string Item, string Origin);

/// <summary>
/// What one import command brings into a dataset: entries of any type but genomic variations (individuals matched by
/// id to the dataset's existing ones, VCF samples included), written together in one transaction by
/// <see cref="EntryWriter"/>. A reader of a format (BFF, FHIR R4, Phenopackets) makes one from its files.
/// </summary>
public sealed class ClinicalBatch
{
    public List<ImportedEntry> Entries { get; } = [];

    /// <summary>
    /// Items for individuals the dataset already holds that the import does not bring (a FHIR Condition of a Patient
    /// imported before): <see cref="EntryWriter"/> appends each to its individual's stored document in the same
    /// transaction, and refuses the import when the dataset holds no such individual.
    /// </summary>
    public List<IndividualAddition> IndividualAdditions { get; } = [];

    /// <summary>Files that were read (for the summary line).</summary>
    public List<string> Files { get; } = [];

    /// <summary>
    /// Genomic variations of the import (BFF genomicVariations.json), written by the reader's own writer inside the
    /// same transaction, after the entries: null when the import has none.
    /// </summary>
    public Action<DuckDB.NET.Data.DuckDBConnection, string>? WriteVariants { get; set; }

    /// <summary>How many genomic variations <see cref="WriteVariants"/> writes.</summary>
    public long Variants { get; set; }

    /// <summary>Warnings of a lenient read (deviations accepted), one line each.</summary>
    public List<string> Warnings { get; } = [];

    public int Count(EntryType type) => Entries.Count(e => e.Type == type);
}

/// <summary>How an import reads its files.</summary>
/// <param name="Lenient">accept the documented harmless deviations of real exports, each reported as a warning</param>
public sealed record ClinicalReadOptions(bool Lenient = false);

/// <summary>How far an import has read: what a terminal shows.</summary>
public readonly record struct ClinicalImportProgress(string File, long Documents, long BytesRead, long TotalBytes, TimeSpan Elapsed);

/// <summary>Reads one clinical format into a <see cref="ClinicalBatch"/>: files in, entries out, nothing written.</summary>
public interface IClinicalReader
{
    /// <summary>The format's name on the command line: bff, fhir, phenopacket.</summary>
    string Format { get; }

    /// <exception cref="ClinicalImportException">the input is not what the format says, with where and why</exception>
    ClinicalBatch Read(string path, ClinicalReadOptions options, IProgress<ClinicalImportProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>An import refused: where (file:line or JSON path) and what is wrong. Nothing of it was stored.</summary>
public sealed class ClinicalImportException(string message, Exception? inner = null) : Exception(message, inner);
