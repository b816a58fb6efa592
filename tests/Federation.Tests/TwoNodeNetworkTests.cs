using System.Text.Json.Nodes;
using GenomeNode.Beacon.Tests;
using GenomeNode.Node.Host.Tests;
using GenomeNode.Tests;

namespace GenomeNode.Federation.Tests;

/// <summary>
/// Two real <c>genome-node serve</c> processes on loopback, each with a dataset of its own, each the other's partner at
/// the other's <em>network</em> URL: the configuration that would recurse (A → B → A → ...) without the hop marker.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime, IDisposable
{
    private readonly TemporaryDirectory dataA = new("genome-node-net-a");
    private readonly TemporaryDirectory dataB = new("genome-node-net-b");
    private ServingNode a = null!;
    private ServingNode b = null!;

    public ServingNode A => a;

    public ServingNode B => b;

    public async Task InitializeAsync()
    {
        var (portA, portB) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        await PrepareAsync(dataA.Path, "fi-cohort", "43050000\t.\tC\tT");
        await PrepareAsync(dataB.Path, "se-cohort", "43060000\t.\tA\tG");
        var startA = ServingNode.StartAsync(dataA.Path, Settings("fi.node.a", "b", portB), $"http://127.0.0.1:{portA}");
        var startB = ServingNode.StartAsync(dataB.Path, Settings("se.node.b", "a", portA), $"http://127.0.0.1:{portB}");
        (a, b) = (await startA, await startB);
        await WaitForPartnerAsync(a);
        await WaitForPartnerAsync(b);
    }

    /// <summary>Until the node has fetched its partner's metadata (both nodes start at once and are slow at first).</summary>
    private static async Task WaitForPartnerAsync(ServingNode node)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var info = JsonNode.Parse(await client.GetStringAsync(new Uri("/network/api/info", UriKind.Relative)))!;
                if (info["response"]!["info"]!["network"]!["partners"]![0]!["apiVersion"] is not null)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the node did not fetch its partner's metadata:\n{node.Log}");
    }

    private static Dictionary<string, string> Settings(string beaconId, string partner, int partnerPort) => new()
    {
        ["Node__SeedDemo"] = "false",
        ["Beacon__Id"] = beaconId,
        ["Federation__Partners__0__Id"] = partner,
        ["Federation__Partners__0__BaseUrl"] = $"http://127.0.0.1:{partnerPort}/network/api",
    };

    private static async Task PrepareAsync(string data, string dataset, string own)
    {
        var vcf = Path.Combine(data, $"{dataset}.vcf");
        await File.WriteAllTextAsync(vcf, $"""
            ##fileformat=VCFv4.2
            ##contig=<ID=chr17,length=83257441>
            ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
            #CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	S1	S2
            chr17	43045712	.	G	A	.	PASS	.	GT	0/1	0/0
            chr17	{own}	.	PASS	.	GT	1/1	0/1

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        var added = await GenomeNodeProcess.RunAsync("dataset", "add", "--data", data, "--id", dataset, "--name", dataset, "--tier", "public");
        Assert.True(added.ExitCode == 0, added.ToString());
        var ingested = await GenomeNodeProcess.RunAsync("ingest", "vcf", "--data", data, "--dataset", dataset, vcf);
        Assert.True(ingested.ExitCode == 0, ingested.ToString());
    }

    public async Task DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    public void Dispose()
    {
        dataA.Dispose();
        dataB.Dispose();
    }

}

public sealed class TwoNodeNetworkTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    private const string Shared = "referenceName=17&start=43045711&referenceBases=G&alternateBases=A";

    [Fact]
    public async Task A_network_query_at_either_node_answers_with_both_datasets_and_never_recurses()
    {
        foreach (var (node, own, ownDataset, other, otherDataset, partner) in new[]
                 {
                     (nodes.A, "fi.node.a", "fi-cohort", "se.node.b", "se-cohort", "b"),
                     (nodes.B, "se.node.b", "se-cohort", "fi.node.a", "fi-cohort", "a"),
                 })
        {
            using var client = new HttpClient { BaseAddress = node.BaseAddress };
            var json = await client.GetStringAsync(new Uri($"/network/api/g_variants?{Shared}", UriKind.Relative));
            var answer = JsonNode.Parse(json)!;
            BeaconSchemas.AssertValid(json, BeaconSchemas.ForGranularity((string)answer["meta"]!["returnedGranularity"]!));
            Assert.True((bool)answer["responseSummary"]!["exists"]!);
            var beacons = answer["info"]!["network"]!["beacons"]!.AsArray().OfType<JsonObject>().ToList();
            Assert.Equal(2, beacons.Count);
            Assert.Equal(own, (string?)beacons[0]["beaconId"]);
            Assert.True((bool)beacons[0]["exists"]!);
            var theirs = beacons[1];
            Assert.Equal((partner, other, "ok"), ((string?)theirs["partner"], (string?)theirs["beaconId"], (string?)theirs["status"]));
            Assert.True((bool)theirs["exists"]!);
            // The partner answered alone: the request it got carried the hop marker, so it did not ask this node back.
            Assert.Equal(0, (int)theirs["info"]!["network"]!["partners"]!);
            Assert.Contains(theirs["info"]!["network"]!["notes"]!.AsArray(), note => ((string?)note)!.Contains("never fanned out again", StringComparison.Ordinal));

            var datasetsJson = await client.GetStringAsync(new Uri("/network/api/datasets", UriKind.Relative));
            BeaconSchemas.AssertValid(datasetsJson, BeaconSchemas.CollectionsResponse);
            var collections = JsonNode.Parse(datasetsJson)!["response"]!["collections"]!.AsArray().OfType<JsonObject>()
                .Select(c => ((string?)c["id"], (string?)c["beaconId"])).ToList();
            Assert.Equal([(ownDataset, own), (otherDataset, other)], collections);
        }

        // Each node's own /api still knows only its own dataset.
        using var direct = new HttpClient { BaseAddress = nodes.A.BaseAddress };
        var alone = JsonNode.Parse(await direct.GetStringAsync(new Uri("/api/datasets", UriKind.Relative)))!;
        Assert.Equal(["fi-cohort"], alone["response"]!["collections"]!.AsArray().Select(c => (string?)c!["id"]));
    }

    [Fact]
    public async Task A_variant_only_the_partner_holds_is_found_through_the_network_and_not_through_the_node_alone()
    {
        using var client = new HttpClient { BaseAddress = nodes.A.BaseAddress };
        const string onlyB = "referenceName=17&start=43059999&referenceBases=A&alternateBases=G";
        var alone = JsonNode.Parse(await client.GetStringAsync(new Uri($"/api/g_variants?{onlyB}", UriKind.Relative)))!;
        var network = JsonNode.Parse(await client.GetStringAsync(new Uri($"/network/api/g_variants?{onlyB}", UriKind.Relative)))!;

        Assert.False((bool)alone["responseSummary"]!["exists"]!);
        Assert.True((bool)network["responseSummary"]!["exists"]!);
        var beacons = network["info"]!["network"]!["beacons"]!.AsArray();
        Assert.False((bool)beacons[0]!["exists"]!);
        Assert.True((bool)beacons[1]!["exists"]!);
    }
}
