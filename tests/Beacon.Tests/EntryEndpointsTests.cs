using System.Text.Json.Nodes;
using GenomeNode.Beacon.Api;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Import;
using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.Passport.Datasets;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// The demo dataset (public: 50 individuals from its VCF with their documents) with biosamples, runs, analyses and a
/// cohort added through the entry writer, DUO conditions, and a hidden dataset holding the same VCF.
/// </summary>
public sealed class EntryNode : IAsyncLifetime
{
    public BeaconNode Node { get; } = new();

    /// <summary>Two biosamples per individual of the first ten; one run per biosample; one analysis per run.</summary>
    public static IEnumerable<string> Individuals => Enumerable.Range(1, 10).Select(i => $"DEMO-{i:0000}");

    public async Task InitializeAsync()
    {
        await using (var first = Node.Sharing())
        {
            _ = first.Server;
            await first.AddDatasetAsync("hidden", AccessTier.Controlled, Tools.DemoVcf);
        }

        Node.Settings["Beacon:Datasets:hidden:MaxGranularity"] = "none";
        Node.Settings["Beacon:AlternativeUrl"] = "https://beacon.genome.example.fi/";
        Node.Settings["Beacon:Organization:LogoUrl"] = "https://genome.example.fi/logo.png";
        _ = Node.Server;
        using var scope = Node.Services.CreateScope();
        var batch = new ClinicalBatch();
        foreach (var individual in Individuals)
        {
            foreach (var n in new[] { 1, 2 })
            {
                var biosample = $"{individual}-S{n}";
                batch.Entries.Add(new ImportedEntry(EntryType.Biosample, biosample, individual, null, null,
                    $$$"""{"id":"{{{biosample}}}","individualId":"{{{individual}}}","biosampleStatus":{"id":"EFO:0009654","label":"reference sample"},"sampleOriginType":{"id":"UBERON:0000178","label":"blood"}}""",
                    $"test:{biosample}"));
                batch.Entries.Add(new ImportedEntry(EntryType.Run, $"{biosample}-R", individual, biosample, null,
                    $$$"""{"id":"{{{biosample}}}-R","biosampleId":"{{{biosample}}}","individualId":"{{{individual}}}","runDate":"2024-01-15"}""", $"test:{biosample}-R"));
                batch.Entries.Add(new ImportedEntry(EntryType.Analysis, $"{biosample}-A", individual, biosample, $"{biosample}-R",
                    $$$"""{"id":"{{{biosample}}}-A","runId":"{{{biosample}}}-R","biosampleId":"{{{biosample}}}","individualId":"{{{individual}}}","analysisDate":"2024-02-01","pipelineName":"gatk4"}""",
                    $"test:{biosample}-A"));
            }
        }

        batch.Entries.Add(new ImportedEntry(EntryType.Cohort, "demo-cohort", null, null, null,
            """{"id":"demo-cohort","name":"Demo cohort","cohortType":"beacon-defined"}""", "test:cohort"));
        var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
        var writer = scope.ServiceProvider.GetRequiredService<EntryWriter>();
        catalog.WriteData("demo", () => writer.WriteInTransaction("demo", batch));
        var dataUse = scope.ServiceProvider.GetRequiredService<DatasetDataUse>();
        catalog.WriteData("demo", () =>
        {
            dataUse.ReplaceInTransaction("demo", dataUse.Interpret(["DUO:0000042"], []));
            return 0;
        });
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class EntryEndpointsTests(EntryNode fixture) : IClassFixture<EntryNode>
{
    private readonly BeaconNode node = fixture.Node;

    private static readonly string DefaultModel = "models/json/beacon-v2-default-model/";

    [Fact]
    public async Task The_map_lists_exactly_the_entry_endpoints_the_node_serves()
    {
        var (status, json) = await node.GetAsync("/api/map");
        Assert.Equal(200, status);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, set) in BeaconNode.Parse(json)["response"]!["endpointSets"]!.AsObject())
        {
            listed.Add(Path(set!["rootUrl"]!));
            listed.Add(Path(set["singleEntryUrl"]!));
            foreach (var (_, related) in set["endpoints"]?.AsObject() ?? [])
            {
                listed.Add(Path(related!["url"]!));
            }
        }

        var served = node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal) && p.Split('/').Length > 2
                && p.Split('/')[2] is "g_variants" or "individuals" or "biosamples" or "runs" or "analyses" or "cohorts" or "datasets")
            .Where(p => !p.EndsWith("/filtering_terms", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(served.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        var types = BeaconNode.Parse((await node.GetAsync("/api/entry_types")).Json)["response"]!["entryTypes"]!.AsObject().Select(p => p.Key);
        Assert.Equal(BeaconNode.Parse(json)["response"]!["endpointSets"]!.AsObject().Select(p => p.Key).Order(), types.Order());

        static string Path(JsonNode url) => new Uri(((string)url!).Replace("{id}", "ID", StringComparison.Ordinal)).AbsolutePath.Replace("ID", "{id}", StringComparison.Ordinal);
    }

    public static TheoryData<string, int> CrossEntryCounts => new()
    {
        // Counts from the fixture's making: two biosamples per individual, a run and an analysis per biosample.
        { "/api/individuals/DEMO-0003/biosamples", 2 },
        { "/api/biosamples/DEMO-0003-S1/runs", 1 },
        { "/api/biosamples/DEMO-0003-S2/analyses", 1 },
        { "/api/runs/DEMO-0003-S1-R/analyses", 1 },
        { "/api/datasets/demo/individuals", 50 },
        { "/api/datasets/demo/biosamples", 20 },
        { "/api/cohorts/demo-cohort/individuals", 50 },
        { "/api/biosamples", 20 },
        { "/api/runs", 20 },
        { "/api/analyses", 20 },
        { "/api/individuals", 50 },
        { "/api/individuals/DEMO-0007", 1 },
        { "/api/analyses/DEMO-0009-S2-A", 1 },
        { "/api/individuals/NOT-A-PERSON", 0 },
    };

    [Theory]
    [MemberData(nameof(CrossEntryCounts))]
    public async Task Entry_and_cross_entry_endpoints_count_what_the_data_holds(string path, int expected)
    {
        foreach (var (status, json) in new[]
                 {
                     await node.GetAsync(path + "?requestedGranularity=count"),
                     await node.PostAsync(path, """{"query":{"requestedGranularity":"count"}}"""),
                 })
        {
            Assert.True(status == 200, $"{status}: {json}");
            BeaconSchemas.AssertValid(json, BeaconSchemas.CountResponse);
            Assert.Equal(expected, (int?)BeaconNode.Parse(json)["responseSummary"]!["numTotalResults"] ?? 0);
        }
    }

    /// <summary>Carriers and carried variants computed with bcftools from the demo VCF, not through the node.</summary>
    [Fact]
    public async Task Variant_and_individual_cross_entries_match_the_genotypes_of_the_VCF()
    {
        var carriers = Tools.Shell($"bcftools view -H -r chr17:43045712 {Tools.Quote(Tools.DemoVcf)} >/dev/null 2>&1 || true; " +
            $"bcftools query -i 'POS=43045712 && REF=\"G\" && ALT=\"A\"' -f '[%SAMPLE\\t%GT\\n]' {Tools.Quote(Tools.DemoVcf)}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Split('\t')[1].Split('/', '|').Contains("1"));
        var (status, json) = await node.GetAsync("/api/g_variants/17:43045711:G:A/individuals?requestedGranularity=count");
        Assert.True(status == 200, json);
        Assert.Equal(carriers, (int?)BeaconNode.Parse(json)["responseSummary"]!["numTotalResults"] ?? 0);

        var carried = Tools.Shell($"bcftools view -a -s DEMO-0001 {Tools.Quote(Tools.DemoVcf)} | bcftools norm -m- | bcftools query -i 'GT~\"1\"' -f '%CHROM\\n'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        // The variants of a biosample, a run or an analysis are those of its individual (DEMO-0001's, whose they are).
        foreach (var path in new[] { "individuals/DEMO-0001", "biosamples/DEMO-0001-S1", "runs/DEMO-0001-S2-R", "analyses/DEMO-0001-S1-A" })
        {
            (status, json) = await node.GetAsync($"/api/{path}/g_variants?requestedGranularity=count");
            Assert.True(status == 200, json);
            Assert.Equal(carried, (int?)BeaconNode.Parse(json)["responseSummary"]!["numTotalResults"] ?? 0);
        }

        // The biosamples of the variant's carriers: two for each carrier among the first ten individuals.
        var carrierIds = Tools.Shell($"bcftools query -i 'POS=43045712 && REF=\"G\" && ALT=\"A\"' -f '[%SAMPLE\\t%GT\\n]' {Tools.Quote(Tools.DemoVcf)}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .Where(p => p[1].Split('/', '|').Contains("1")).Select(p => p[0]).ToHashSet();
        (status, json) = await node.GetAsync("/api/g_variants/17:43045711:G:A/biosamples?requestedGranularity=count");
        Assert.True(status == 200, json);
        Assert.Equal(2 * EntryNode.Individuals.Count(carrierIds.Contains), (int?)BeaconNode.Parse(json)["responseSummary"]!["numTotalResults"] ?? 0);

        // Every allele of the demo that someone carries.
        var alleles = Tools.Shell($"bcftools norm -m- {Tools.Quote(Tools.DemoVcf)} 2>/dev/null | bcftools query -i 'GT~\"1\"' -f '%CHROM\\t%POS\\t%REF\\t%ALT\\n'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count();
        (status, json) = await node.GetAsync("/api/datasets/demo/g_variants?requestedGranularity=count");
        Assert.True(status == 200, json);
        Assert.Equal(alleles, (int?)BeaconNode.Parse(json)["responseSummary"]!["numTotalResults"] ?? 0);
    }

    [Fact]
    public async Task A_filter_term_the_node_does_not_know_matches_nothing_and_is_named_in_a_warning()
    {
        var (status, json) = await node.PostAsync("/api/individuals",
            """{"query":{"filters":[{"id":"XYZ:0000001","operator":null,"value":null}],"requestedGranularity":"count"}}""");

        Assert.True(status == 200, json);
        var answer = BeaconNode.Parse(json);
        Assert.Equal(0, (int?)answer["responseSummary"]!["numTotalResults"] ?? 0);
        Assert.Contains(answer["info"]!["warnings"]!.AsArray(), w => ((string)w!).Contains("XYZ:0000001", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/individuals", "individuals")]
    [InlineData("/api/biosamples", "biosamples")]
    [InlineData("/api/runs", "runs")]
    [InlineData("/api/analyses", "analyses")]
    [InlineData("/api/individuals/DEMO-0002/biosamples", "biosamples")]
    public async Task Records_are_schema_valid_documents_of_their_entry_type(string path, string model)
    {
        var (status, json) = await node.GetAsync(path + "?requestedGranularity=record&limit=3");
        Assert.True(status == 200, json);
        BeaconSchemas.AssertValid(json, BeaconSchemas.ResultsetsResponse);
        var results = BeaconNode.Parse(json)["response"]!["resultSets"]![0]!["results"]!.AsArray();
        Assert.NotEmpty(results);
        foreach (var result in results)
        {
            BeaconSchemas.AssertValid(result!.ToJsonString(), DefaultModel + model + "/defaultSchema.json");
        }
    }

    [Fact]
    public async Task Datasets_show_their_data_use_conditions_and_counts_and_never_a_hidden_dataset()
    {
        var (status, json) = await node.GetAsync("/api/datasets");
        Assert.True(status == 200, json);
        BeaconSchemas.AssertValid(json, BeaconSchemas.CollectionsResponse);
        var collections = BeaconNode.Parse(json)["response"]!["collections"]!.AsArray();
        var demo = Assert.Single(collections);
        BeaconSchemas.AssertValid(demo!.ToJsonString(), DefaultModel + "datasets/defaultSchema.json");
        Assert.Equal("demo", (string?)demo["id"]);
        Assert.Equal("DUO:0000042", (string?)demo["dataUseConditions"]!["duoDataUse"]![0]!["id"]);
        Assert.Equal(50, (int?)demo["info"]!["counts"]!["individuals"]);
        Assert.Equal(20, (int?)demo["info"]!["counts"]!["biosamples"]);

        (status, json) = await node.GetAsync("/api/datasets/hidden");
        Assert.Equal(200, status);
        Assert.Empty(BeaconNode.Parse(json)["response"]!["collections"]!.AsArray());
        var (hiddenStatus, hidden) = await node.GetAsync("/api/datasets/hidden/individuals?requestedGranularity=count");
        var (unknownStatus, unknown) = await node.GetAsync("/api/datasets/no-such/individuals?requestedGranularity=count");
        Assert.Equal(400, hiddenStatus);
        Assert.Equal(unknownStatus, hiddenStatus);
        Assert.Equal(
            ((string)BeaconNode.Parse(unknown)["error"]!["errorMessage"]!).Replace("no-such", "X", StringComparison.Ordinal),
            ((string)BeaconNode.Parse(hidden)["error"]!["errorMessage"]!).Replace("hidden", "X", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cohorts_carry_their_datasets_counts()
    {
        var (status, json) = await node.GetAsync("/api/cohorts");
        Assert.True(status == 200, json);
        BeaconSchemas.AssertValid(json, BeaconSchemas.CollectionsResponse);
        var cohort = Assert.Single(BeaconNode.Parse(json)["response"]!["collections"]!.AsArray());
        BeaconSchemas.AssertValid(cohort!.ToJsonString(), DefaultModel + "cohorts/defaultSchema.json");
        Assert.Equal(50, (int?)cohort["info"]!["counts"]!["individuals"]);
    }

    [Fact]
    public async Task Info_carries_the_alternative_url_and_the_organisations_logo()
    {
        var info = BeaconNode.Parse((await node.GetAsync("/api/info")).Json)["response"]!;
        Assert.Equal("https://beacon.genome.example.fi/", (string?)info["alternativeUrl"]);
        Assert.Equal("https://genome.example.fi/logo.png", (string?)info["organization"]!["logoUrl"]);
    }

    [Fact]
    public async Task Filters_and_variant_parameters_combine_on_individuals()
    {
        // Women (NCIT:C16576 in individuals.json) who carry 17:43045711 G>A, counted from the files.
        var women = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "demo", "individuals.json")))
            .RootElement.EnumerateArray().Where(i => i.GetProperty("sex").GetProperty("id").GetString() == "NCIT:C16576")
            .Select(i => i.GetProperty("id").GetString()!).ToHashSet();
        var carriers = Tools.Shell($"bcftools query -i 'POS=43045712 && REF=\"G\" && ALT=\"A\"' -f '[%SAMPLE\\t%GT\\n]' {Tools.Quote(Tools.DemoVcf)}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .Where(p => p[1].Split('/', '|').Contains("1")).Select(p => p[0]).ToHashSet();
        var expected = carriers.Count(women.Contains);

        var (status, json) = await node.GetAsync(
            "/api/individuals?requestedGranularity=count&filters=NCIT:C16576&referenceName=17&start=43045711&referenceBases=G&alternateBases=A");
        Assert.True(status == 200, json);
        Assert.Equal(expected, (int?)BeaconNode.Parse(json)["responseSummary"]!["numTotalResults"] ?? 0);
        (status, json) = await node.GetAsync("/api/individuals?requestedGranularity=count&filters=NCIT:C16576");
        Assert.Equal(women.Count, (int?)BeaconNode.Parse(json)["responseSummary"]!["numTotalResults"] ?? 0);
    }
}
