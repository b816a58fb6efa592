using System.Text.Json.Nodes;

namespace GenomeNode.Beacon.Tests;

/// <summary>A node with a sites-only VCF (no samples, counts in INFO, as published aggregates are) in dataset <c>sites</c>.</summary>
public sealed class SitesOnlyNode() : OneVcfNode("sites",
    "##fileformat=VCFv4.2\n##contig=<ID=22,length=50818468>\n" +
    "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count\">\n" +
    "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"Allele number\">\n" +
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" +
    "22\t16050036\trs374742143\tA\tC\t.\tPASS\tAC=67;AN=156\n" +
    "22\t16050068\t.\tA\tG\t.\tPASS\tDP=3\n");

/// <summary>Records of a sites-only VCF: frequencies from its INFO counts, or none, never a made-up zero.</summary>
public sealed class SitesOnlyTests(SitesOnlyNode fixture) : IClassFixture<SitesOnlyNode>
{
    private async Task<JsonNode> Record(string query)
    {
        var (status, json) = await fixture.Node.GetAsync($"/api/g_variants?{query}&datasetIds=sites&requestedGranularity=record");
        Assert.True(status == 200, $"{status}: {json}");
        BeaconSchemas.AssertValid(json, BeaconSchemas.ForGranularity("record"));
        var variant = Assert.Single(BeaconNode.Parse(json)["response"]!["resultSets"]![0]!["results"]!.AsArray())!;
        BeaconSchemas.AssertValid(variant.ToJsonString(), BeaconSchemas.GenomicVariation);
        return variant;
    }

    [Fact]
    public async Task A_sites_only_record_gives_the_frequency_of_its_INFO_counts_and_no_zygosity_or_cases()
    {
        var variant = await Record("referenceName=22&start=16050035&referenceBases=A&alternateBases=C");

        var population = variant["frequencyInPopulations"]![0]!;
        Assert.Contains("INFO AC/AN", (string?)population["sourceReference"], StringComparison.Ordinal);
        var frequency = population["frequencies"]![0]!;
        Assert.Equal(67, (long)frequency["alleleCount"]!);
        Assert.Equal(156, (long)frequency["alleleNumber"]!);
        Assert.Equal(Math.Round(67.0 / 156, 6), (double)frequency["alleleFrequency"]!);
        Assert.Null(frequency["alleleCountHomozygous"]);
        Assert.Null(frequency["alleleCountHeterozygous"]);
        Assert.Null(variant["caseLevelData"]);
    }

    [Fact]
    public async Task A_record_without_any_count_gives_no_frequency_rather_than_zero()
    {
        var variant = await Record("referenceName=22&start=16050067&referenceBases=A&alternateBases=G");

        Assert.Null(variant["frequencyInPopulations"]);
        Assert.Equal("22:16050067:A:G", (string?)variant["variantInternalId"]);
    }
}
