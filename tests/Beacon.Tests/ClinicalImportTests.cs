using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Import;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Passport.Datasets;
using GenomeNode.Storage;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// <c>ingest bff</c> and <c>ingest phenopacket</c> below the command line: the readers, then the entry writer in the
/// catalog's one transaction, against a real DuckDB file. Expected counts are computed from the input files here.
/// </summary>
public sealed class ClinicalImportTests : IDisposable
{
    private const string Dataset = "fi-cohort";

    private static readonly string Bff = Path.Combine(AppContext.BaseDirectory, "Data", "bff");
    private static readonly string Phenopackets = Path.Combine(AppContext.BaseDirectory, "Data", "phenopackets");

    private readonly TestDatabase database = new();
    private readonly TemporaryDirectory files = new("genome-node-import");
    private readonly DatasetCatalog catalog;

    public ClinicalImportTests()
    {
        catalog = BeaconLifecycle.Catalog(database.Connection);
        catalog.AddAsync(new NewDataset(Dataset, "FI cohort", AccessTier.Public)).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        database.Dispose();
        files.Dispose();
    }

    [Fact]
    public void A_BFF_export_comes_back_entry_for_entry_with_its_links_and_its_variants()
    {
        var result = Import(new BffReader(), Bff);

        var entries = EntryIndex.Read(database.Connection, Dataset);
        foreach (var (file, type) in BffFiles.Where(f => f.Type != EntryType.GenomicVariation))
        {
            var expected = Documents(Path.Combine(Bff, file));
            Assert.Equal(expected.Select(d => (string)d["id"]!).Order(), entries.Of(type).Select(e => e.Id).Order());
            Assert.Equal(expected.Count, result.Entries[type]);
            foreach (var document in expected)
            {
                var stored = entries.Find(type, (string)document["id"]!)!;
                Assert.True(JsonNode.DeepEquals(document, JsonNode.Parse(stored.Document!.Value.Span)), $"{type} {document["id"]} changed on the way");
            }
        }

        var run = entries.Find(EntryType.Run, "RUN-FIN001-WGS")!;
        Assert.Equal(("FIN001-blood", IndexOf("FIN001")), (run.BiosampleId, run.Individual));
        var analysis = entries.Find(EntryType.Analysis, "ANALYSIS-FIN001-GATK")!;
        Assert.Equal("RUN-FIN001-WGS", analysis.RunId);
        Assert.Equal(Documents(Path.Combine(Bff, "genomicVariations.json")).Count, result.Variants);
        Assert.Equal(result.Variants, Scalar($"SELECT count(*) FROM beacon.variants JOIN beacon.variant_files USING (file_id) WHERE dataset_id = '{Dataset}'"));
        Assert.Equal("GRCh38 2 3", Text($"SELECT assembly || ' ' || samples || ' ' || records FROM beacon.variant_files WHERE dataset_id = '{Dataset}'"));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task Imported_genomic_variations_are_stored_as_the_same_genotypes_ingested_from_a_VCF()
    {
        Import(new BffReader(), Bff);
        // The export's three variants and carriers, written as a VCF (FIN001 and FIN003 are its samples).
        var vcf = Path.Combine(files.Path, "same.vcf");
        File.WriteAllText(vcf, "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tFIN001\tFIN003\n" +
            "chr13\t32338001\t.\tAT\tA\t.\tPASS\t.\tGT\t0/0\t0/1\n" +
            "chr17\t43045712\trs55770810\tG\tA\t.\tPASS\t.\tGT\t0/1\t1/1\n" +
            "chr17\t43045801\t.\tC\tCAG\t.\tPASS\t.\tGT\t0/1\t0/1\n");
        await catalog.AddAsync(new NewDataset("from-vcf", "From VCF", AccessTier.Public));
        catalog.WriteData("from-vcf", () => new VcfIngester(database.Connection).IngestInTransaction(new VcfIngestRequest("from-vcf", vcf, "GRCh38")));

        Assert.Equal(Rows("from-vcf"), Rows(Dataset));
    }

    [Fact]
    public async Task Imported_variants_answer_g_variants_with_their_carriers_as_VCF_variants_do()
    {
        await using var node = new BeaconNode();
        _ = node.Server;
        using (var scope = node.Services.CreateScope())
        {
            var services = scope.ServiceProvider;
            var nodeCatalog = services.GetRequiredService<DatasetCatalog>();
            await nodeCatalog.AddAsync(new NewDataset(Dataset, "FI cohort", AccessTier.Public));
            var reader = services.GetServices<IClinicalReader>().Single(r => r.Format == "bff");
            var batch = reader.Read(Bff, new ClinicalReadOptions(), null, CancellationToken.None);
            nodeCatalog.WriteData(Dataset, () => services.GetRequiredService<EntryWriter>().WriteInTransaction(Dataset, batch));
        }

        var (status, json) = await node.GetAsync(
            $"/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A&datasetIds={Dataset}&requestedGranularity=record");

        Assert.True(status == 200, json);
        BeaconSchemas.AssertValid(json, BeaconSchemas.ResultsetsResponse);
        var variant = BeaconNode.Parse(json)["response"]!["resultSets"]![0]!["results"]![0]!;
        Assert.Equal("17:43045711:G:A", (string?)variant["variantInternalId"]);
        Assert.Equal(["BRCA1"], variant["molecularAttributes"]!["geneIds"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(["R1699W"], variant["molecularAttributes"]!["aminoacidChanges"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(
            ["FIN001 GENO:0000135", "FIN003 GENO:0000136"],
            variant["caseLevelData"]!.AsArray().Select(c => $"{c!["individualId"]} {c["zygosity"]!["id"]}"));
    }

    [Fact]
    public void Importing_the_same_files_again_replaces_what_they_brought_instead_of_adding_to_it()
    {
        Import(new BffReader(), Bff);
        var first = Snapshot();

        var again = Import(new BffReader(), Bff);

        Assert.Equal(0, again.NewIndividuals);
        Assert.Equal(first.Where(r => !r.StartsWith("variant_files", StringComparison.Ordinal) && !r.StartsWith("variants", StringComparison.Ordinal)),
            Snapshot().Where(r => !r.StartsWith("variant_files", StringComparison.Ordinal) && !r.StartsWith("variants", StringComparison.Ordinal)));
        Assert.Equal(Rows(Dataset).Count, Documents(Path.Combine(Bff, "genomicVariations.json")).Count);
        Assert.Equal(1L, Scalar("SELECT count(*) FROM beacon.variant_files"));
    }

    [Fact]
    public void An_imported_individual_with_the_id_of_a_VCF_sample_is_that_sample()
    {
        var vcf = Path.Combine(files.Path, "fin002.vcf");
        File.WriteAllText(vcf, "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE-X\tFIN002\n" +
            "chr1\t1000\t.\tA\tG\t.\tPASS\t.\tGT\t0/0\t0/1\n");
        catalog.WriteData(Dataset, () => new VcfIngester(database.Connection).IngestInTransaction(new VcfIngestRequest(Dataset, vcf, "GRCh38")));
        var before = IndexOf("FIN002");

        var result = Import(new BffReader(), Bff);

        Assert.Equal(1, before);
        Assert.Equal(before, IndexOf("FIN002"));
        Assert.Equal(Documents(Path.Combine(Bff, "individuals.json")).Count - 1, result.NewIndividuals);
        var fin002 = EntryIndex.Read(database.Connection, Dataset).Individuals[before]!;
        Assert.Equal("NCIT:C20197", JsonNode.Parse(fin002.Document!.Value.Span)!["sex"]!["id"]!.GetValue<string>());
        Assert.Equal("1:999:A:G " + before, Text("SELECT chrom || ':' || start || ':' || ref || ':' || alt || ' ' || het[1] FROM beacon.variants WHERE chrom = '1'"));
    }

    [Fact]
    public void A_schema_invalid_document_stops_the_import_naming_file_index_pointer_and_fault_and_changes_nothing()
    {
        Import(new BffReader(), Bff);
        var before = Snapshot();
        var export = CopyOfExport();
        var individuals = Documents(Path.Combine(export, "individuals.json"));
        individuals[1]!["sex"] = new JsonObject { ["label"] = "male" };
        File.WriteAllText(Path.Combine(export, "individuals.json"), new JsonArray([.. individuals.Select(d => d!.DeepClone())]).ToJsonString());

        var error = Assert.Throws<ClinicalImportException>(() => Import(new BffReader(), export));

        Assert.Equal("individuals.json[1] /sex: required property 'id' missing", error.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Broken_JSON_stops_the_import_with_file_line_and_column_and_changes_nothing()
    {
        Import(new BffReader(), Bff);
        var before = Snapshot();
        var export = CopyOfExport();
        File.WriteAllText(Path.Combine(export, "runs.json"), "[\n  { \"id\": \"RUN-1\",\n    \"runDate\" \"2026-04-01\" }\n]\n");

        var error = Assert.Throws<ClinicalImportException>(() => Import(new BffReader(), export));

        Assert.StartsWith("runs.json:3:15: not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData("biosamples.json", "/0/individualId", "FIN999",
        "biosamples.json[0]: individualId 'FIN999' names no individual of dataset 'fi-cohort' nor of this import")]
    [InlineData("genomicVariations.json", "/1/caseLevelData/0/individualId", "FIN999",
        "genomicVariations.json[1] /caseLevelData/0/individualId: 'FIN999' names no individual of dataset 'fi-cohort' nor of this import")]
    [InlineData("genomicVariations.json", "/0/caseLevelData/1/biosampleId", "FIN999-blood",
        "genomicVariations.json[0] /caseLevelData/1/biosampleId: 'FIN999-blood' names no biosample of dataset 'fi-cohort' nor of this import")]
    public void A_reference_to_a_missing_individual_or_biosample_stops_the_import_and_changes_nothing(string file, string location, string value, string message)
    {
        var empty = Snapshot();
        var export = CopyOfExport();
        var documents = JsonNode.Parse(File.ReadAllText(Path.Combine(export, file)))!;
        var segments = location.Trim('/').Split('/');
        var parent = segments[..^1].Aggregate(documents, (node, segment) => int.TryParse(segment, out var i) ? node[i]! : node[segment]!);
        parent[segments[^1]] = value;
        File.WriteAllText(Path.Combine(export, file), documents.ToJsonString());

        var error = Assert.Throws<ClinicalImportException>(() => Import(new BffReader(), export));

        Assert.Equal(message, error.Message);
        Assert.Equal(empty, Snapshot());
    }

    [Fact]
    public async Task A_dataset_document_of_another_dataset_is_refused_naming_both_ids()
    {
        await catalog.AddAsync(new NewDataset("other", "Other", AccessTier.Public));
        var batch = new BffReader().Read(Bff, new ClinicalReadOptions(), null, CancellationToken.None);

        var error = Assert.Throws<ClinicalImportException>(() =>
            catalog.WriteData("other", () => new EntryWriter(database.Connection).WriteInTransaction("other", batch)));

        Assert.Equal("datasets.json[0]: the dataset document's id 'fi-cohort' is not the dataset imported into ('other')", error.Message);
    }

    [Fact]
    public void The_deviations_of_the_models_own_examples_are_refused_with_a_hint_and_accepted_leniently_with_warnings()
    {
        var export = Path.Combine(files.Path, "lenient");
        Directory.CreateDirectory(export);
        // As the Beacon v2.1.1 model's individual-MID example writes them: a wrapped age of onset, "units" for "unit".
        File.WriteAllText(Path.Combine(export, "individuals.json"), """
            [{"id": "FIN010", "sex": {"id": "NCIT:C16576", "label": "female"},
              "diseases": [{"diseaseCode": {"id": "NCIT:C4872", "label": "Breast Carcinoma"}, "ageOfOnset": {"age": {"iso8601duration": "P41Y"}}}],
              "measures": [{"assayCode": {"id": "LOINC:26515-7", "label": "Platelets [#/volume] in Blood"},
                            "measurementValue": {"units": {"id": "NCIT:C103452", "label": "Per Milliliter"}, "value": 55345},
                            "observationMoment": {"age": {"iso8601duration": "P41Y2M"}}}]}]
            """);

        var strict = Assert.Throws<ClinicalImportException>(() => new BffReader().Read(export, new ClinicalReadOptions(), null, CancellationToken.None));
        var batch = new BffReader().Read(export, new ClinicalReadOptions(Lenient: true), null, CancellationToken.None);

        Assert.True(strict.Message.StartsWith("individuals.json[0] /diseases/0/ageOfOnset: required property 'iso8601duration' missing", StringComparison.Ordinal), strict.Message);
        Assert.Contains("(--lenient accepts this: ", strict.Message, StringComparison.Ordinal);
        Assert.Equal(2, batch.Warnings.Count);
        Assert.StartsWith("individuals.json: 2 × a time element in the Phenopackets form", batch.Warnings[0], StringComparison.Ordinal);
        Assert.EndsWith("(first at individuals.json[0] /diseases/0/ageOfOnset)", batch.Warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("individuals.json: 1 × a quantity with \"units\" for \"unit\"", batch.Warnings[1], StringComparison.Ordinal);
        var stored = Assert.Single(batch.Entries);
        BeaconSchemas.AssertValid(stored.Document, BeaconModelSchemas.SchemaPath(EntryType.Individual));
        Assert.Equal("P41Y", JsonNode.Parse(stored.Document)!["diseases"]![0]!["ageOfOnset"]!["iso8601duration"]!.GetValue<string>());
    }

    [Fact]
    public void Lenient_mode_reads_swapped_zygosities_and_biosample_ids_that_name_individuals_as_beacon2_ri_api_data_has_them()
    {
        var export = Path.Combine(files.Path, "ri-api");
        Directory.CreateDirectory(export);
        File.Copy(Path.Combine(Bff, "individuals.json"), Path.Combine(export, "individuals.json"));
        // As EGA's beacon2-ri-api deploy data writes caseLevelData: the VCF sample name as biosampleId, id and label swapped.
        File.WriteAllText(Path.Combine(export, "genomicVariations.json"), """
            [{"variantInternalId": "chr22_16050075_A_G",
              "identifiers": {"genomicHGVSId": "22:g.16050075G>A"},
              "caseLevelData": [{"biosampleId": "FIN002", "zygosity": {"id": "0/1", "label": "GENO:0000458"}}],
              "variation": {"location": {"type": "SequenceLocation", "sequence_id": "HGVSid:22:g.16050075G>A",
                                         "interval": {"type": "SequenceInterval", "start": {"type": "Number", "value": 16050074}, "end": {"type": "Number", "value": 16050075}}},
                            "alternateBases": "A", "referenceBases": "G", "variantType": "SNP"}}]
            """);

        var strict = Assert.Throws<ClinicalImportException>(() => Import(new BffReader(), export));
        var result = Import(new BffReader(), export, lenient: true);

        Assert.Contains("/caseLevelData/0/zygosity/id: is not a CURIE", strict.Message, StringComparison.Ordinal);
        Assert.Equal($"22 16050074 G A [{IndexOf("FIN002")}]", Text("SELECT chrom || ' ' || start || ' ' || ref || ' ' || alt || ' ' || het::VARCHAR FROM beacon.variants"));
        Assert.Equal(3, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.StartsWith("genomicVariations.json: 1 × a zygosity whose id is a genotype", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith("genomicVariations.json: 1 caseLevelData entries name by biosampleId no biosample but an individual", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w == "genomicVariations.json: no variant names its assembly (a RefSeq accession in variation.location.sequence_id or identifiers.genomicHGVSId); GRCh38 assumed");
    }

    [Fact]
    public void Gzipped_files_and_vcf2bffs_file_name_are_read_and_progress_reaches_every_document()
    {
        var export = Path.Combine(files.Path, "gz");
        Directory.CreateDirectory(export);
        foreach (var (file, name) in GzippedNames)
        {
            using var output = File.Create(Path.Combine(export, name));
            using var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest);
            gzip.Write(File.ReadAllBytes(Path.Combine(Bff, file)));
        }

        var progress = new List<ClinicalImportProgress>();
        var batch = new BffReader().Read(export, new ClinicalReadOptions(), new Recorder(progress), CancellationToken.None);
        var result = catalog.WriteData(Dataset, () => new EntryWriter(database.Connection).WriteInTransaction(Dataset, batch));

        var documents = GzippedNames.Sum(f => Documents(Path.Combine(Bff, f.File)).Count);
        Assert.Equal(documents, progress[^1].Documents);
        Assert.Equal(progress[^1].TotalBytes, progress[^1].BytesRead);
        Assert.Equal(Documents(Path.Combine(Bff, "genomicVariations.json")).Count, result.Variants);
        Assert.Equal(Rows(Dataset).Count, result.Variants);
    }

    [Fact]
    public void A_document_repeating_a_member_is_refused_naming_it()
    {
        var export = Path.Combine(files.Path, "repeated");
        Directory.CreateDirectory(export);
        File.WriteAllText(Path.Combine(export, "individuals.json"), """
            [{"id": "FIN010", "sex": {"id": "NCIT:C16576"}},
             {"id": "FIN011", "sex": {"id": "NCIT:C16576", "id": "NCIT:C20197"}}]
            """);

        var error = Assert.Throws<ClinicalImportException>(() => new BffReader().Read(export, new ClinicalReadOptions(), null, CancellationToken.None));

        Assert.Equal("individuals.json[1] sex.id: the member 'id' is given more than once; give each member once", error.Message);
    }

    [Fact]
    public void Phenopackets_become_schema_valid_individuals_and_biosamples_counted_from_the_files()
    {
        var packets = Directory.EnumerateFiles(Phenopackets, "*.json")
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f)) is JsonArray many ? many.Select(p => p!) : [JsonNode.Parse(File.ReadAllText(f))!])
            .ToList();

        var result = Import(new PhenopacketReader(), Phenopackets);

        var entries = EntryIndex.Read(database.Connection, Dataset);
        Assert.Equal(packets.Select(p => (string)p["subject"]!["id"]!).Order(), entries.Of(EntryType.Individual).Select(e => e.Id).Order());
        Assert.Equal(packets.Sum(p => p["biosamples"]?.AsArray().Count ?? 0), result.Entries[EntryType.Biosample]);
        foreach (var entry in entries.Of(EntryType.Individual).Concat(entries.Of(EntryType.Biosample)))
        {
            BeaconSchemas.AssertValid(System.Text.Encoding.UTF8.GetString(entry.Document!.Value.Span), BeaconModelSchemas.SchemaPath(entry.Type));
        }

        var fin005 = JsonNode.Parse(entries.Find(EntryType.Individual, "FIN005")!.Document!.Value.Span)!;
        Assert.Equal("NCIT:C16576", (string?)fin005["sex"]!["id"]);
        Assert.Equal("XX", (string?)fin005["karyotypicSex"]);
        var disease = Assert.Single(fin005["diseases"]!.AsArray())!;
        Assert.Equal(("NCIT:C4872", "P48Y"), ((string?)disease["diseaseCode"]!["id"], (string?)disease["ageOfOnset"]!["iso8601duration"]));
        Assert.Equal([false, true], fin005["phenotypicFeatures"]!.AsArray().Select(f => (bool?)f!["excluded"] ?? false));
        Assert.Equal(27.5, (double)fin005["measures"]![0]!["measurementValue"]!["value"]!);
        Assert.Equal("NCIT:C15493", (string?)fin005["measures"]![1]!["measurementValue"]!["id"]);
        Assert.Equal(2, fin005["measures"]![2]!["measurementValue"]!["typedQuantities"]!.AsArray().Count);
        Assert.Equal("NCIT:C15316", (string?)fin005["interventionsOrProcedures"]![0]!["procedureCode"]!["id"]);
        var tumour = entries.Find(EntryType.Biosample, "FIN005-tumour")!;
        var tumourDocument = JsonNode.Parse(tumour.Document!.Value.Span)!;
        Assert.Equal(IndexOf("FIN005"), tumour.Individual);
        Assert.Equal(("UBERON:0000310", "EFO:0009655", "P48Y4M"),
            ((string?)tumourDocument["sampleOriginType"]!["id"], (string?)tumourDocument["biosampleStatus"]!["id"], (string?)tumourDocument["collectionMoment"]));
        Assert.Equal(IndexOf("FIN005"), entries.Find(EntryType.Biosample, "FIN005-blood")!.Individual);
        var fin006 = JsonNode.Parse(entries.Find(EntryType.Individual, "FIN006")!.Document!.Value.Span)!;
        Assert.Equal("NCIT:C20197", (string?)fin006["sex"]!["id"]);
        Assert.Equal("HP:0003581", (string?)fin006["phenotypicFeatures"]![0]!["onset"]!["id"]);
        Assert.Equal("P55Y", (string?)fin006["diseases"]![0]!["ageOfOnset"]!["end"]!["iso8601duration"]);
        Assert.Equal("NCIT:C45908", (string?)JsonNode.Parse(entries.Find(EntryType.Individual, "FIN007")!.Document!.Value.Span)!["sex"]!["id"]);
    }

    [Fact]
    public void A_phenopacket_without_a_subject_id_stops_the_import_and_changes_nothing()
    {
        Import(new PhenopacketReader(), Phenopackets);
        var before = Snapshot();
        var directory = Path.Combine(files.Path, "packets");
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(Phenopackets, "PP-FIN005.json"), Path.Combine(directory, "a.json"));
        File.WriteAllText(Path.Combine(directory, "b.json"), """[{"id": "PP-X", "subject": {"sex": "MALE"}}]""");

        var error = Assert.Throws<ClinicalImportException>(() => Import(new PhenopacketReader(), directory));

        Assert.Equal("b.json[0] /subject/id: the subject has no id (the individual needs one: it is how VCF samples and imported records meet)", error.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Every_model_example_the_provenance_calls_valid_passes_the_embedded_schemas_and_the_known_invalid_ones_fail()
    {
        var examples = Path.Combine(BeaconSchemas.Root, "examples", "models", "json", "beacon-v2-default-model");
        // specs/beacon-v2/PROVENANCE.txt, defect 3: these do not validate against their own schema.
        string[] invalid = ["genomicVariant-MID-example.json", "individual-MID-example.json", "individual-with-pedigree-MID-example.json", "pedigree-example.json"];
        foreach (var file in Directory.EnumerateFiles(examples, "*.json", SearchOption.AllDirectories))
        {
            var type = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file))!) switch
            {
                "genomicVariations" => EntryType.GenomicVariation,
                var segment => EntryTypes.TryParse(segment, out var parsed) ? parsed : throw new InvalidDataException(segment),
            };
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var faults = BeaconModelSchemas.Validate(type, document.RootElement);
            Assert.True(invalid.Contains(Path.GetFileName(file)) == faults.Count > 0, $"{file}: {BeaconModelSchemas.Describe(faults)}");
        }
    }

    private static readonly (string File, string Name)[] GzippedNames =
    [
        ("individuals.json", "individuals.json.gz"), ("biosamples.json", "biosamples.json.gz"), ("genomicVariations.json", "genomicVariationsVcf.json.gz"),
    ];

    private static readonly (string File, EntryType Type)[] BffFiles =
    [
        ("datasets.json", EntryType.Dataset), ("cohorts.json", EntryType.Cohort), ("individuals.json", EntryType.Individual),
        ("biosamples.json", EntryType.Biosample), ("runs.json", EntryType.Run), ("analyses.json", EntryType.Analysis),
        ("genomicVariations.json", EntryType.GenomicVariation),
    ];

    private ClinicalImportResult Import(IClinicalReader reader, string path, bool lenient = false)
    {
        var batch = reader.Read(path, new ClinicalReadOptions(lenient), null, CancellationToken.None);
        return catalog.WriteData(Dataset, () => new EntryWriter(database.Connection).WriteInTransaction(Dataset, batch));
    }

    private static List<JsonNode> Documents(string file) => [.. JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(d => d!)];

    private string CopyOfExport()
    {
        var export = Path.Combine(files.Path, "export-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(export);
        foreach (var (file, _) in BffFiles)
        {
            File.Copy(Path.Combine(Bff, file), Path.Combine(export, file));
        }

        return export;
    }

    private int IndexOf(string individual) =>
        (int)Scalar($"SELECT sample_index FROM beacon.individuals WHERE dataset_id = '{Dataset}' AND id = '{individual}'");

    /// <summary>A dataset's variants with carriers by individual id (sample indexes differ between datasets).</summary>
    private List<string> Rows(string datasetId) => database.Connection.Read(
        """
        SELECT v.chrom, v.start, v."end", v.ref, v.alt, v.variant_type, v.allele_count, v.allele_number, v.vcf_id,
               coalesce(v.genes, []) AS genes,
               (SELECT string_agg(i.id, ',' ORDER BY i.id) FROM beacon.individuals i WHERE i.dataset_id = f.dataset_id AND list_contains(v.het, i.sample_index)) AS het,
               (SELECT string_agg(i.id, ',' ORDER BY i.id) FROM beacon.individuals i WHERE i.dataset_id = f.dataset_id AND list_contains(v.hom, i.sample_index)) AS hom
        FROM beacon.variants v JOIN beacon.variant_files f USING (file_id)
        WHERE f.dataset_id = $1 ORDER BY v.chrom, v.start
        """,
        r => string.Join(' ', Enumerable.Range(0, r.FieldCount).Where(i => i != 9).Select(i => r.IsDBNull(i) ? "-" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))),
        datasetId);

    /// <summary>Every row of the Beacon tables an import writes, as text, in a fixed order.</summary>
    private List<string> Snapshot()
    {
        var rows = new List<string>();
        foreach (var table in (string[])["individuals", "individual_counters", "entries", "variant_files", "variants"])
        {
            rows.AddRange(database.Connection.Read(
                $"SELECT '{table}' || ' ' || CAST(t AS VARCHAR) FROM beacon.{table} t ORDER BY ALL", r => r.GetString(0)));
        }

        return rows;
    }

    private long Scalar(string sql) => Convert.ToInt64(database.Connection.Scalar(sql), System.Globalization.CultureInfo.InvariantCulture);

    private string Text(string sql) => Convert.ToString(database.Connection.Scalar(sql), System.Globalization.CultureInfo.InvariantCulture)!;

    private sealed class Recorder(List<ClinicalImportProgress> reports) : IProgress<ClinicalImportProgress>
    {
        public void Report(ClinicalImportProgress value) => reports.Add(value);
    }
}
