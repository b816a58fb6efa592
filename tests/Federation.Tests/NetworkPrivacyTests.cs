using System.Text.Json.Nodes;
using GenomeNode.Beacon.Tests;
using GenomeNode.Node.Host.Tests;
using GenomeNode.Tests;
using WireMock.Server;

namespace GenomeNode.Federation.Tests;

/// <summary>The network tells an anonymous caller no more than the node's /api does: the same granularity, the same budget.</summary>
public sealed class NetworkPrivacyTests
{
    [Fact]
    public async Task The_network_spends_the_callers_budget_as_api_does_and_is_refused_as_api_refuses()
    {
        using var partner = WireMockServer.Start();
        PartnerStubs.Metadata(partner, "/p", "org.partner.p", "v2.1.1");
        PartnerStubs.Json(partner, "/p/g_variants", PartnerStubs.Count("org.partner.p", 7));
        using var data = new TemporaryDirectory("genome-node-net-privacy");
        var vcf = Path.Combine(data.Path, "ctrl.vcf");
        await File.WriteAllTextAsync(vcf, """
            ##fileformat=VCFv4.2
            ##contig=<ID=chr2,length=242193529>
            ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
            #CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	S1	S2	S3
            chr2	1000000	.	C	T	.	PASS	.	GT	0/1	0/0	1/1

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--data", data.Path, "--id", "ctrl", "--name", "ctrl", "--tier", "controlled",
            "--visa-value", "urn:test:dac:ctrl")).ExitCode);
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("ingest", "vcf", "--data", data.Path, "--dataset", "ctrl", vcf)).ExitCode);

        await using var node = new NetworkNode(new Dictionary<string, string>
        {
            ["Node:DataDirectory"] = data.Path,
            ["Node:SeedDemo"] = "false",
            // A miss costs 1 and a request holds 25 until it is costed: 30 - 25 + 1 = 6 misses answered.
            ["Privacy:Budget:Anonymous"] = "30",
            ["Federation:Partners:0:Id"] = "p",
            ["Federation:Partners:0:BaseUrl"] = $"{partner.Url}/p",
        });
        using var client = node.CreateClient();

        // The node's own part answers the anonymous caller exactly as /api does.
        const string hit = "referenceName=2&start=999999&referenceBases=C&alternateBases=T&requestedGranularity=count";
        var own = JsonNode.Parse(await client.GetStringAsync(new Uri($"/api/g_variants?{hit}", UriKind.Relative)))!;
        var network = JsonNode.Parse(await client.GetStringAsync(new Uri($"/network/api/g_variants?{hit}", UriKind.Relative)))!;
        var local = network["info"]!["network"]!["beacons"]![0]!;
        Assert.Equal((string?)own["meta"]!["returnedGranularity"], (string?)local["returnedGranularity"]);
        Assert.Equal(own["responseSummary"]!["numTotalResults"]?.ToJsonString(), local["numTotalResults"]?.ToJsonString());
        Assert.Null(network["response"]);

        var answered = 0;
        HttpResponseMessage? refusal = null;
        for (var position = 1; position < 200 && refusal is null; position++)
        {
            // Misses on the controlled dataset, alternately through /api and the network: one budget.
            var prefix = position % 2 == 0 ? "/api" : "/network/api";
            var response = await client.GetAsync(new Uri($"{prefix}/g_variants?referenceName=2&start={position}&referenceBases=A&alternateBases=T", UriKind.Relative));
            if ((int)response.StatusCode == 200)
            {
                answered++;
                response.Dispose();
            }
            else
            {
                refusal = response;
            }
        }

        Assert.NotNull(refusal);
        using (refusal)
        {
            Assert.Equal(429, (int)refusal.StatusCode);
            Assert.NotNull(refusal.Headers.RetryAfter);
            BeaconSchemas.AssertValid(await refusal.Content.ReadAsStringAsync(), BeaconSchemas.ErrorResponse);
        }

        // The hit and its network twin spent their share; the misses what was left, whichever door they came through.
        Assert.InRange(answered, 1, 6);
        using var afterwards = await client.GetAsync(new Uri("/network/api/g_variants?referenceName=2&start=5000&referenceBases=A&alternateBases=T", UriKind.Relative));
        Assert.Equal(429, (int)afterwards.StatusCode);
    }
}
