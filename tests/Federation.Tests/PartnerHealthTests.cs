using System.Net;
using System.Text.Json.Nodes;
using GenomeNode.Tests;
using WireMock.Server;

namespace GenomeNode.Federation.Tests;

public sealed class PartnerHealthTests
{
    [Fact]
    public async Task Health_is_degraded_not_unhealthy_while_a_partner_is_down_and_healthy_once_it_is_back()
    {
        using var up = WireMockServer.Start();
        PartnerStubs.Metadata(up, "/up", "org.partner.up", "v2.1.1");
        var closed = LoopbackPorts.Free();
        await using var node = new NetworkNode(new Dictionary<string, string>
        {
            ["Federation:HealthProbeSeconds"] = "0.001",
            ["Federation:Partners:0:Id"] = "up",
            ["Federation:Partners:0:BaseUrl"] = $"{up.Url}/up",
            ["Federation:Partners:1:Id"] = "down",
            ["Federation:Partners:1:BaseUrl"] = $"http://127.0.0.1:{closed}/api",
            ["Federation:Partners:1:TimeoutSeconds"] = "1",
        });
        using var client = node.CreateClient();

        var (status, health) = await HealthAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", (string?)health["status"]);
        var partners = health["checks"]!.AsArray().Single(check => (string?)check!["name"] == "federation-partners")!;
        Assert.Equal("Degraded", (string?)partners["status"]);
        Assert.StartsWith("1 of 2 partners unreachable: down (", (string?)partners["description"], StringComparison.Ordinal);

        // The partner comes back: the next probe finds it.
        using var back = WireMockServer.Start(closed);
        PartnerStubs.Metadata(back, "/api", "org.partner.down", "v2.1.1");
        (status, health) = await HealthAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", (string?)health["checks"]!.AsArray().Single(check => (string?)check!["name"] == "federation-partners")!["status"]);
    }

    private static async Task<(HttpStatusCode, JsonNode)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
