using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>g_variants over the real host: query types, reference names, granularity, result sets, pagination, body forms.</summary>
public sealed class GVariantQueryTests(QueryNode fixture) : IClassFixture<QueryNode>
{
    private readonly BeaconNode node = fixture.Node;

    // The demo's chr17:43045712 G>A (BRCA1, SnpEff p.Arg1831Trp), carried by six of its fifty individuals.
    private const string DemoVariant = "referenceName=17&start=43045711&referenceBases=G&alternateBases=A";

    private async Task<JsonNode> Query(string query, int expectedStatus = 200)
    {
        var (status, json) = await node.GetAsync("/api/g_variants?" + query);
        Assert.True(status == expectedStatus, $"{status}: {json}");
        var response = BeaconNode.Parse(json);
        BeaconSchemas.AssertValid(json, status == 200
            ? BeaconSchemas.ForGranularity((string)response["meta"]!["returnedGranularity"]!)
            : BeaconSchemas.ErrorResponse);
        return response;
    }

    private static bool Exists(JsonNode response) => (bool)response["responseSummary"]!["exists"]!;

    private static long Total(JsonNode response) => (long)response["responseSummary"]!["numTotalResults"]!;

    private static JsonArray ResultSets(JsonNode response) => response["response"]!["resultSets"]!.AsArray();

    [Fact]
    public async Task Sequence_query_finds_a_demo_variant_and_record_granularity_returns_a_valid_genomic_variation()
    {
        var response = await Query(DemoVariant + "&datasetIds=demo&requestedGranularity=record");

        Assert.Equal("record", (string?)response["meta"]!["returnedGranularity"]);
        var set = Assert.Single(ResultSets(response))!;
        Assert.Equal("demo", (string?)set["id"]);
        var variant = Assert.Single(set["results"]!.AsArray())!;
        BeaconSchemas.AssertValid(variant.ToJsonString(), BeaconSchemas.GenomicVariation);
        Assert.Equal("17:43045711:G:A", (string?)variant["variantInternalId"]);
        Assert.Equal("NC_000017.11:g.43045712G>A", (string?)variant["identifiers"]!["genomicHGVSId"]);
        Assert.Equal("refseq:NC_000017.11", (string?)variant["variation"]!["location"]!["sequence_id"]);
        Assert.Equal(43045711, (long)variant["variation"]!["location"]!["interval"]!["start"]!["value"]!);
        Assert.Contains("BRCA1", variant["molecularAttributes"]!["geneIds"]!.AsArray().Select(g => (string?)g));
        Assert.Contains("R1831W", variant["molecularAttributes"]!["aminoacidChanges"]!.AsArray().Select(g => (string?)g));
        var frequency = variant["frequencyInPopulations"]![0]!["frequencies"]![0]!;
        Assert.Equal(6, (long)frequency["alleleCount"]!);
        Assert.Equal(100, (long)frequency["alleleNumber"]!);
        var cases = variant["caseLevelData"]!.AsArray();
        Assert.Equal(6, cases.Count);
        Assert.All(cases, c => Assert.StartsWith("DEMO-", (string?)c!["individualId"], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("17")]
    [InlineData("chr17")]
    [InlineData("NC_000017.11")]
    [InlineData("refseq:NC_000017.11")]
    public async Task Reference_names_of_chromosome_17_on_GRCh38_name_the_same_sequence(string name)
    {
        var response = await Query($"referenceName={name}&start=43045711&referenceBases=G&alternateBases=A&datasetIds=demo&assemblyId=GRCh38");

        Assert.True(Exists(response));
    }

    [Fact]
    public async Task A_GRCh37_accession_or_assembly_does_not_match_GRCh38_data()
    {
        Assert.False(Exists(await Query("referenceName=NC_000017.10&start=43045711&referenceBases=G&alternateBases=A&datasetIds=demo")));
        Assert.False(Exists(await Query(DemoVariant + "&assemblyId=GRCh37&datasetIds=demo")));
        Assert.True(Exists(await Query(DemoVariant + "&assemblyId=hg38&datasetIds=demo")));
    }

    [Fact]
    public async Task A_GRCh38_accession_with_a_GRCh37_assembly_is_refused()
    {
        var response = await Query("referenceName=NC_000017.11&start=43045711&referenceBases=G&alternateBases=A&assemblyId=GRCh37", 400);

        Assert.Contains("referenceName", (string?)response["error"]!["errorMessage"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indels_in_VCF_notation_with_their_padding_base_match_the_stored_trimmed_alleles()
    {
        // Records of the demo VCF with a padding base, found with bcftools, asked back in VCF notation.
        var indels = Tools.Shell($"bcftools query -i 'TYPE=\"indel\" && N_ALT=1' -f '%CHROM\\t%POS\\t%REF\\t%ALT\\n' {Tools.Quote(Tools.DemoVcf)}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).Take(40).ToList();
        Assert.Contains(indels, f => f[2].Length > f[3].Length);
        Assert.Contains(indels, f => f[2].Length < f[3].Length);
        foreach (var f in indels)
        {
            var response = await Query(
                $"referenceName={f[0]}&start={long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture) - 1}&referenceBases={f[2]}&alternateBases={f[3]}&datasetIds=demo&requestedGranularity=count");
            Assert.True(Exists(response), $"{string.Join(' ', f)} not found");
            // The same allele with one more shared base on the right is the same variant.
            var padded = await Query(
                $"referenceName={f[0]}&start={long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture) - 1}&referenceBases={f[2]}A&alternateBases={f[3]}A&datasetIds=demo&requestedGranularity=count");
            Assert.Equal(Total(response), Total(padded));
        }
    }

    [Fact]
    public async Task Range_gene_amino_acid_HGVS_and_bracket_queries_find_the_demo_BRCA1_variant()
    {
        async Task<bool> Finds(string query)
        {
            var response = await Query(query + "&datasetIds=demo&requestedGranularity=record&limit=1000");
            return ResultSets(response).Any(set => set!["results"]!.AsArray().Any(v => (string?)v!["variantInternalId"] == "17:43045711:G:A"));
        }

        Assert.True(await Finds("referenceName=17&start=43045700&end=43045712"));
        Assert.False(await Finds("referenceName=17&start=43045712&end=43045800"));
        Assert.True(await Finds("referenceName=17&start=43045711&end=43045712&variantType=SNP&alternateBases=A"));
        Assert.False(await Finds("referenceName=17&start=43045711&end=43045712&variantType=DEL"));
        Assert.True(await Finds("geneId=BRCA1&aminoacidChange=R1831W"));
        Assert.True(await Finds("geneId=BRCA1&aminoacidChange=p.Arg1831Trp"));
        Assert.False(await Finds("geneId=TP53&aminoacidChange=R1831W"));
        Assert.True(await Finds("genomicAlleleShortForm=NC_000017.11:g.43045712G>A"));
        Assert.True(await Finds("referenceName=17&start=43045700,43045711&end=43045712,43045720"));
        Assert.True(await Finds("referenceName=17&start=43045711&end=43045712&aminoacidChange=R1831W"));
    }

    [Fact]
    public async Task Gene_query_counts_every_annotated_allele_of_the_gene_and_variant_length_filters_narrow_it()
    {
        var all = Total(await Query("geneId=BRCA1&datasetIds=demo&requestedGranularity=count"));
        var snps = Total(await Query("geneId=BRCA1&variantType=SNP&datasetIds=demo&requestedGranularity=count"));
        var longer = Total(await Query("geneId=BRCA1&variantMinLength=2&datasetIds=demo&requestedGranularity=count"));
        var expected = int.Parse(Tools.Shell(
            $"bcftools norm -m -any {Tools.Quote(Tools.DemoVcf)} 2>/dev/null | bcftools view -H -i 'INFO/ANN~\"|BRCA1|\"' | wc -l").Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, all);
        Assert.True(snps > 0 && snps < all);
        Assert.True(longer > 0 && longer + snps <= all);
    }

    [Fact]
    public async Task Returned_granularity_never_exceeds_the_ceiling_of_a_dataset_with_a_hit()
    {
        var variant = "referenceName=1&start=10000&end=20000";
        Assert.Equal("record", (string?)(await Query(variant + "&datasetIds=syn&requestedGranularity=record"))["meta"]!["returnedGranularity"]);
        var registered = await Query(variant + "&datasetIds=reg&requestedGranularity=record");
        Assert.Equal("count", (string?)registered["meta"]!["returnedGranularity"]);
        Assert.Null(registered["response"]);
        var controlled = await Query(variant + "&datasetIds=ctrl&requestedGranularity=count");
        Assert.Equal("boolean", (string?)controlled["meta"]!["returnedGranularity"]);
        Assert.Null(controlled["responseSummary"]!["numTotalResults"]);
        Assert.True(Exists(controlled));
        // All datasets together: the controlled one has hits, so the answer is boolean only.
        Assert.Equal("boolean", (string?)(await Query(variant + "&requestedGranularity=record"))["meta"]!["returnedGranularity"]);
        // A lower request is answered as asked.
        Assert.Equal("boolean", (string?)(await Query(variant + "&datasetIds=syn&requestedGranularity=boolean"))["meta"]!["returnedGranularity"]);
    }

    [Theory]
    [InlineData("HIT", new[] { "syn" })]
    [InlineData("MISS", new[] { "demo" })]
    [InlineData("ALL", new[] { "demo", "syn" })]
    [InlineData("NONE", new string[0])]
    public async Task IncludeResultsetResponses_selects_result_sets_by_hit(string include, string[] expected)
    {
        var response = await Query($"referenceName=1&start=10000&end=30000&datasetIds=demo,syn&requestedGranularity=record&includeResultsetResponses={include}");

        Assert.Equal(expected, ResultSets(response).Select(set => (string)set!["id"]!).ToArray());
        Assert.All(ResultSets(response), set => Assert.Equal((string)set!["id"]! == "syn", (bool)set["exists"]!));
    }

    [Fact]
    public async Task Skip_and_limit_page_through_a_result_set_without_overlap()
    {
        const string query = "referenceName=1&start=0&end=1000000&datasetIds=syn&requestedGranularity=record";
        var first = ResultSets(await Query(query + "&limit=5"))[0]!;
        var second = ResultSets(await Query(query + "&limit=5&skip=5"))[0]!;
        var both = ResultSets(await Query(query + "&limit=10"))[0]!;

        static string[] Ids(JsonNode set) => set["results"]!.AsArray().Select(v => (string)v!["variantInternalId"]!).ToArray();
        Assert.Equal(5, Ids(first).Length);
        Assert.Equal(Ids(both), Ids(first).Concat(Ids(second)).ToArray());
        Assert.Equal((long)first["resultsCount"]!, (long)second["resultsCount"]!);
        Assert.True((long)first["resultsCount"]! > 10);
    }

    [Fact]
    public async Task TestMode_answers_from_the_synthetic_demo_only_and_says_so()
    {
        var response = await Query("referenceName=1&start=10000&end=30000&testMode=true&requestedGranularity=count");

        Assert.True((bool)response["meta"]!["testMode"]!);
        Assert.False(Exists(response)); // chromosome 1 is in the synthetic datasets, not in the demo
        Assert.True(Exists(await Query(DemoVariant + "&testMode=true")));
    }

    [Fact]
    public async Task Variant_id_from_a_record_reads_that_variant_back()
    {
        var (status, json) = await node.GetAsync("/api/g_variants/17:43045711:G:A?requestedGranularity=record&datasetIds=demo");
        Assert.Equal(200, status);
        BeaconSchemas.AssertValid(json, BeaconSchemas.ResultsetsResponse);
        var result = Assert.Single(ResultSets(BeaconNode.Parse(json))[0]!["results"]!.AsArray())!;
        Assert.Equal("17:43045711:G:A", (string?)result["variantInternalId"]);

        var (missing, missingJson) = await node.GetAsync("/api/g_variants/17:43045711:G:C");
        Assert.Equal(200, missing);
        Assert.False(Exists(BeaconNode.Parse(missingJson)));
    }

    [Fact]
    public async Task Flat_nested_list_top_level_and_other_clients_bodies_get_the_same_answer_and_the_request_is_echoed()
    {
        JsonNode Parameters() => new JsonObject
        {
            ["referenceName"] = "17", ["start"] = new JsonArray(43045711), ["referenceBases"] = "G", ["alternateBases"] = "A",
        };
        JsonNode Body(JsonNode parameters) => new JsonObject
        {
            ["meta"] = new JsonObject { ["apiVersion"] = "2.0" },
            ["query"] = new JsonObject
            {
                ["requestParameters"] = parameters, ["requestedGranularity"] = "count",
                ["pagination"] = new JsonObject { ["skip"] = 0, ["limit"] = 5 },
            },
        };
        JsonNode[] bodies =
        [
            Body(Parameters()),
            Body(new JsonObject { ["g_variant"] = Parameters(), ["datasets"] = new JsonObject { ["datasetIds"] = new JsonArray("demo", "syn") } }),
            Body(new JsonArray(new JsonObject { ["referenceName"] = "17", ["start"] = new JsonArray(43045711) },
                new JsonObject { ["referenceBases"] = "G", ["alternateBases"] = "A" })),
            new JsonObject
            {
                ["referenceName"] = "17", ["start"] = 43045711, ["referenceBases"] = "G", ["alternateBases"] = "A", ["requestedGranularity"] = "count",
            },
            // Controls beside query, an explicit null end and no filters, as in the GDI User Portal's example requests.
            new JsonObject
            {
                ["meta"] = new JsonObject { ["apiVersion"] = "2.0" },
                ["query"] = new JsonObject
                {
                    ["requestParameters"] = new JsonObject { ["g_variant"] = Parameters() }, ["filters"] = new JsonArray(),
                },
                ["requestedGranularity"] = "count",
                ["pagination"] = new JsonObject { ["skip"] = 0, ["limit"] = 1 },
            },
            // Schema names as strings, as the EGA reference implementation's request model reads them.
            new JsonObject
            {
                ["meta"] = new JsonObject { ["apiVersion"] = "2.0", ["requestedSchemas"] = new JsonArray("ga4gh-beacon-variant-v2.0.0") },
                ["query"] = new JsonObject
                {
                    ["requestParameters"] = new JsonObject
                    {
                        ["referenceName"] = "17", ["start"] = new JsonArray(43045711), ["end"] = null, ["referenceBases"] = "G", ["alternateBases"] = "A",
                    },
                    ["requestedGranularity"] = "count",
                },
            },
        ];
        foreach (var body in bodies)
        {
            var (status, json) = await node.PostAsync("/api/g_variants", body);
            Assert.True(status == 200, json);
            BeaconSchemas.AssertValid(json, BeaconSchemas.CountResponse);
            var response = BeaconNode.Parse(json);
            Assert.Equal(1, Total(response));
            var summary = response["meta"]!["receivedRequestSummary"]!;
            Assert.Equal("17", (string?)summary["requestParameters"]!["g_variant"]!["referenceName"]);
            Assert.Equal("count", (string?)summary["requestedGranularity"]);
        }
    }

    [Fact]
    public void The_demo_seeding_stores_its_fifty_individuals_with_their_Beacon_documents_by_sample()
    {
        using var scope = node.Services.CreateScope();
        var connection = scope.ServiceProvider.GetRequiredService<DuckDB.NET.Data.DuckDBConnection>();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT count(*), count(document), count(*) FILTER (WHERE json_extract_string(document, '$.id') = id) FROM beacon.individuals WHERE dataset_id = 'demo'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((50L, 50L, 50L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }
}
