using System.Text.Json.Nodes;

namespace GenomeNode.Beacon.Tests;

/// <summary>A node with a VCF of sequence and symbolic (structural) alleles, ingested into dataset <c>sv</c>.</summary>
public sealed class StructuralVariantNode() : OneVcfNode("sv", string.Join('\n',
    [
        "##fileformat=VCFv4.3",
        "##contig=<ID=1,length=248956422>",
        "##contig=<ID=2,length=242193529>",
        "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position\">",
        "##INFO=<ID=SVLEN,Number=A,Type=Integer,Description=\"Length\">",
        "##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type\">",
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">",
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\tS4",
        "1\t1000\tsnv\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0\t0/0\t0/0",
        "1\t2000\tsmall_del\tACGT\tA\t.\tPASS\t.\tGT\t0/1\t1/1\t0/0\t0/0",
        "1\t3000\tsmall_ins\tA\tACC\t.\tPASS\t.\tGT\t0/0\t0/1\t0/0\t0/0",
        "1\t10000\tsv_del\tT\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=60000;SVLEN=-50000\tGT\t0/1\t0/0\t0/1\t0/0",
        "1\t100000\tsv_dup\tT\t<DUP>\t.\tPASS\tSVTYPE=DUP;SVLEN=20000\tGT\t0/0\t0/1\t0/0\t1/1",
        "1\t200000\tsv_inv\tT\t<INV>\t.\tPASS\tSVTYPE=INV;END=205000\tGT\t0/1\t0/0\t0/0\t0/0",
        "1\t300000\tsv_cnv\tT\t<CN0>,<CN3>\t.\tPASS\tSVTYPE=CNV;END=310000\tGT\t0/1\t0/2\t0/0\t0/0",
        "1\t400000\tsv_bnd\tT\tT[2:5000[\t.\tPASS\tSVTYPE=BND\tGT\t0/1\t0/0\t0/0\t0/0",
        "",
    ]));

/// <summary>
/// variantType by VCF names and by the Sequence Ontology and EFO terms Beacon clients send (copy-number terms among
/// them), over sequence and symbolic alleles; structural variants found by the windows their spans overlap.
/// </summary>
public sealed class StructuralVariantTests(StructuralVariantNode fixture) : IClassFixture<StructuralVariantNode>
{
    private readonly BeaconNode node = fixture.Node;

    private async Task<JsonNode> Query(string query)
    {
        var (status, json) = await node.GetAsync("/api/g_variants?" + query + "&datasetIds=sv");
        Assert.True(status == 200, $"{query}: {status} {json}");
        var response = BeaconNode.Parse(json);
        BeaconSchemas.AssertValid(json, BeaconSchemas.ForGranularity((string)response["meta"]!["returnedGranularity"]!));
        return response;
    }

    private async Task<List<string>> Ids(string query)
    {
        var response = await Query(query + "&requestedGranularity=record&limit=100");
        return [.. response["response"]!["resultSets"]!.AsArray()
            .SelectMany(set => set!["results"]!.AsArray())
            .Select(variant => (string)variant!["variantInternalId"]!)
            .Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("SNP", "1:999:A:G")]
    [InlineData("snv", "1:999:A:G")]
    [InlineData("SO:0001483", "1:999:A:G")]
    [InlineData("INS", "1:3000:-:CC")]
    [InlineData("SO:0000667", "1:3000:-:CC")]
    [InlineData("DEL", "1:10000:-:<DEL>", "1:2000:CGT:-")]
    [InlineData("SO:0000159", "1:10000:-:<DEL>", "1:2000:CGT:-")]
    [InlineData("EFO:0030067", "1:10000:-:<DEL>", "1:2000:CGT:-")]
    [InlineData("EFO:0030069", "1:10000:-:<DEL>", "1:2000:CGT:-")]
    [InlineData("DUP", "1:100000:-:<DUP>")]
    [InlineData("SO:1000035", "1:100000:-:<DUP>")]
    [InlineData("EFO:0030070", "1:100000:-:<DUP>")]
    [InlineData("efo:0030072", "1:100000:-:<DUP>")]
    [InlineData("INV", "1:200000:-:<INV>")]
    [InlineData("SO:1000036", "1:200000:-:<INV>")]
    [InlineData("CNV", "1:300000:-:<CN0>", "1:300000:-:<CN3>")]
    [InlineData("SO:0001019", "1:10000:-:<DEL>", "1:100000:-:<DUP>", "1:2000:CGT:-", "1:300000:-:<CN0>", "1:300000:-:<CN3>")]
    [InlineData("EFO:0030066", "1:10000:-:<DEL>", "1:100000:-:<DUP>", "1:2000:CGT:-", "1:300000:-:<CN0>", "1:300000:-:<CN3>")]
    [InlineData("BND", "1:399999:-:T[2:5000[")]
    [InlineData("EFO:9999999")]
    [InlineData("TRANSPOSON")]
    public async Task A_variant_type_by_VCF_name_or_ontology_term_matches_the_stored_alleles_of_that_kind(string variantType, params string[] expected)
    {
        var ids = await Ids($"referenceName=1&start=0&end=1000000&variantType={Uri.EscapeDataString(variantType)}");

        Assert.Equal(expected.Order(StringComparer.Ordinal), ids);
        var count = await Query($"referenceName=1&start=0&end=1000000&variantType={Uri.EscapeDataString(variantType)}&requestedGranularity=count");
        Assert.Equal(expected.Length > 0, (bool)count["responseSummary"]!["exists"]!);
    }

    [Fact]
    public async Task A_structural_variant_is_found_by_any_window_its_span_overlaps_and_by_its_length()
    {
        Assert.Equal("1:10000:-:<DEL>", Assert.Single(await Ids("referenceName=1&start=35000&end=35001")));
        Assert.Equal("1:100000:-:<DUP>", Assert.Single(await Ids("referenceName=1&start=119999&end=125000")));
        Assert.Empty(await Ids("referenceName=1&start=120000&end=125000"));
        Assert.Equal("1:10000:-:<DEL>", Assert.Single(await Ids("referenceName=1&start=0&end=1000000&variantType=EFO:0030067&variantMinLength=1000")));
        Assert.Equal("1:2000:CGT:-", Assert.Single(await Ids("referenceName=1&start=0&end=1000000&variantType=DEL&variantMaxLength=50")));
        Assert.Equal("1:10000:-:<DEL>", Assert.Single(await Ids("referenceName=1&start=9000,11000&end=59000,61000&variantType=DEL")));
    }

    [Fact]
    public async Task A_structural_variant_record_gives_its_type_span_and_carriers()
    {
        var response = await Query("referenceName=1&start=0&end=1000000&variantType=DEL&variantMinLength=1000&requestedGranularity=record");
        var variant = Assert.Single(response["response"]!["resultSets"]![0]!["results"]!.AsArray())!;

        BeaconSchemas.AssertValid(variant.ToJsonString(), BeaconSchemas.GenomicVariation);
        Assert.Equal("DEL", (string?)variant["variation"]!["variantType"]);
        Assert.Equal(10000, (long)variant["variation"]!["location"]!["interval"]!["start"]!["value"]!);
        Assert.Equal(60000, (long)variant["variation"]!["location"]!["interval"]!["end"]!["value"]!);
        Assert.Equal("S1 S3", string.Join(' ', variant["caseLevelData"]!.AsArray().Select(c => (string)c!["individualId"]!)));
        var frequency = variant["frequencyInPopulations"]![0]!["frequencies"]![0]!;
        Assert.Equal(2, (long)frequency["alleleCount"]!);
        Assert.Equal(8, (long)frequency["alleleNumber"]!);
    }
}
