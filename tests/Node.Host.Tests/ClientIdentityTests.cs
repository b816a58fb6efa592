using System.Net;
using System.Text.Json.Nodes;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>Whose budget a request spends behind a reverse proxy: X-Forwarded-For counts only from a trusted proxy.</summary>
public sealed class ClientIdentityTests
{
    // Enough for 6 misses: each request holds 25 (the most a controlled dataset's answer costs) until it is costed.
    private static readonly Dictionary<string, string> SmallBudget = new() { ["Privacy__Budget__Anonymous"] = "30" };

    [Fact]
    public async Task X_forwarded_for_names_the_client_only_when_the_sender_is_a_trusted_proxy()
    {
        using var root = new TemporaryDirectory("genome-node-proxy");
        await PrivacyAttackTests.ControlledDatasetAsync(root, variants: 200);

        await using (var direct = await ServingNode.StartAsync(root.Combine("data"), SmallBudget))
        {
            // Not trusted: every forwarded address is the loopback client, which spends one budget.
            Assert.Equal(429, await SpendAsync(direct, "203.0.113.5"));
            Assert.Equal(429, await StatusAsync(direct, "203.0.113.6", 1));
        }

        var behindProxy = new Dictionary<string, string>(SmallBudget) { ["Privacy__TrustedProxies__0"] = "127.0.0.0/8" };
        await using (var proxied = await ServingNode.StartAsync(root.Combine("data"), behindProxy))
        {
            Assert.Equal(429, await SpendAsync(proxied, "203.0.113.7"));
            // Another client behind the proxy has its own budget.
            Assert.Equal(200, await StatusAsync(proxied, "203.0.113.8", 1));
            // The nearest untrusted hop counts, not what the client claims before it.
            Assert.Equal(429, await StatusAsync(proxied, "198.51.100.1, 203.0.113.7", 2));
        }
    }

    [Fact]
    public async Task X_forwarded_proto_makes_a_request_https_only_when_the_sender_is_a_trusted_proxy()
    {
        using var root = new TemporaryDirectory("genome-node-proxy");
        await using (var direct = await ServingNode.StartAsync(root.Combine("direct")))
        {
            // The broker answers https only: a caller cannot claim TLS it did not use.
            var (status, body) = await DiscoveryAsync(direct);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("only accepts HTTPS", body, StringComparison.Ordinal);
        }

        await using var proxied = await ServingNode.StartAsync(
            root.Combine("proxied"), new Dictionary<string, string> { ["Privacy__TrustedProxies__0"] = "127.0.0.0/8" });
        var (trustedStatus, trustedBody) = await DiscoveryAsync(proxied);
        Assert.Equal(HttpStatusCode.OK, trustedStatus);
        Assert.Equal($"https://{proxied.BaseAddress.Authority}/", (string)JsonNode.Parse(trustedBody)!["issuer"]!);
    }

    private static async Task<(HttpStatusCode Status, string Body)> DiscoveryAsync(ServingNode node)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_trusted_proxy_that_is_no_address_stops_the_node_at_start()
    {
        using var root = new TemporaryDirectory("genome-node-proxy");
        var result = await GenomeNodeProcess.RunAsync(
            new Dictionary<string, string> { ["Privacy__TrustedProxies__0"] = "proxy.example" },
            "serve", "--data", root.Combine("data"), "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Privacy:TrustedProxies holds 'proxy.example'", result.Error + result.Output, StringComparison.Ordinal);
    }

    /// <summary>Misses until the budget is spent; the status of the refusal.</summary>
    private static async Task<int> SpendAsync(ServingNode node, string forwardedFor)
    {
        for (var position = 1; position <= 50; position++)
        {
            var status = await StatusAsync(node, forwardedFor, position);
            if (status != 200)
            {
                return status;
            }
        }

        return 200;
    }

    private static async Task<int> StatusAsync(ServingNode node, string forwardedFor, int position)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"/api/g_variants?referenceName=2&start={position}&referenceBases=A&alternateBases=T&datasetIds=ctrl");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }
}
