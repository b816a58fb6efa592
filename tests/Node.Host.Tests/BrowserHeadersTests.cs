using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GenomeNode.Host.Admin;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>What browsers are told: security headers on every answer, and CORS decided per surface.</summary>
public sealed partial class BrowserHeadersTests(NodeFactory factory) : IClassFixture<NodeFactory>
{
    private const string Portal = "https://portal.example.eu";
    private const string StrictPolicy = "default-src 'none'; frame-ancestors 'none'";

    [Theory]
    [InlineData("GET", "/api/map", 200)]
    [InlineData("GET", "/api/g_variants?referenceName=17&start=-5", 400)]
    [InlineData("GET", "/htsget/reads/demo-reads?referenceName=chr17&start=43044000&end=43045000", 200)]
    [InlineData("GET", "/htsget/reads/no-such-object", 404)]
    [InlineData("GET", "/service-info", 200)]
    [InlineData("GET", "/health", 200)]
    [InlineData("GET", "/openapi/v1.json", 200)]
    [InlineData("GET", "/dataUse/terms", 200)]
    [InlineData("GET", "/no/such/page", 404)]
    [InlineData("DELETE", "/api/map", 405)]
    public async Task Every_answer_forbids_sniffing_referrers_framing_and_loading_anything(string method, string path, int status)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        using var response = await client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal(StrictPolicy, Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task The_reference_page_may_run_only_its_own_scripts_and_its_inline_start_up_script()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/docs/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        var policy = Header(response, "Content-Security-Policy")!;
        var inline = InlineScript().Matches(html).Select(match => match.Groups["body"].Value).ToList();
        Assert.NotEmpty(inline);
        var hashes = inline.Select(body => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}'");
        Assert.Equal($"script-src 'self' {string.Join(' ', hashes)}", policy.Split("; ").Single(d => d.StartsWith("script-src", StringComparison.Ordinal)));
        Assert.StartsWith("default-src 'none'; ", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Theory]
    [InlineData("/api/g_variants", "POST")]
    [InlineData("/api/g_variants", "GET")]
    [InlineData("/dataUse/match", "POST")]
    [InlineData("/dataUse/terms", "GET")]
    public async Task Portals_on_any_origin_may_call_beacon_and_data_use_with_a_passport_but_never_with_cookies(string path, string method)
    {
        using var client = factory.CreateClient();

        using var preflight = await PreflightAsync(client, path, method, "authorization,content-type");

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains(method, Header(preflight, "Access-Control-Allow-Methods")!, StringComparison.Ordinal);
        Assert.Contains("Authorization", Header(preflight, "Access-Control-Allow-Headers")!, StringComparison.OrdinalIgnoreCase);
        Assert.Null(Header(preflight, "Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/api/info")]
    [InlineData("/dataUse/terms")]
    [InlineData("/service-info")]
    [InlineData("/health")]
    [InlineData("/openapi/v1.json")]
    public async Task Simple_cross_origin_reads_of_public_documents_are_allowed_without_credentials(string path)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Origin", Portal);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Node_documents_may_only_be_read_cross_origin()
    {
        using var client = factory.CreateClient();

        using var preflight = await PreflightAsync(client, "/service-info", "POST", null);

        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Null(Header(preflight, "Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task Htsget_keeps_its_own_policy_echoing_the_origin_for_igv()
    {
        using var client = factory.CreateClient();

        using var preflight = await PreflightAsync(client, "/htsget/reads/demo-reads", "GET", "authorization,range");

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Portal, Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("Range", Header(preflight, "Access-Control-Allow-Headers")!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_reference_page_answers_no_cross_origin_request()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/docs/", UriKind.Relative));
        request.Headers.Add("Origin", Portal);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_admin_channel_answers_browsers_nothing_and_refuses_their_requests()
    {
        using var data = new TemporaryDirectory("genome-node-admin-cors");
        await using var node = await ServingNode.StartAsync(data.Path);
        using var admin = new HttpClient { BaseAddress = new Uri(node.Channel.Url) };

        using var preflight = await PreflightAsync(admin, "/admin/operations/dataset.list", "POST", "content-type,x-genome-node-admin-secret");
        using var fromBrowser = await PostListAsync(admin, node.Channel.Secret, origin: Portal);
        using var fromCli = await PostListAsync(admin, node.Channel.Secret, origin: null);

        Assert.False(preflight.IsSuccessStatusCode, $"a preflight answered {(int)preflight.StatusCode}");
        Assert.Equal(HttpStatusCode.Forbidden, fromBrowser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromCli.StatusCode);
        foreach (var response in new[] { preflight, fromBrowser, fromCli })
        {
            Assert.DoesNotContain(response.Headers, header => header.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Contains("sent by a browser (Origin header)", node.Log, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex InlineScript();

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient client, string path, string method, string? headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(path, UriKind.Relative));
        request.Headers.Add("Origin", Portal);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostListAsync(HttpClient admin, string secret, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/admin/operations/dataset.list", UriKind.Relative))
        {
            Content = new StringContent("""{"json":true}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(AdminChannel.SecretHeader, secret);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await admin.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}
