using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Beacon.Variants;
using GenomeNode.Beacon.Vcf;
using GenomeNode.Storage;

namespace GenomeNode.Beacon.Import;

/// <summary>How a carrier carries an allele, as the store keeps carriers.</summary>
internal enum Zygosity
{
    Heterozygous,
    Homozygous,
    Hemizygous,
}

/// <summary>One caseLevelData entry: who carries the allele (an individual, or a biosample of one) and how.</summary>
internal sealed record ImportedCarrier(string Pointer, string? IndividualId, string? BiosampleId, Zygosity Zygosity);

/// <summary>A genomicVariation document read for the variant store: its allele in the store's canonical form, its carriers and annotation.</summary>
internal sealed record ImportedVariant(
    string Origin, string Chromosome, int Start, int End, string Ref, string Alt, string VariantType, string? Assembly, string? VcfId,
    IReadOnlyList<ImportedCarrier> Carriers, IReadOnlyList<string> Genes, IReadOnlyList<string> Effects, IReadOnlyList<string> AminoacidChanges,
    IReadOnlyList<string> TranscriptHgvs, IReadOnlyList<string> ProteinHgvs);

/// <summary>
/// The genomicVariations of a BFF file, read (and checked) before the import's transaction and written inside it
/// (<see cref="ClinicalBatch.WriteVariants"/>) as a VCF ingest writes a file: one <c>beacon.variant_files</c> row with
/// an id from the sequence, its variants sorted by (chrom, start) through the ingest's own row writer, carriers as the
/// dataset's sample indexes. Variants answer g_variants exactly as ingested VCF variants do.
/// </summary>
internal sealed class GenomicVariationImport(string path, string name, string sha256, bool lenient, List<string> warnings)
{
    /// <summary>The assembly of a file whose variants name none (docs/clinical-import.md).</summary>
    public const string DefaultAssembly = ReferenceNames.GRCh38;

    private readonly List<ImportedVariant> variants = [];
    private readonly Dictionary<string, string> internalIds = new(StringComparer.Ordinal);

    public int Count => variants.Count;

    /// <summary>Reads one document (already valid against the model's schema).</summary>
    /// <exception cref="ClinicalImportException">what the store cannot hold: no position, no bases, an unknown zygosity, ...</exception>
    public void Add(JsonElement document, string origin)
    {
        var internalId = document.GetProperty("variantInternalId").GetString()!;
        if (!internalIds.TryAdd(internalId, origin))
        {
            throw new ClinicalImportException($"{origin}: variantInternalId '{internalId}' is also given at {internalIds[internalId]}");
        }

        variants.Add(Read(document, origin));
    }

    /// <summary>The file's assembly: the one its variants name, else <see cref="DefaultAssembly"/>.</summary>
    public string Assembly()
    {
        var named = variants.Where(v => v.Assembly is not null).ToList();
        if (named.Count == 0)
        {
            warnings.Add($"{name}: no variant names its assembly (a RefSeq accession in variation.location.sequence_id or identifiers.genomicHGVSId); {DefaultAssembly} assumed");
            return DefaultAssembly;
        }

        var first = named[0];
        if (named.FirstOrDefault(v => v.Assembly != first.Assembly) is { } other)
        {
            throw new ClinicalImportException(
                $"{other.Origin}: the variant is on {other.Assembly} but {first.Origin} is on {first.Assembly}: one genomicVariations file holds one assembly");
        }

        return first.Assembly!;
    }

    /// <summary>Writes the file's variants into the dataset, inside the caller's open transaction.</summary>
    /// <exception cref="ClinicalImportException">a carrier names no individual (or biosample of one) of the dataset or the import</exception>
    public long Write(DuckDBConnection connection, string datasetId, string assembly)
    {
        var individuals = DatasetIndividuals.Load(connection, datasetId);
        var biosamples = connection.Read(
                "SELECT id, individual_id FROM beacon.entries WHERE dataset_id = $1 AND entry_type = 'biosample'",
                r => (Id: r.GetString(0), Individual: r.IsDBNull(1) ? null : r.GetString(1)), datasetId)
            .ToDictionary(b => b.Id, b => b.Individual, StringComparer.Ordinal);
        var takenAsIndividuals = 0;
        string? firstTaken = null;
        var resolved = new List<(ImportedVariant Variant, List<(int Index, Zygosity Zygosity)> Carriers)>(variants.Count);
        var samples = new HashSet<int>();
        foreach (var variant in variants)
        {
            var carriers = new List<(int, Zygosity)>(variant.Carriers.Count);
            var seen = new HashSet<int>();
            foreach (var carrier in variant.Carriers)
            {
                var index = Individual(carrier, variant.Origin);
                if (seen.Add(index))
                {
                    // Two biosamples of one individual (tumour and normal) name the individual once.
                    carriers.Add((index, carrier.Zygosity));
                    samples.Add(index);
                }
            }

            resolved.Add((variant, carriers));
        }

        if (takenAsIndividuals > 0)
        {
            warnings.Add($"{name}: {takenAsIndividuals} caseLevelData entries name by biosampleId no biosample but an individual of that id, " +
                $"read as that individual (first at {firstTaken})");
        }

        var fileId = VariantFiles.NextId(connection);
        var identity = Enumerable.Range(0, individuals.Next).ToArray();
        var record = new VcfRecord();
        var maxSpan = 0;
        long rows = 0;
        using (var appender = new VariantAppender(connection, fileId, VariantChunk.Capacity))
        {
            foreach (var (variant, carriers) in resolved
                         .OrderBy(v => v.Variant.Chromosome, StringComparer.Ordinal).ThenBy(v => v.Variant.Start).ThenBy(v => v.Variant.End)
                         .ThenBy(v => v.Variant.Ref, StringComparer.Ordinal).ThenBy(v => v.Variant.Alt, StringComparer.Ordinal))
            {
                Fill(record, variant, carriers, samples.Count);
                rows += appender.Write(record, identity, individuals.Next, ref maxSpan);
            }

            appender.Complete();
        }

        VariantFiles.RemoveSameFile(connection, datasetId, sha256, fileId);
        VariantFiles.Insert(connection, datasetId, fileId, path, sha256, assembly, samples.Count, variants.Count, rows, maxSpan, sampleIndexes: null);
        return rows;

        int Individual(ImportedCarrier carrier, string origin)
        {
            if (carrier.IndividualId is { } individualId)
            {
                if (!individuals.Known.TryGetValue(individualId, out var index))
                {
                    throw new ClinicalImportException(
                        $"{origin} {carrier.Pointer}/individualId: '{individualId}' names no individual of dataset '{datasetId}' nor of this import");
                }

                if (carrier.BiosampleId is { } sample && biosamples.TryGetValue(sample, out var owner) && owner is not null && owner != individualId)
                {
                    throw new ClinicalImportException(
                        $"{origin} {carrier.Pointer}: biosample '{sample}' belongs to individual '{owner}', not to '{individualId}'");
                }

                return index;
            }

            var biosampleId = carrier.BiosampleId!;
            if (biosamples.TryGetValue(biosampleId, out var individual))
            {
                return individual is not null && individuals.Known.TryGetValue(individual, out var index)
                    ? index
                    : throw new ClinicalImportException(
                        $"{origin} {carrier.Pointer}/biosampleId: biosample '{biosampleId}' names no individual (individualId), so its carrier is unknown");
            }

            if (lenient && individuals.Known.TryGetValue(biosampleId, out var sameId))
            {
                takenAsIndividuals++;
                firstTaken ??= $"{origin} {carrier.Pointer}/biosampleId";
                return sameId;
            }

            var hint = !lenient && individuals.Known.ContainsKey(biosampleId)
                ? $" (an individual has that id: --lenient reads it as that individual)"
                : "";
            throw new ClinicalImportException(
                $"{origin} {carrier.Pointer}/biosampleId: '{biosampleId}' names no biosample of dataset '{datasetId}' nor of this import{hint}");
        }
    }

    private static void Fill(VcfRecord record, ImportedVariant variant, List<(int Index, Zygosity Zygosity)> carriers, int samples)
    {
        record.Chromosome = variant.Chromosome;
        record.ChromosomeBytes = Encoding.UTF8.GetBytes(variant.Chromosome);
        record.Position = variant.Start + 1;
        record.SetId(variant.VcfId is null ? default : Encoding.UTF8.GetBytes(variant.VcfId));
        record.ResetAlleles(1);
        var allele = record.Allele(0);
        allele.Start = variant.Start;
        allele.End = variant.End;
        allele.SetAlleles(Encoding.ASCII.GetBytes(variant.Ref), Encoding.ASCII.GetBytes(variant.Alt), upper: false);
        allele.VariantType = variant.VariantType;
        allele.Stored = true;
        var hemizygous = 0;
        foreach (var (index, zygosity) in carriers)
        {
            switch (zygosity)
            {
                case Zygosity.Heterozygous:
                    allele.Heterozygous.Add(index);
                    allele.Count += 1;
                    break;
                case Zygosity.Homozygous:
                    allele.Homozygous.Add(index);
                    allele.Count += 2;
                    break;
                default:
                    allele.Hemizygous.Add(index);
                    allele.Count += 1;
                    hemizygous++;
                    break;
            }
        }

        // The file's samples are the individuals its caseLevelData name (a VCF's sample columns): diploid, but for
        // the hemizygous carriers' single allele.
        record.AlleleNumber = (2 * samples) - hemizygous;
        foreach (var gene in variant.Genes)
        {
            allele.Annotation.Genes.AddDistinct(gene);
        }

        foreach (var effect in variant.Effects)
        {
            allele.Annotation.Effects.AddDistinct(effect);
        }

        foreach (var change in variant.AminoacidChanges)
        {
            allele.Annotation.AminoacidChanges.AddDistinct(change);
        }

        foreach (var hgvs in variant.TranscriptHgvs)
        {
            allele.Annotation.TranscriptHgvs.AddDistinct(hgvs);
        }

        foreach (var hgvs in variant.ProteinHgvs)
        {
            allele.Annotation.ProteinHgvs.AddDistinct(hgvs);
        }
    }

    private static ImportedVariant Read(JsonElement document, string origin)
    {
        var variation = document.GetProperty("variation");
        if (!variation.TryGetProperty("location", out var location) || location.ValueKind != JsonValueKind.Object)
        {
            throw new ClinicalImportException($"{origin} /variation: no location: the store keeps variants by position (variation.location)");
        }

        var (chromosome, assembly) = Sequence(location, origin);
        var (start, end) = Interval(location, origin);
        var alt = Bases(variation, "alternateBases")
            ?? (variation.TryGetProperty("state", out var state) && state.TryGetProperty("sequence", out var sequence) && sequence.ValueKind == JsonValueKind.String
                ? sequence.GetString()!
                : throw new ClinicalImportException($"{origin} /variation: no alternate bases (alternateBases, or state.sequence of a VRS Allele)"));
        var identifiers = document.TryGetProperty("identifiers", out var ids) && ids.ValueKind == JsonValueKind.Object ? ids : default;
        var genomicHgvs = identifiers.ValueKind == JsonValueKind.Object && identifiers.TryGetProperty("genomicHGVSId", out var hgvs)
            && hgvs.ValueKind == JsonValueKind.String
            ? hgvs.GetString()
            : null;
        var reference = Bases(variation, "referenceBases") ?? (end == start ? "" : ReferenceFromHgvs(genomicHgvs, start, end))
            ?? throw new ClinicalImportException(
                $"{origin} /variation: no referenceBases for the {end - start} bases at {start}-{end} (nor an HGVS substitution in identifiers.genomicHGVSId)");
        if (!Alleles.IsSequence(reference) || !Alleles.IsSequence(alt))
        {
            throw new ClinicalImportException($"{origin} /variation: the bases '{reference}' > '{alt}' are not a sequence (symbolic alleles are imported from VCFs)");
        }

        if (reference.Length != end - start)
        {
            throw new ClinicalImportException(
                $"{origin} /variation/location/interval: spans {end - start} bases ({start}-{end}) but referenceBases '{reference}' has {reference.Length}");
        }

        var canonical = Alleles.Normalise(start, reference, alt)
            ?? throw new ClinicalImportException($"{origin} /variation: referenceBases and alternateBases are the same ('{reference}'): no variant");
        assembly ??= genomicHgvs is { } named && named.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon
            ? ReferenceNames.Resolve(named[..colon]).Assembly
            : null;
        if (assembly is null && document.TryGetProperty("_position", out var position) && position.ValueKind == JsonValueKind.Object
            && position.TryGetProperty("assemblyId", out var assemblyId) && assemblyId.ValueKind == JsonValueKind.String)
        {
            // beacon2-ri-tools' vcf2bff writes the VCF's assembly here.
            assembly = ReferenceNames.CanonicalAssembly(assemblyId.GetString());
        }

        var carriers = new List<ImportedCarrier>();
        if (document.TryGetProperty("caseLevelData", out var cases))
        {
            var i = 0;
            foreach (var item in cases.EnumerateArray())
            {
                carriers.Add(Carrier(item, $"/caseLevelData/{i++}", origin));
            }
        }

        var genes = new List<string>();
        var effects = new List<string>();
        var changes = new List<string>();
        if (document.TryGetProperty("molecularAttributes", out var molecular))
        {
            genes.AddRange(Strings(molecular, "geneIds"));
            if (molecular.TryGetProperty("molecularEffects", out var terms))
            {
                // The store keeps effect names (SnpEff/VEP's), as the label of the term; else its id.
                effects.AddRange(terms.EnumerateArray().Select(t => t.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.String
                    ? label.GetString()!
                    : t.GetProperty("id").GetString()!));
            }

            changes.AddRange(Strings(molecular, "aminoacidChanges").Select(AminoAcids.ChangeFromHgvs).OfType<string>());
        }

        var transcripts = identifiers.ValueKind == JsonValueKind.Object ? Strings(identifiers, "transcriptHGVSIds").ToList() : [];
        var proteins = identifiers.ValueKind == JsonValueKind.Object ? Strings(identifiers, "proteinHGVSIds").ToList() : [];
        changes.AddRange(proteins.Select(AminoAcids.ChangeFromHgvs).OfType<string>());
        return new ImportedVariant(origin, chromosome, canonical.Start, canonical.End, canonical.Ref, canonical.Alt, canonical.VariantType, assembly,
            DbSnpId(identifiers), carriers, genes.Distinct().ToList(), effects.Distinct().ToList(), changes.Distinct().ToList(), transcripts, proteins);
    }

    private static (string Chromosome, string? Assembly) Sequence(JsonElement location, string origin)
    {
        if (location.TryGetProperty("sequence_id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            var text = id.GetString()!;
            // beacon2-ri-tools write "HGVSid:22:g.16050075G>A"; this node writes "refseq:NC_000017.11" or "GRCh38:17".
            if (text.StartsWith("HGVSid:", StringComparison.OrdinalIgnoreCase))
            {
                var rest = text[7..];
                var colon = rest.IndexOf(':', StringComparison.Ordinal);
                text = colon > 0 ? rest[..colon] : rest;
            }
            else if (text.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon
                     && ReferenceNames.CanonicalAssembly(text[..colon]) is { } assembly)
            {
                return (ReferenceNames.Canonical(text.AsSpan(colon + 1)), assembly);
            }

            if (text.StartsWith("ga4gh:", StringComparison.OrdinalIgnoreCase) || text.Length == 0)
            {
                throw new ClinicalImportException(
                    $"{origin} /variation/location/sequence_id: '{text}' names no chromosome this node knows (give refseq:NC_..., HGVSid:CHROM:... or a chromosome name)");
            }

            var (chromosome, named) = ReferenceNames.Resolve(text);
            if (ReferenceNames.LooksLikeAccession(chromosome))
            {
                throw new ClinicalImportException($"{origin} /variation/location/sequence_id: '{text}' is no RefSeq accession of GRCh37 or GRCh38 chromosomes");
            }

            return (chromosome, named);
        }

        throw new ClinicalImportException(
            $"{origin} /variation/location: a {(location.TryGetProperty("type", out var type) ? type.ToString() : "location")} without sequence_id: the store needs a sequence and a position");
    }

    private static (int Start, int End) Interval(JsonElement location, string origin)
    {
        if (location.TryGetProperty("interval", out var interval)
            && Number(interval, "start") is { } start && Number(interval, "end") is { } end && start >= 0 && end >= start)
        {
            return (start, end);
        }

        throw new ClinicalImportException(
            $"{origin} /variation/location/interval: the store needs an exact position (start and end of type Number, start <= end), not a range");

        static int? Number(JsonElement interval, string name) =>
            interval.TryGetProperty(name, out var bound) && bound.ValueKind == JsonValueKind.Object
            && bound.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : null;
    }

    // "-" and "." stand for no bases (the pattern of referenceBases allows them).
    private static string? Bases(JsonElement variation, string name) =>
        variation.TryGetProperty(name, out var bases) && bases.ValueKind == JsonValueKind.String
            ? bases.GetString()!.Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal)
            : null;

    // "NC_000022.11:g.16050075G>A": the substituted base, when the HGVS names the variant's one position.
    private static string? ReferenceFromHgvs(string? hgvs, int start, int end)
    {
        if (hgvs is null || end - start != 1)
        {
            return null;
        }

        var g = hgvs.IndexOf(":g.", StringComparison.Ordinal);
        var arrow = hgvs.IndexOf('>', StringComparison.Ordinal);
        if (g < 0 || arrow < g + 4)
        {
            return null;
        }

        var change = hgvs[(g + 3)..arrow];
        var digits = change.TakeWhile(char.IsAsciiDigit).Count();
        return int.TryParse(change.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position == end
            && change.Length == digits + 1
            ? change[digits..]
            : null;
    }

    private static ImportedCarrier Carrier(JsonElement item, string pointer, string origin)
    {
        var individual = item.TryGetProperty("individualId", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        var biosample = item.TryGetProperty("biosampleId", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        if (!item.TryGetProperty("zygosity", out var zygosity) || zygosity.ValueKind != JsonValueKind.Object)
        {
            throw new ClinicalImportException(
                $"{origin} {pointer}: no zygosity: the store keeps carriers by zygosity (GENO:0000135 heterozygous, GENO:0000136 homozygous, GENO:0000134 hemizygous)");
        }

        var id = zygosity.GetProperty("id").GetString()!;
        return new ImportedCarrier(pointer, individual, biosample, ZygosityOf(id)
            ?? throw new ClinicalImportException(
                $"{origin} {pointer}/zygosity/id: '{id}' is no zygosity this node knows (GENO:0000135 heterozygous, GENO:0000458 simple heterozygous, " +
                "GENO:0000402 compound heterozygous, GENO:0000136 homozygous, GENO:0000134 hemizygous, GENO:0000604-0000606 hemizygous X/Y/insertion-linked)"));
    }

    /// <summary>The zygosity a GENO term names; "GENO:GENO_0000458" (as beacon2-ri-tools write it) and "GENO_0000458" too.</summary>
    public static Zygosity? ZygosityOf(string id)
    {
        var local = id;
        foreach (var prefix in (string[])["GENO:GENO_", "GENO_", "GENO:"])
        {
            if (local.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                local = local[prefix.Length..];
                break;
            }
        }

        return local switch
        {
            "0000135" or "0000458" or "0000402" => Zygosity.Heterozygous,
            "0000136" => Zygosity.Homozygous,
            "0000134" or "0000604" or "0000605" or "0000606" => Zygosity.Hemizygous,
            _ => null,
        };
    }

    private static IEnumerable<string> Strings(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)
                .Where(s => s.Length > 0 && s != ".")
            : [];

    private static string? DbSnpId(JsonElement identifiers)
    {
        if (identifiers.ValueKind != JsonValueKind.Object || !identifiers.TryGetProperty("variantAlternativeIds", out var ids))
        {
            return null;
        }

        foreach (var reference in ids.EnumerateArray())
        {
            var id = reference.ValueKind == JsonValueKind.Object && reference.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : reference.ValueKind == JsonValueKind.String ? reference.GetString()! : "";
            var local = id.StartsWith("dbSNP:", StringComparison.OrdinalIgnoreCase) ? id[6..] : id;
            if (local.StartsWith("rs", StringComparison.Ordinal) && local.Length > 2 && local[2..].All(char.IsAsciiDigit))
            {
                return local;
            }
        }

        return null;
    }
}
