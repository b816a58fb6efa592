using System.Net;
using System.Text.Json;
using GenomeNode.Host.Hosting;
using GenomeNode.Passport.Clearinghouse;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenomeNode.Node.Host.Tests;

/// <summary>Absolute URLs come from Node:PublicUrl, or from a Host header the node allows; never from any Host a caller sends.</summary>
public sealed class HostHeaderTests
{
    private const string Ticket = "/htsget/reads/demo-reads?referenceName=chr17&start=43044000&end=43045000";

    [Theory]
    [InlineData("/api/map")]
    [InlineData("/api/service-info")]
    [InlineData("/service-info")]
    [InlineData(Ticket)]
    public async Task A_request_naming_a_host_the_node_does_not_listen_on_is_refused_before_any_url_is_built(string path)
    {
        await using var factory = new NodeFactory();
        using var client = factory.CreateClient();

        using var forged = await SendAsync(client, path, "evil.example");
        using var own = await SendAsync(client, path, "127.0.0.1:8080");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain("evil.example", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.DoesNotContain("evil.example", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_public_url_every_absolute_url_starts_with_it_whatever_host_is_asked_for()
    {
        await using var factory = new NodeFactory { Settings = { ["Node:PublicUrl"] = "https://genome.example.fi/node/" } };
        using var client = factory.CreateClient();

        using var map = JsonDocument.Parse(await ReadAsync(client, "/api/map", "evil.example"));
        var beaconInfo = await ReadAsync(client, "/api/service-info", "evil.example");
        using var nodeInfo = JsonDocument.Parse(await ReadAsync(client, "/service-info", "evil.example"));
        using var ticket = JsonDocument.Parse(await ReadAsync(client, Ticket, "evil.example"));
        using var openApi = JsonDocument.Parse(await ReadAsync(client, "/openapi/v1.json", "evil.example"));

        var variants = map.RootElement.GetProperty("response").GetProperty("endpointSets").GetProperty("genomicVariant");
        Assert.Equal("https://genome.example.fi/node/api/g_variants", variants.GetProperty("rootUrl").GetString());
        Assert.DoesNotContain("evil.example", beaconInfo, StringComparison.Ordinal);
        Assert.Equal("https://genome.example.fi/node/docs", nodeInfo.RootElement.GetProperty("documentationUrl").GetString());
        Assert.All(DataUrls(ticket), url => Assert.StartsWith("https://genome.example.fi/node/htsget/data/", url, StringComparison.Ordinal));
        Assert.Equal("https://genome.example.fi/node", Assert.Single(openApi.RootElement.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task Htsget_public_base_url_still_overrides_data_urls_alone()
    {
        await using var factory = new NodeFactory
        {
            Settings = { ["Node:PublicUrl"] = "https://genome.example.fi", ["Htsget:PublicBaseUrl"] = "https://data.genome.example.fi/" },
        };
        using var client = factory.CreateClient();

        using var ticket = JsonDocument.Parse(await ReadAsync(client, Ticket, "localhost"));
        using var map = JsonDocument.Parse(await ReadAsync(client, "/api/map", "localhost"));

        Assert.All(DataUrls(ticket), url => Assert.StartsWith("https://data.genome.example.fi/htsget/data/", url, StringComparison.Ordinal));
        Assert.StartsWith("https://genome.example.fi/api/",
            map.RootElement.GetProperty("response").GetProperty("endpointSets").GetProperty("genomicVariant").GetProperty("rootUrl").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_public_url_is_the_expected_passport_audience_unless_audiences_are_configured()
    {
        await using var defaulted = new NodeFactory { Settings = { ["Node:PublicUrl"] = "https://genome.example.fi/node" } };
        await using var configured = new NodeFactory
        {
            Settings = { ["Node:PublicUrl"] = "https://genome.example.fi/node", ["Passport:Audiences:0"] = "urn:fi:genome-node" },
        };
        await using var without = new NodeFactory();

        Assert.Equal(["https://genome.example.fi/node", "https://genome.example.fi/node/"], Audiences(defaulted));
        Assert.Equal(["urn:fi:genome-node"], Audiences(configured));
        Assert.Empty(Audiences(without));
    }

    [Fact]
    public async Task Configured_allowed_hosts_win_over_the_listening_urls()
    {
        await using var factory = new NodeFactory { Settings = { ["AllowedHosts"] = "genome.example.fi" } };
        using var client = factory.CreateClient();

        using var listening = await SendAsync(client, "/api/map", "127.0.0.1:8080");
        var named = await ReadAsync(client, "/api/map", "genome.example.fi");

        Assert.Equal(HttpStatusCode.BadRequest, listening.StatusCode);
        Assert.Contains("\"rootUrl\":\"http://genome.example.fi/api/g_variants\"", named, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wildcard_binding_without_public_url_or_allowed_hosts_is_warned_about_and_a_specific_one_names_its_hosts()
    {
        await using var wildcard = new NodeFactory { Settings = { ["urls"] = "http://0.0.0.0:0" } };
        await using var specific = new NodeFactory();
        wildcard.CreateClient().Dispose();
        specific.CreateClient().Dispose();

        var warning = Assert.Single(wildcard.Log.Lines, line => line.Contains("accepted with any Host header", StringComparison.Ordinal));
        Assert.Contains("listening on http://0.0.0.0:0", warning, StringComparison.Ordinal);
        Assert.Contains("set Node:PublicUrl to the node's public URL, or AllowedHosts to the host names clients use", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(specific.Log.Lines, line => line.Contains("accepted with any Host header", StringComparison.Ordinal));
        Assert.Contains(specific.Log.Lines, line => line.Contains("Answering requests for Host 127.0.0.1;localhost (the listening addresses)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1 localhost")]
    [InlineData("http://[::1]:8080", "[::1] localhost")]
    [InlineData("http://localhost:8080", "localhost 127.0.0.1 [::1]")]
    [InlineData("https://Genome.Example.fi:443;http://10.1.2.3:80", "genome.example.fi 10.1.2.3")]
    public void Specific_listening_urls_become_the_allowed_hosts(string urls, string hosts)
    {
        var decision = HostHeaderPolicy.Decide(Configuration(("urls", urls)));

        Assert.Equal(hosts.Split(' '), decision.DefaultAllowedHosts);
        Assert.False(decision.TrustsAnyHost);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://127.0.0.1:8080;http://0.0.0.0:8081")]
    public void A_wildcard_listening_url_leaves_the_host_header_trusted(string urls)
    {
        var decision = HostHeaderPolicy.Decide(Configuration(("urls", urls)));

        Assert.Null(decision.DefaultAllowedHosts);
        Assert.True(decision.TrustsAnyHost);
    }

    [Fact]
    public void Kestrel_endpoints_count_over_urls_and_explicit_settings_over_both()
    {
        var endpoints = HostHeaderPolicy.Decide(Configuration(("urls", "http://0.0.0.0:80"), ("Kestrel:Endpoints:Main:Url", "http://10.1.2.3:80")));
        var allowed = HostHeaderPolicy.Decide(Configuration(("urls", "http://0.0.0.0:80"), ("AllowedHosts", "genome.example.fi")));
        var star = HostHeaderPolicy.Decide(Configuration(("urls", "http://127.0.0.1:80"), ("AllowedHosts", "*")));
        var publicUrl = HostHeaderPolicy.Decide(Configuration(("urls", "http://0.0.0.0:80"), ("Node:PublicUrl", "https://genome.example.fi")));

        Assert.Equal(["10.1.2.3"], endpoints.DefaultAllowedHosts);
        Assert.Equal((null, false), (allowed.DefaultAllowedHosts, allowed.TrustsAnyHost));
        Assert.Equal((null, true), (star.DefaultAllowedHosts, star.TrustsAnyHost));
        Assert.Equal((null, false), (publicUrl.DefaultAllowedHosts, publicUrl.TrustsAnyHost));
    }

    [Theory]
    [InlineData("genome.example.fi", "must be an absolute http or https URL")]
    [InlineData("ftp://genome.example.fi", "must be an absolute http or https URL")]
    [InlineData("https://genome.example.fi/node?x=1", "must have no query or fragment")]
    [InlineData("https://genome.example.fi/#top", "must have no query or fragment")]
    [InlineData("https://user:secret@genome.example.fi/", "must not hold a user name or password")]
    public void A_public_url_that_is_not_a_base_url_is_refused_naming_the_key(string value, string rule)
    {
        var result = new NodeOptionsValidator().Validate(null, new NodeOptions { PublicUrl = value });

        Assert.True(result.Failed);
        Assert.Equal($"Node:PublicUrl {rule} (got '{value}')", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("https://genome.example.fi/api", "api")]
    [InlineData("https://genome.example.fi/HTSGET/v1", "HTSGET")]
    [InlineData("https://genome.example.fi/.well-known", ".well-known")]
    [InlineData("https://genome.example.fi/metrics", "metrics")]
    [InlineData("https://genome.example.fi/apis", null)]
    [InlineData("https://genome.example.fi/node/api", null)]
    [InlineData("https://genome.example.fi/", null)]
    public async Task A_public_url_whose_path_begins_with_a_path_the_node_serves_is_refused(string publicUrl, string? served)
    {
        // The node's own first segments, read from a started node's endpoints and its middleware's paths.
        await using var factory = new NodeFactory();
        var paths = PublicUrlRequestsExtensions.ServedPaths([factory.Services.GetRequiredService<EndpointDataSource>()], "/.well-known", "/metrics").ToList();
        Assert.Contains("api", paths);
        Assert.Contains("htsget", paths);
        Assert.Contains("connect", paths);
        Assert.Contains("fdp", paths);

        var fault = PublicUrlRequestsExtensions.PrefixFault(publicUrl, paths);
        if (served is null)
        {
            Assert.Null(fault);
        }
        else
        {
            Assert.Equal(
                $"Node:PublicUrl must not begin with a path the node serves itself ('/{served}'): a request a proxy stripped the prefix " +
                $"from could not be told apart from one that kept it; choose another prefix (got '{publicUrl}')", fault);
        }
    }

    [Fact]
    public async Task A_node_whose_public_url_begins_with_its_own_api_path_stops_at_start_naming_the_key()
    {
        using var data = new GenomeNode.Tests.TemporaryDirectory("genome-node-prefix");
        var result = await GenomeNodeProcess.RunAsync(
            new Dictionary<string, string> { ["Node__PublicUrl"] = "https://genome.example.fi/api" },
            "serve", "--data", data.Path, "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Node:PublicUrl must not begin with a path the node serves itself ('/api')", result.Error + result.Output, StringComparison.Ordinal);
    }

    private static List<string> Audiences(NodeFactory factory) =>
        factory.Services.GetRequiredService<IOptions<PassportOptions>>().Value.Audiences;

    private static List<string> DataUrls(JsonDocument ticket) =>
        ticket.RootElement.GetProperty("htsget").GetProperty("urls").EnumerateArray()
            .Select(part => part.GetProperty("url").GetString()!)
            .Where(url => !url.StartsWith("data:", StringComparison.Ordinal))
            .ToList() is { Count: > 0 } urls ? urls : throw new InvalidOperationException("the ticket has no data URL");

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    private static async Task<string> ReadAsync(HttpClient client, string path, string host)
    {
        using var response = await SendAsync(client, path, host);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} with Host {host}: {(int)response.StatusCode} {body}");
        return body;
    }
}
