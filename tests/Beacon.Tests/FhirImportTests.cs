using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Import;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Bench.FhirExport;
using GenomeNode.Passport.Datasets;
using GenomeNode.Storage;
using GenomeNode.Tests;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// <c>ingest fhir</c>'s reader and writer against a real, migrated DuckDB file: FHIR R4 NDJSON exports and Bundles in,
/// Beacon individuals and biosamples out, checked against what the test reads from the input files itself.
/// </summary>
public sealed class FhirImportTests : IDisposable
{
    private const string Dataset = "fhir";
    private const string Individuals = "models/json/beacon-v2-default-model/individuals/defaultSchema.json";
    private const string Biosamples = "models/json/beacon-v2-default-model/biosamples/defaultSchema.json";

    private readonly TestDatabase database = new();
    private readonly TemporaryDirectory files = new("genome-node-fhir");
    private readonly DatasetCatalog catalog;

    public FhirImportTests()
    {
        catalog = BeaconLifecycle.Catalog(database.Connection);
        catalog.AddAsync(new NewDataset(Dataset, "FHIR import", AccessTier.Public)).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        database.Dispose();
        files.Dispose();
    }

    [Fact]
    public void An_NDJSON_export_comes_back_as_schema_valid_individuals_and_biosamples_with_the_counts_of_its_files()
    {
        var export = files.Combine("export");
        SyntheticFhirExport.Write(export, 40, seed: 7);
        var input = ExportFacts.Read(export);

        var result = Import(export);

        var entries = EntryIndex.Read(database.Connection, Dataset);
        var individuals = entries.Of(EntryType.Individual);
        Assert.Equal(input.Patients.Count, individuals.Count);
        Assert.Equal(input.Patients.Count, result.NewIndividuals);
        Assert.Equal(input.Specimens.Count, entries.Of(EntryType.Biosample).Count);

        // Females with breast cancer (a Condition of theirs, or their mother's): the node's facts against the files'.
        const string BreastCancer = "SNOMED:254837009";
        var expectedFemales = input.Patients.Where(p => p.Value.Gender == "female")
            .Count(p => input.ConditionCodes(p.Key).Contains("http://snomed.info/sct|254837009") || input.FamilyConditionCodes(p.Key).Contains("http://snomed.info/sct|254837009"));
        Assert.True(expectedFemales > 0, "the export has no female with the condition: choose another seed");
        Assert.Equal(expectedFemales, individuals.Count(i => i.Facts.Terms.Contains("NCIT:C16576") && i.Facts.Terms.Contains(BreastCancer)));

        foreach (var individual in individuals)
        {
            var document = Document(individual);
            var patient = input.Patients[individual.Id];
            Assert.Equal(
                patient.Gender switch { "female" => "NCIT:C16576", "male" => "NCIT:C20197", "other" => "NCIT:C17649", _ => "NCIT:C17998" },
                (string?)document["sex"]!["id"]);

            // Each Condition's onset age: onsetAge as given, onsetDateTime counted from the birth date.
            var onsets = Items(document, "diseases").Where(d => d["familyHistory"] is null)
                .Select(d => (string?)d["ageOfOnset"]?["iso8601duration"]).Order(StringComparer.Ordinal);
            var expectedOnsets = input.Conditions.Where(c => c.Subject == individual.Id)
                .Select(c => c.OnsetYears is { } years ? $"P{years}Y" : AgeBetween(patient.Birth, c.OnsetDate!.Value)).Order(StringComparer.Ordinal);
            Assert.Equal(expectedOnsets, onsets);
            Assert.Equal(input.FamilyConditionCodes(individual.Id).Count, Items(document, "diseases").Count(d => (bool?)d["familyHistory"] == true));

            var seizures = input.Seizures.Where(s => s.Subject == individual.Id).ToList();
            Assert.Equal(seizures.Select(s => !s.Present), Items(document, "phenotypicFeatures").Select(f => (bool?)f["excluded"] ?? false));
            // Weight, HbA1c and the two blood pressure components.
            Assert.Equal(4, Items(document, "measures").Count);
            Assert.Equal("UCUM:kg", (string?)Items(document, "measures")[0]["measurementValue"]!["unit"]!["id"]);
            Assert.Single(Items(document, "interventionsOrProcedures"));
            BeaconSchemas.AssertValid(document.ToJsonString(), Individuals);
        }

        foreach (var biosample in entries.Of(EntryType.Biosample))
        {
            var specimen = input.Specimens[biosample.Id];
            Assert.True(biosample.Individual >= 0, $"{biosample.Id} is linked to no individual");
            Assert.Equal(specimen, entries.Individuals[biosample.Individual]!.Id);
            BeaconSchemas.AssertValid(System.Text.Encoding.UTF8.GetString(biosample.Document!.Value.Span), Biosamples);
        }
    }

    [Fact]
    public void A_transaction_Bundle_resolves_urn_uuid_references_and_names_entries_by_line()
    {
        File.WriteAllText(files.Combine("bundle.json"), """
            {
              "resourceType": "Bundle",
              "type": "transaction",
              "entry": [
                {
                  "fullUrl": "urn:uuid:5f0a3c52-2f2e-4a7a-9a57-000000000001",
                  "resource": { "resourceType": "Patient", "id": "S1", "gender": "female", "birthDate": "1970-03-15" },
                  "request": { "method": "PUT", "url": "Patient/S1" }
                },
                {
                  "fullUrl": "urn:uuid:5f0a3c52-2f2e-4a7a-9a57-000000000002",
                  "resource": {
                    "resourceType": "Condition",
                    "subject": { "reference": "urn:uuid:5f0a3c52-2f2e-4a7a-9a57-000000000001" },
                    "code": { "coding": [ { "system": "http://purl.obolibrary.org/obo/mondo.owl", "code": "MONDO:0007254", "display": "breast cancer" } ] },
                    "onsetDateTime": "2015-09-14",
                    "severity": { "coding": [ { "system": "http://snomed.info/sct", "code": "24484000", "display": "Severe" } ] }
                  },
                  "request": { "method": "POST", "url": "Condition" }
                },
                {
                  "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "subject": { "reference": "Patient/S1" },
                    "code": { "coding": [ { "system": "http://human-phenotype-ontology.org", "code": "HP:0002315", "display": "Headache" } ] },
                    "interpretation": [ { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": "NEG" } ] } ]
                  },
                  "request": { "method": "POST", "url": "Observation" }
                },
                {
                  "resource": {
                    "resourceType": "Specimen",
                    "id": "S1-tumour",
                    "subject": { "reference": "urn:uuid:5f0a3c52-2f2e-4a7a-9a57-000000000001" },
                    "type": { "coding": [ { "system": "http://snomed.info/sct", "code": "119376003", "display": "Tissue specimen" } ] },
                    "collection": { "collectedDateTime": "2016-01-20T10:00:00+02:00" }
                  },
                  "request": { "method": "POST", "url": "Specimen" }
                }
              ]
            }
            """);

        Import(files.Combine("bundle.json"));

        var entries = EntryIndex.Read(database.Connection, Dataset);
        var document = Document(entries.Find(EntryType.Individual, "S1")!);
        AssertJson("""{"diseaseCode":{"id":"MONDO:0007254","label":"breast cancer"},"ageOfOnset":{"iso8601duration":"P45Y5M"},"severity":{"id":"HP:0012828","label":"Severe"}}""",
            Items(document, "diseases").Single());
        AssertJson("""{"featureType":{"id":"HP:0002315","label":"Headache"},"excluded":true}""", Items(document, "phenotypicFeatures").Single());
        var biosample = JsonNode.Parse(entries.Find(EntryType.Biosample, "S1-tumour")!.Document!.Value.Span)!;
        Assert.Equal("S1", (string?)biosample["individualId"]);
        Assert.Equal(("2016-01-20", "P45Y10M", "SNOMED:119376003"),
            ((string?)biosample["collectionDate"], (string?)biosample["collectionMoment"], (string?)biosample["sampleOriginDetail"]!["id"]));
        BeaconSchemas.AssertValid(document.ToJsonString(), Individuals);
        BeaconSchemas.AssertValid(biosample.ToJsonString(), Biosamples);

        // A urn:uuid reference no entry of the Bundle has is refused at the entry's line.
        File.WriteAllText(files.Combine("dangling.json"), """
            {"resourceType": "Bundle", "type": "collection", "entry": [
              {"fullUrl": "urn:uuid:5f0a3c52-2f2e-4a7a-9a57-000000000003",
               "resource": {"resourceType": "Patient", "id": "S2"}},
              {"resource": {"resourceType": "Condition", "subject": {"reference": "urn:uuid:5f0a3c52-2f2e-4a7a-9a57-00000000dead"},
                            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "254837009"}]}}}
            ]}
            """);
        var refused = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("dangling.json")));
        Assert.StartsWith("dangling.json:4: the reference 'urn:uuid:5f0a3c52-2f2e-4a7a-9a57-00000000dead' names no Patient entry of this import", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_type_the_mapping_does_not_cover_stops_the_import_and_leaves_the_store_as_it_was()
    {
        var before = SeededStore();
        File.WriteAllText(files.Combine("more", "Encounter.ndjson"),
            """{"resourceType":"Patient","id":"N1","gender":"male"}""" + "\n" +
            """{"resourceType":"Encounter","id":"e1","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"}}""" + "\n");

        var refused = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("more")));

        Assert.StartsWith("Encounter.ndjson:2: resource type 'Encounter' is not mapped", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());

        // Lenient: skipped with a warning naming the type and where it was; the Patient is imported.
        var lenient = Import(files.Combine("more"), lenient: true);
        Assert.Equal(["Encounter.ndjson:2: Encounter resources are not mapped and were skipped"], lenient.Warnings);
        Assert.NotNull(EntryIndex.Read(database.Connection, Dataset).Find(EntryType.Individual, "N1"));
    }

    [Fact]
    public void Broken_JSON_stops_the_import_at_its_file_and_line_and_leaves_the_store_as_it_was()
    {
        var before = SeededStore();
        File.WriteAllText(files.Combine("more", "Patient.ndjson"),
            """{"resourceType":"Patient","id":"N1","gender":"male"}""" + "\n\n" +
            """{"resourceType":"Patient","id":"N2","gender":"female" """ + "\n");

        var refused = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("more"), lenient: true));

        Assert.StartsWith("Patient.ndjson:3: broken JSON", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());

        // In a Bundle, the line of the file.
        File.WriteAllText(files.Combine("bundle.json"), "{\"resourceType\": \"Bundle\", \"type\": \"collection\",\n \"entry\": [\n {\"resource\": {\"resourceType\": \"Patient\", \"id\": \"N3\",}}]}\n");
        refused = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("bundle.json")));
        Assert.StartsWith("bundle.json:3: broken JSON", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Data_that_is_not_valid_FHIR_R4_stops_the_import_naming_the_line_and_the_element()
    {
        var before = SeededStore();
        File.WriteAllText(files.Combine("more", "Patient.ndjson"),
            """{"resourceType":"Patient","id":"N1","gender":"male"}""" + "\n" +
            """{"resourceType":"Patient","id":"N2","gender":"femal"}""" + "\n");

        var refused = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("more")));

        Assert.StartsWith("Patient.ndjson:2: not valid FHIR R4: Patient.gender: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'femal'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_reference_to_a_Patient_neither_imported_nor_stored_stops_the_import_and_leaves_the_store_as_it_was()
    {
        var before = SeededStore();
        File.WriteAllText(files.Combine("more", "Condition.ndjson"),
            """{"resourceType":"Condition","subject":{"reference":"Patient/P000001"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]}}""" + "\n" +
            """{"resourceType":"Condition","subject":{"reference":"Patient/nobody"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]}}""" + "\n");
        File.WriteAllText(files.Combine("specimen.json"),
            """{"resourceType":"Specimen","id":"x1","subject":{"reference":"Patient/nobody"}}""");

        var condition = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("more")));
        var specimen = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("specimen.json")));

        Assert.Equal("Condition.ndjson:2: individual 'nobody' is neither in this import nor an individual of dataset 'fhir'", condition.Message);
        Assert.StartsWith("specimen.json:1: individualId 'nobody' names no individual", specimen.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Resources_of_a_stored_individual_join_its_document_once_and_a_VCF_sample_gets_one()
    {
        SeededStore();
        var vcf = files.Combine("one.vcf");
        File.WriteAllText(vcf, "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tVCF1\nchr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n");
        catalog.WriteData(Dataset, () => new VcfIngester(database.Connection).IngestInTransaction(new VcfIngestRequest(Dataset, vcf, "GRCh38")));
        var stored = Document(EntryIndex.Read(database.Connection, Dataset).Find(EntryType.Individual, "P000001")!);
        File.WriteAllText(files.Combine("more", "Condition.ndjson"),
            """{"resourceType":"Condition","subject":{"reference":"Patient/P000001"},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"I10","display":"Essential hypertension"}]},"onsetAge":{"value":52,"system":"http://unitsofmeasure.org","code":"a"}}""" + "\n" +
            """{"resourceType":"Condition","subject":{"reference":"Patient/VCF1"},"code":{"coding":[{"system":"http://www.orpha.net","code":"ORPHA:558"}]}}""" + "\n");

        var first = Import(files.Combine("more"));
        var snapshot = Snapshot();
        var again = Import(files.Combine("more"));

        Assert.Equal((0, 2), (first.NewIndividuals, first.AmendedIndividuals));
        Assert.Equal(0, again.AmendedIndividuals);
        Assert.Equal(snapshot, Snapshot());
        var entries = EntryIndex.Read(database.Connection, Dataset);
        var amended = Document(entries.Find(EntryType.Individual, "P000001")!);
        Assert.Equal(Items(stored, "diseases").Count + 1, Items(amended, "diseases").Count);
        AssertJson("""{"diseaseCode":{"id":"ICD10:I10","label":"Essential hypertension"},"ageOfOnset":{"iso8601duration":"P52Y"}}""",
            Items(amended, "diseases")[^1]);
        AssertJson("""{"id":"VCF1","sex":{"id":"NCIT:C17998","label":"unknown"},"diseases":[{"diseaseCode":{"id":"ORPHA:558"}}]}""",
            Document(entries.Find(EntryType.Individual, "VCF1")!));
        BeaconSchemas.AssertValid(amended.ToJsonString(), Individuals);
    }

    [Fact]
    public void A_code_of_a_system_without_a_CURIE_prefix_is_refused_strictly_and_skipped_leniently()
    {
        File.WriteAllText(files.Combine("local.ndjson"),
            """{"resourceType":"Patient","id":"L1","gender":"female","birthDate":"1980-01-01"}""" + "\n" +
            """{"resourceType":"Condition","subject":{"reference":"Patient/L1"},"code":{"coding":[{"system":"urn:oid:1.2.246.537.6.1","code":"X1"}]}}""" + "\n" +
            """{"resourceType":"Condition","subject":{"reference":"Patient/L1"},"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"refuted"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]}}""" + "\n");

        var refused = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("local.ndjson")));
        var lenient = Import(files.Combine("local.ndjson"), lenient: true);

        Assert.StartsWith("local.ndjson:2: Condition.code has no coding of a code system this import maps (codings of urn:oid:1.2.246.537.6.1)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(
            ["local.ndjson:2: Condition.code has no coding of a code system this import maps; skipped", "local.ndjson:3: Condition with verificationStatus refuted is not imported"],
            lenient.Warnings);
        Assert.Null(Document(EntryIndex.Read(database.Connection, Dataset).Find(EntryType.Individual, "L1")!)["diseases"]);
    }

    [Fact]
    public void A_lenient_read_accepts_what_the_SDK_reads_into_the_model_but_never_a_resource_of_an_unknown_type()
    {
        // Observation.status is required (1..1): strict refuses, no-overflow mode still reads every value.
        File.WriteAllText(files.Combine("nostatus.ndjson"),
            """{"resourceType":"Patient","id":"W1","gender":"male","birthDate":"1990-06-01"}""" + "\n" +
            """{"resourceType":"Observation","subject":{"reference":"Patient/W1"},"code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":70,"system":"http://unitsofmeasure.org","code":"kg"}}""" + "\n");
        File.WriteAllText(files.Combine("unknown.ndjson"), """{"resourceType":"Patient","id":"W2"}""" + "\n" + """{"resourceType":"Patientt","id":"W3"}""" + "\n");

        var strict = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("nostatus.ndjson")));
        var lenient = Import(files.Combine("nostatus.ndjson"), lenient: true);
        var unknown = Assert.Throws<ClinicalImportException>(() => Import(files.Combine("unknown.ndjson"), lenient: true));

        Assert.StartsWith("nostatus.ndjson:2: not valid FHIR R4: ", strict.Message, StringComparison.Ordinal);
        Assert.Contains("status", strict.Message, StringComparison.Ordinal);
        Assert.StartsWith("nostatus.ndjson:2: accepted despite: ", Assert.Single(lenient.Warnings), StringComparison.Ordinal);
        Assert.Single(Items(Document(EntryIndex.Read(database.Connection, Dataset).Find(EntryType.Individual, "W1")!), "measures"));
        Assert.StartsWith("unknown.ndjson:2: not valid FHIR R4: ", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'Patientt'", unknown.Message, StringComparison.Ordinal);
    }

    private ClinicalImportResult Import(string path, bool lenient = false)
    {
        var batch = new FhirReader().Read(path, new ClinicalReadOptions(lenient), null, CancellationToken.None);
        return catalog.WriteData(Dataset, () => new EntryWriter(database.Connection).WriteInTransaction(Dataset, batch));
    }

    /// <summary>A store holding an import already (so that "as it was" is not empty), and an empty directory "more".</summary>
    private string SeededStore()
    {
        SyntheticFhirExport.Write(files.Combine("seed"), 5, seed: 11);
        Import(files.Combine("seed"));
        Directory.CreateDirectory(files.Combine("more"));
        return Snapshot();
    }

    /// <summary>Every row the import writes to, in a fixed order.</summary>
    private string Snapshot() => string.Join("\n",
        database.Connection.Read("SELECT dataset_id, sample_index, id, coalesce(document, '-') FROM beacon.individuals ORDER BY ALL",
            r => $"{r.GetString(0)} {r.GetInt32(1)} {r.GetString(2)} {r.GetString(3)}")
        .Concat(database.Connection.Read("SELECT dataset_id, entry_type, id, coalesce(individual_id, '-'), document FROM beacon.entries ORDER BY ALL",
            r => $"{r.GetString(0)} {r.GetString(1)} {r.GetString(2)} {r.GetString(3)} {r.GetString(4)}"))
        .Concat(database.Connection.Read("SELECT dataset_id, next_index FROM beacon.individual_counters ORDER BY ALL",
            r => $"{r.GetString(0)} {r.GetValue(1)}")));

    /// <summary>The same JSON, properties in any order.</summary>
    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual.ToJsonString()}");

    private static JsonObject Document(Entry entry) => JsonNode.Parse(entry.Document!.Value.Span)!.AsObject();

    private static List<JsonNode> Items(JsonObject document, string field) => document[field]?.AsArray().Select(n => n!).ToList() ?? [];

    /// <summary>Full years and months (days under a month) from birth to a date, counted on the calendar.</summary>
    private static string AgeBetween(DateOnly birth, DateOnly at)
    {
        var months = 0;
        while (birth.AddMonths(months + 1) <= at)
        {
            months++;
        }

        return (months / 12, months % 12) switch
        {
            (0, 0) => $"P{at.DayNumber - birth.DayNumber}D",
            (var y, 0) => $"P{y}Y",
            (0, var m) => $"P{m}M",
            (var y, var m) => $"P{y}Y{m}M",
        };
    }

    /// <summary>What the test reads from an NDJSON export itself (plain JSON, not the FHIR SDK).</summary>
    private sealed record ExportFacts(
        Dictionary<string, (string Gender, DateOnly Birth)> Patients,
        List<(string Subject, string Code, int? OnsetYears, DateOnly? OnsetDate)> Conditions,
        List<(string Subject, string Code)> FamilyConditions,
        List<(string Subject, bool Present)> Seizures,
        Dictionary<string, string> Specimens)
    {
        public HashSet<string> ConditionCodes(string patient) => Conditions.Where(c => c.Subject == patient).Select(c => c.Code).ToHashSet();

        public List<string> FamilyConditionCodes(string patient) => FamilyConditions.Where(c => c.Subject == patient).Select(c => c.Code).ToList();

        public static ExportFacts Read(string directory)
        {
            var facts = new ExportFacts([], [], [], [], []);
            foreach (var line in Lines(directory, "Patient"))
            {
                facts.Patients[line.GetProperty("id").GetString()!] = (line.GetProperty("gender").GetString()!, Date(line.GetProperty("birthDate")));
            }

            foreach (var line in Lines(directory, "Condition"))
            {
                var coding = line.GetProperty("code").GetProperty("coding")[0];
                facts.Conditions.Add((Subject(line.GetProperty("subject")), coding.GetProperty("system").GetString() + "|" + coding.GetProperty("code").GetString(),
                    line.TryGetProperty("onsetAge", out var age) ? age.GetProperty("value").GetInt32() : null,
                    line.TryGetProperty("onsetDateTime", out var date) ? Date(date) : null));
            }

            foreach (var line in Lines(directory, "FamilyMemberHistory"))
            {
                foreach (var condition in line.GetProperty("condition").EnumerateArray())
                {
                    var coding = condition.GetProperty("code").GetProperty("coding")[0];
                    facts.FamilyConditions.Add((Subject(line.GetProperty("patient")), coding.GetProperty("system").GetString() + "|" + coding.GetProperty("code").GetString()));
                }
            }

            foreach (var line in Lines(directory, "Observation").Where(o => o.TryGetProperty("valueBoolean", out _)))
            {
                facts.Seizures.Add((Subject(line.GetProperty("subject")), line.GetProperty("valueBoolean").GetBoolean()));
            }

            foreach (var line in Lines(directory, "Specimen"))
            {
                facts.Specimens[line.GetProperty("id").GetString()!] = Subject(line.GetProperty("subject"));
            }

            return facts;
        }

        private static IEnumerable<JsonElement> Lines(string directory, string type)
        {
            var path = Path.Combine(directory, type + ".ndjson");
            return File.Exists(path) ? File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement) : [];
        }

        private static string Subject(JsonElement reference) => reference.GetProperty("reference").GetString()!["Patient/".Length..];

        private static DateOnly Date(JsonElement text) => DateOnly.ParseExact(text.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
