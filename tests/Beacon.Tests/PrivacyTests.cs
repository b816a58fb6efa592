using System.Globalization;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// A node with the default privacy rules: the demo (public), a controlled dataset of 50 individuals, and a controlled
/// dataset whose anonymous callers may count ranges with rounded counts and small counts answered as "fewer than 5".
/// </summary>
public sealed class PrivacyNode : IAsyncLifetime
{
    public BeaconNode Node { get; } = new();

    /// <summary>Biallelic SNVs of the controlled VCF with the number of individuals carrying each.</summary>
    public IReadOnlyList<(string Chromosome, int Position, string Ref, string Alt, int Carriers)> Snvs { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var vcf = Tools.SyntheticVcf(Node.Data.Combine("cohort.vcf.gz"), 2000, 50, seed: 17, annotated: true);
        Snvs = [.. Tools.Shell($"bcftools query -i 'TYPE=\"snp\" && N_ALT=1' -f '%CHROM\\t%POS\\t%REF\\t%ALT[\\t%GT]\\n' {Tools.Quote(vcf)}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => (f[0], int.Parse(f[1], CultureInfo.InvariantCulture), f[2], f[3], f[4..].Count(gt => gt.Contains('1', StringComparison.Ordinal))))];
        await using (var first = Node.Sharing())
        {
            _ = first.Server;
            await first.AddDatasetAsync("ctrl", AccessTier.Controlled, vcf);
            await first.AddDatasetAsync("counted", AccessTier.Controlled, vcf);
        }

        Node.Settings["Beacon:Datasets:counted:MaxGranularity"] = "count";
        Node.Settings["Privacy:Datasets:counted:AnonymousQueries:0"] = "sequence";
        Node.Settings["Privacy:Datasets:counted:AnonymousQueries:1"] = "range";
        Node.Settings["Privacy:Datasets:counted:RoundCountsTo"] = "10";
        Node.Settings["Privacy:Datasets:counted:SmallCounts"] = "fewerThan";
        Node.Settings["Privacy:Datasets:counted:RareAlleles"] = "show";
        _ = Node.Server;
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class PrivacyTests(PrivacyNode fixture) : IClassFixture<PrivacyNode>
{
    private readonly BeaconNode node = fixture.Node;

    [Theory]
    [InlineData("referenceName=1&start=0&end=1000000")]
    [InlineData("referenceName=1&start=0,1000&end=1000,2000")]
    [InlineData("geneId=BRCA1")]
    [InlineData("referenceName=1&start=1000&alternateBases=N")]
    [InlineData("genomicAlleleShortForm=NC_000001.11:g.1000del")]
    public async Task Shapes_other_than_exact_alleles_on_a_controlled_dataset_are_refused_to_anonymous_callers_with_a_beacon_error(string query)
    {
        using var client = node.CreateClient();
        using var response = await client.GetAsync(new Uri($"/api/g_variants?{query}&datasetIds=ctrl", UriKind.Relative));
        var json = await response.Content.ReadAsStringAsync();
        Assert.Equal(401, (int)response.StatusCode);
        Assert.StartsWith("Bearer realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        BeaconSchemas.AssertValid(json, BeaconSchemas.ErrorResponse);
        var error = BeaconNode.Parse(json)["error"]!;
        Assert.Equal(401, (int)error["errorCode"]!);
        Assert.Contains("are not answered on dataset 'ctrl' (controlled access) for callers without a passport: they may run sequence queries only",
            (string?)error["errorMessage"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_shape_over_every_dataset_answers_the_others_and_names_the_refused_ones_and_why()
    {
        var (status, json) = await node.GetAsync("/api/g_variants?referenceName=17&start=43000000&end=43200000&requestedGranularity=count");
        Assert.Equal(200, status);
        BeaconSchemas.AssertValid(json, BeaconSchemas.CountResponse);
        var response = BeaconNode.Parse(json);
        Assert.True((bool)response["responseSummary"]!["exists"]!); // the demo's BRCA1 variants
        var notQueried = response["info"]!["privacy"]!["notQueried"]!.AsArray();
        // "counted" lets anonymous callers count ranges: it answers.
        Assert.Equal(["ctrl"], notQueried.Select(n => (string)n!["datasetId"]!));
        Assert.All(notQueried, n => Assert.Contains("range queries are not answered", (string?)n!["reason"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alleles_seen_in_fewer_than_five_individuals_are_answered_as_absent_and_the_answer_says_the_rule_either_way()
    {
        var rare = fixture.Snvs.First(s => s.Carriers is > 0 and < 5);
        var common = fixture.Snvs.First(s => s.Carriers >= 10);
        var rareAnswer = await Sequence(rare, "ctrl");
        var commonAnswer = await Sequence(common, "ctrl");
        Assert.False((bool)rareAnswer["responseSummary"]!["exists"]!);
        Assert.True((bool)commonAnswer["responseSummary"]!["exists"]!, $"{common}: {commonAnswer.ToJsonString()}");
        // The same statement in both: saying it only when it applied would tell a hidden allele from an absent one.
        Assert.Equal(rareAnswer["info"]!.ToJsonString(), commonAnswer["info"]!.ToJsonString());
        var rules = rareAnswer["info"]!["privacy"]!["rules"]!.AsArray().Single(r => (string?)r!["datasetId"] == "ctrl")!["rules"]!.AsArray();
        Assert.Contains("alleles seen in fewer than 5 individuals are answered as absent", rules.Select(r => (string?)r));
    }

    [Fact]
    public async Task Counts_are_rounded_and_small_counts_answered_as_fewer_than_k_and_the_response_says_what_was_adjusted()
    {
        var (status, json) = await node.GetAsync("/api/g_variants?referenceName=1&start=0&end=250000000&datasetIds=counted&requestedGranularity=count");
        Assert.Equal(200, status);
        BeaconSchemas.AssertValid(json, BeaconSchemas.CountResponse);
        var summary = BeaconNode.Parse(json)["responseSummary"]!;
        var count = (long)summary["numTotalResults"]!;
        Assert.True(count >= 10 && count % 10 == 0, $"{count} is not rounded to 10");
        Assert.Equal("rounded", (string?)summary["countPrecision"]);
        var exact = await ExactCountAsync("counted", "1", 0, 250_000_000);
        Assert.True(Math.Abs(count - exact) <= 5, $"{count} is not {exact} rounded");

        // One variant in the window: fewer than 5, answered as a boolean hit that says so.
        var one = fixture.Snvs.First(s => s.Chromosome == "chr1" && s.Carriers >= 5);
        var (_, smallJson) = await node.GetAsync(
            $"/api/g_variants?referenceName=1&start={one.Position - 1}&end={one.Position}&datasetIds=counted&requestedGranularity=count");
        var small = BeaconNode.Parse(smallJson);
        Assert.Equal("boolean", (string?)small["meta"]!["returnedGranularity"]);
        Assert.True((bool)small["responseSummary"]!["exists"]!);
        Assert.Null(small["responseSummary"]!["numTotalResults"]);
        var rules = small["info"]!["privacy"]!["rules"]![0]!["rules"]!.AsArray().Select(r => (string?)r).ToList();
        Assert.Contains("counts below 5 are answered as fewer than 5, as a boolean", rules);
        Assert.Contains("counts are rounded to the nearest multiple of 10", rules);

        // The audit keeps what was asked and what was adjusted.
        var row = await LastAuditRowAsync("counted");
        Assert.Contains($"start={one.Position - 1}", row.Query, StringComparison.Ordinal);
        Assert.Equal("boolean", row.Returned);
        Assert.Matches(@"^count [1-4] \(< 5\) answered as fewer than 5$", row.Adjustments);
    }

    [Fact]
    public async Task Public_datasets_are_answered_exactly_and_without_privacy_statements()
    {
        var (status, json) = await node.GetAsync("/api/g_variants?referenceName=17&start=43000000&end=43200000&datasetIds=demo&requestedGranularity=count");
        Assert.Equal(200, status);
        var response = BeaconNode.Parse(json);
        Assert.Null(response["info"]);
        Assert.Null(response["responseSummary"]!["countPrecision"]);
    }

    private async Task<JsonNode> Sequence((string Chromosome, int Position, string Ref, string Alt, int Carriers) snv, string dataset)
    {
        var (status, json) = await node.GetAsync(
            $"/api/g_variants?referenceName={snv.Chromosome}&start={snv.Position - 1}&referenceBases={snv.Ref}&alternateBases={snv.Alt}&datasetIds={dataset}");
        Assert.Equal(200, status);
        BeaconSchemas.AssertValid(json, BeaconSchemas.BooleanResponse);
        return BeaconNode.Parse(json);
    }

    private async Task<long> ExactCountAsync(string dataset, string chromosome, int start, int end)
    {
        await using var scope = node.Services.CreateAsyncScope();
        using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
        command.CommandText = "SELECT count(*) FROM beacon.variants JOIN beacon.variant_files USING (file_id) WHERE dataset_id = $1 AND chrom = $2 AND start < $3 AND greatest(\"end\", start + 1) > $4";
        command.Parameters.Add(new DuckDBParameter(dataset));
        command.Parameters.Add(new DuckDBParameter(chromosome));
        command.Parameters.Add(new DuckDBParameter(end));
        command.Parameters.Add(new DuckDBParameter(start));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private async Task<(string Query, string? Returned, string? Adjustments)> LastAuditRowAsync(string dataset)
    {
        // As the audit's readers see it: the table and the journal rows not moved into it yet.
        await using var scope = node.Services.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<AuditTrail>().Read(DateTimeOffset.MinValue, null, 0, null, 100_000).Rows;
        var row = rows.Last(r => r.DatasetId == dataset);
        return (row.Query!, row.Returned, row.Adjustments);
    }
}
