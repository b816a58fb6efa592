using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Import;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// What an import brings comes back out through Beacon: each format's fixture files imported into a public dataset of
/// its own through the registered reader and the catalog, then asked over HTTP; the counts are computed here from the
/// input files, and every record is validated against the model's schema.
/// </summary>
public sealed class ImportedNode : IAsyncLifetime
{
    public BeaconNode Node { get; } = new();

    public static string DataPath(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Data", .. parts]);

    /// <summary>The synthetic FHIR bulk export imported as dataset fhir-export.</summary>
    public string FhirExport => Node.Data.Combine("fhir-export");

    public async Task InitializeAsync()
    {
        _ = Node.Server;
        GenomeNode.Bench.FhirExport.SyntheticFhirExport.Write(FhirExport, 60, seed: 11);
        foreach (var (dataset, format, path) in new[]
                 {
                     ("fi-cohort", "bff", DataPath("bff")),
                     ("pheno", "phenopacket", DataPath("phenopackets")),
                     ("fhir-export", "fhir", FhirExport),
                 })
        {
            using var scope = Node.Services.CreateScope();
            var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
            await catalog.AddAsync(new NewDataset(dataset, dataset, AccessTier.Public));
            var reader = scope.ServiceProvider.GetServices<IClinicalReader>().Single(r => r.Format == format);
            var batch = reader.Read(path, new ClinicalReadOptions(), null, CancellationToken.None);
            var writer = scope.ServiceProvider.GetRequiredService<EntryWriter>();
            catalog.WriteData(dataset, () => writer.WriteInTransaction(dataset, batch));
        }
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class ImportRoundTripTests(ImportedNode fixture) : IClassFixture<ImportedNode>
{
    private const string Model = "models/json/beacon-v2-default-model/";
    private readonly BeaconNode node = fixture.Node;

    private static JsonElement[] Array(params string[] path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ImportedNode.DataPath(path)));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private async Task<long> CountAsync(string path, string dataset, string? filters = null)
    {
        var (status, json) = await node.GetAsync(
            $"{path}?requestedGranularity=count&datasetIds={dataset}{(filters is null ? "" : "&filters=" + filters)}");
        Assert.True(status == 200, $"{path}: {status} {json}");
        BeaconSchemas.AssertValid(json, BeaconSchemas.CountResponse);
        return (long?)BeaconNode.Parse(json)["responseSummary"]!["numTotalResults"] ?? 0;
    }

    private async Task AssertRecordsValidAsync(string path, string dataset, string model, int expected)
    {
        var (status, json) = await node.GetAsync($"{path}?requestedGranularity=record&limit=100&datasetIds={dataset}");
        Assert.True(status == 200, json);
        var results = BeaconNode.Parse(json)["response"]!["resultSets"]![0]!["results"]!.AsArray();
        Assert.Equal(expected, results.Count);
        foreach (var result in results)
        {
            BeaconSchemas.AssertValid(result!.ToJsonString(), Model + model + "/defaultSchema.json");
        }
    }

    [Fact]
    public async Task A_BFF_import_comes_back_out_through_Beacon()
    {
        var individuals = Array("bff", "individuals.json");
        var biosamples = Array("bff", "biosamples.json");
        var women = individuals.Count(i => i.GetProperty("sex").GetProperty("id").GetString() == "NCIT:C16576");
        var breastCarcinoma = individuals.Count(i => i.TryGetProperty("diseases", out var d)
            && d.EnumerateArray().Any(x => x.GetProperty("diseaseCode").GetProperty("id").GetString() == "NCIT:C4872"));

        Assert.Equal(individuals.Length, await CountAsync("/api/individuals", "fi-cohort"));
        Assert.Equal(biosamples.Length, await CountAsync("/api/biosamples", "fi-cohort"));
        Assert.Equal(Array("bff", "runs.json").Length, await CountAsync("/api/runs", "fi-cohort"));
        Assert.Equal(Array("bff", "analyses.json").Length, await CountAsync("/api/analyses", "fi-cohort"));
        Assert.Equal(women, await CountAsync("/api/individuals", "fi-cohort", "NCIT:C16576"));
        Assert.Equal(breastCarcinoma, await CountAsync("/api/individuals", "fi-cohort", "NCIT:C4872"));
        await AssertRecordsValidAsync("/api/individuals", "fi-cohort", "individuals", individuals.Length);
        await AssertRecordsValidAsync("/api/biosamples", "fi-cohort", "biosamples", biosamples.Length);

        var first = individuals[0].GetProperty("id").GetString()!;
        var ofFirst = biosamples.Count(b => b.GetProperty("individualId").GetString() == first);
        Assert.Equal(ofFirst, await CountAsync($"/api/individuals/{first}/biosamples", "fi-cohort"));

        var (status, json) = await node.GetAsync("/api/cohorts?datasetIds=fi-cohort");
        Assert.Equal(200, status);
        Assert.Equal(Array("bff", "cohorts.json").Length, BeaconNode.Parse(json)["response"]!["collections"]!.AsArray().Count);
        (status, json) = await node.GetAsync("/api/datasets/fi-cohort");
        Assert.Equal(200, status);
        var dataset = BeaconNode.Parse(json)["response"]!["collections"]![0]!;
        Assert.Equal(Array("bff", "datasets.json")[0].GetProperty("name").GetString(), (string?)dataset["name"]);
        Assert.Equal(individuals.Length, (int?)dataset["info"]!["counts"]!["individuals"]);
    }

    [Fact]
    public async Task A_Phenopackets_import_comes_back_out_through_Beacon()
    {
        var packets = Directory.EnumerateFiles(ImportedNode.DataPath("phenopackets"), "*.json")
            .SelectMany(file =>
            {
                var root = JsonNode.Parse(File.ReadAllText(file))!;
                return root is JsonArray array ? array.Select(p => p!) : [root];
            })
            .ToList();
        var subjects = packets.Select(p => (string)p["subject"]!["id"]!).Distinct().Count();
        var biosamples = packets.Sum(p => p["biosamples"]?.AsArray().Count ?? 0);
        // Sex by name or by its Phenopackets enum number (FEMALE = 1).
        var women = packets.Count(p => p["subject"]!["sex"]?.ToJsonString() is "\"FEMALE\"" or "1");
        var breastCarcinomaFeature = packets.Count(p => p["phenotypicFeatures"]?.AsArray()
            .Any(f => (string?)f!["type"]!["id"] == "HP:0003002" && (bool?)f["excluded"] != true) == true);

        Assert.Equal(subjects, await CountAsync("/api/individuals", "pheno"));
        Assert.Equal(biosamples, await CountAsync("/api/biosamples", "pheno"));
        Assert.Equal(women, await CountAsync("/api/individuals", "pheno", "NCIT:C16576"));
        Assert.Equal(breastCarcinomaFeature, await CountAsync("/api/individuals", "pheno", "HP:0003002"));
        await AssertRecordsValidAsync("/api/individuals", "pheno", "individuals", subjects);
        if (biosamples > 0)
        {
            await AssertRecordsValidAsync("/api/biosamples", "pheno", "biosamples", biosamples);
        }
    }

    [Fact]
    public async Task A_FHIR_export_comes_back_out_through_Beacon()
    {
        JsonNode[] Resources(string type) =>
            [.. File.ReadAllLines(Path.Combine(fixture.FhirExport, type + ".ndjson")).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!)];
        static string Patient(JsonNode? reference) => ((string)reference!["reference"]!)["Patient/".Length..];
        static bool IsBreastCancer(JsonNode? code) =>
            code!["coding"]!.AsArray().Any(c => (string?)c!["system"] == "http://snomed.info/sct" && (string?)c["code"] == "254837009");
        var patients = Resources("Patient");
        var women = patients.Where(p => (string?)p["gender"] == "female").Select(p => (string)p["id"]!).ToHashSet();
        // Breast cancer of the patient (Condition) or in the family (FamilyMemberHistory): both are the individual's diseases.
        var withBreastCancer = Resources("Condition").Where(c => IsBreastCancer(c["code"])).Select(c => Patient(c["subject"]))
            .Concat(Resources("FamilyMemberHistory").Where(f => f["condition"]!.AsArray().Any(c => IsBreastCancer(c!["code"])))
                .Select(f => Patient(f["patient"])))
            .ToHashSet();

        Assert.Equal(patients.Length, await CountAsync("/api/individuals", "fhir-export"));
        Assert.Equal(Resources("Specimen").Length, await CountAsync("/api/biosamples", "fhir-export"));
        Assert.Equal(women.Count, await CountAsync("/api/individuals", "fhir-export", "NCIT:C16576"));
        Assert.Equal(women.Count(withBreastCancer.Contains), await CountAsync("/api/individuals", "fhir-export", "NCIT:C16576,SNOMED:254837009"));
        await AssertRecordsValidAsync("/api/individuals", "fhir-export", "individuals", patients.Length);
    }
}
