using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Tests;
using Microsoft.Playwright;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The node as operations.md deploys it, below a path prefix: nginx terminates TLS at <c>https://127.0.0.1:P/genome/</c>,
/// strips the prefix and forwards plain http to a real <c>genome-node serve</c> (Demo environment, the broker's https
/// requirement on, nginx its trusted proxy, an upstream provider configured). The OpenID discovery document, the
/// sign-in (the demo form and the upstream provider's callback), the Beacon map, the FAIR Data Point, htsget tickets and
/// their data, and the pages in chromium all work through the proxy, and nothing points outside the prefix.
/// </summary>
public sealed class PathPrefixDeploymentTests(PrefixedNodeFixture deployment) : IClassFixture<PrefixedNodeFixture>
{
    [Fact]
    public async Task Discovery_names_every_endpoint_below_the_public_url_whatever_host_a_request_names()
    {
        using var client = deployment.PublicClient();
        var discovery = JsonNode.Parse(await client.GetStringAsync(".well-known/openid-configuration"))!;
        Assert.Equal(deployment.PublicUrl + "/", (string)discovery["issuer"]!);
        string[] endpoints = ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint", "revocation_endpoint", "jwks_uri"];
        foreach (var endpoint in endpoints)
        {
            Assert.StartsWith(deployment.PublicUrl + "/", (string)discovery[endpoint]!, StringComparison.Ordinal);
        }

        // The key set is served where the document says.
        var keys = JsonNode.Parse(await client.GetStringAsync((string)discovery["jwks_uri"]!))!;
        Assert.NotEmpty(keys["keys"]!.AsArray());

        // Straight to the node, naming another host: the same document, not one that sends clients elsewhere.
        using var direct = new HttpClient { BaseAddress = deployment.NodeAddress };
        using var forged = new HttpRequestMessage(HttpMethod.Get, ".well-known/openid-configuration");
        forged.Headers.Host = "evil.example";
        forged.Headers.Add("X-Forwarded-Proto", "https");
        using var answer = await direct.SendAsync(forged);
        var forgedDiscovery = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal(deployment.PublicUrl + "/", (string)forgedDiscovery["issuer"]!);
        Assert.Equal(deployment.PublicUrl + "/connect/token", (string)forgedDiscovery["token_endpoint"]!);
    }

    [Fact]
    public async Task Signing_in_upstream_hands_the_provider_a_callback_below_the_public_url()
    {
        using var client = deployment.PublicClient(followRedirects: false);
        var returnUrl = Uri.EscapeDataString("/connect/authorize?client_id=genome-node-web");
        var form = await client.GetStringAsync($"connect/login?returnUrl={returnUrl}");
        Assert.Contains($"href=\"/genome/connect/login/upstream?returnUrl=", form, StringComparison.Ordinal);

        using var challenge = await client.GetAsync($"connect/login/upstream?returnUrl={returnUrl}");
        Assert.True(challenge.StatusCode == HttpStatusCode.Redirect, $"{challenge.StatusCode}: {await challenge.Content.ReadAsStringAsync()}\n{deployment.NodeLog}");
        var location = challenge.Headers.Location!;
        Assert.StartsWith(deployment.UpstreamIssuer + "authorize?", location.AbsoluteUri, StringComparison.Ordinal);
        var redirectUri = location.Query.TrimStart('?').Split('&').Select(pair => pair.Split('=', 2))
            .Single(pair => pair[0] == "redirect_uri")[1];
        Assert.Equal(deployment.PublicUrl + "/connect/callback", Uri.UnescapeDataString(redirectUri));
    }

    [Fact]
    public async Task The_beacon_map_the_catalogue_and_htsget_tickets_point_below_the_prefix_and_samtools_streams_through_the_proxy()
    {
        using var client = deployment.PublicClient();
        var map = await client.GetStringAsync("api/map");
        var urls = JsonNode.Parse(map)!["response"]!["endpointSets"]!.AsObject()
            .SelectMany(set => new[] { (string?)set.Value!["rootUrl"] }.Concat(
                set.Value!["endpoints"]?.AsObject().Select(endpoint => (string?)endpoint.Value!["url"]) ?? []))
            .OfType<string>()
            .ToList();
        Assert.NotEmpty(urls);
        Assert.All(urls, url => Assert.StartsWith(deployment.PublicUrl + "/api/", url, StringComparison.Ordinal));

        // The catalogue a portal harvests names itself and its catalogue below the prefix, and they dereference there.
        using var turtle = new HttpRequestMessage(HttpMethod.Get, "fdp");
        turtle.Headers.Accept.ParseAdd("text/turtle");
        using var fdp = await client.SendAsync(turtle);
        var description = await fdp.Content.ReadAsStringAsync();
        Assert.Contains($"<{deployment.PublicUrl}/fdp> a fdp-o:MetadataService", description, StringComparison.Ordinal);
        var catalogue = System.Text.RegularExpressions.Regex.Match(description, @"fdp-o:metadataCatalog <([^>]+)>").Groups[1].Value;
        Assert.StartsWith(deployment.PublicUrl + "/fdp/catalog/", catalogue, StringComparison.Ordinal);
        using var catalogueAnswer = await client.GetAsync(catalogue);
        Assert.Equal(HttpStatusCode.OK, catalogueAnswer.StatusCode);

        const string Region = "htsget/reads/demo-reads?referenceName=chr17&start=43044000&end=43126000";
        var ticket = JsonNode.Parse(await client.GetStringAsync(Region))!;
        var parts = ticket["htsget"]!["urls"]!.AsArray().Select(part => (string)part!["url"]!).ToList();
        Assert.All(parts.Where(url => !url.StartsWith("data:", StringComparison.Ordinal)),
            url => Assert.StartsWith(deployment.PublicUrl + "/htsget/data/", url, StringComparison.Ordinal));

        // htslib follows the ticket over https through nginx, trusting the test's certificate.
        var samtools = ExternalTools.RunWithExitCode("samtools",
            new Dictionary<string, string> { ["CURL_CA_BUNDLE"] = deployment.CertificatePath },
            "view", "-c", $"{deployment.PublicUrl}/{Region}");
        Assert.True(samtools.ExitCode == 0, samtools.Error);
        Assert.Equal("5412", System.Text.Encoding.ASCII.GetString(samtools.Output).Trim());
    }

    [Fact]
    public async Task The_prefix_without_its_slash_redirects_and_a_proxy_that_keeps_the_prefix_is_served_too()
    {
        using var direct = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = deployment.NodeAddress };
        using var bare = await direct.GetAsync("genome?x=1");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/genome/?x=1", bare.Headers.Location!.OriginalString);
        Assert.Equal("nosniff", bare.Headers.GetValues("X-Content-Type-Options").Single());

        // The reference page gets its own policy (its inline scripts by hash) below the prefix as at the root.
        using var docs = await direct.GetAsync("genome/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("script-src 'self' 'sha256-", docs.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var kept = await direct.GetAsync("genome/api/info");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        using var stripped = await direct.GetAsync("api/info");
        Assert.Equal(HttpStatusCode.OK, stripped.StatusCode);
        using var elsewhere = await direct.GetAsync("genomes/api/info");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_researcher_and_a_committee_member_sign_in_through_the_proxy_and_the_researcher_opens_reads_in_igv()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        var outside = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(deployment.PublicUrl + "/", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                lock (outside)
                {
                    outside.Add(request.Url);
                }
            }
        };

        await page.GotoAsync(deployment.PublicUrl + "/");
        await Expect(page.Locator("body[data-ready='true']")).ToBeAttachedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#username")).ToBeVisibleAsync();
        Assert.StartsWith(deployment.PublicUrl + "/connect/login?", page.Url, StringComparison.Ordinal);
        await page.Locator("#username").FillAsync("demo-researcher");
        await page.Locator("#password").FillAsync("demo-researcher-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#session")).ToContainTextAsync("Signed in as");
        await Expect(page.Locator("body[data-ready='true']")).ToBeAttachedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Example: chr17:43045712 G>A (BRCA1)" }).ClickAsync();
        await Expect(page.Locator(".record[data-dataset='demo'] table.records")).ToContainTextAsync("17:43045711:G:A");
        var data = page.WaitForResponseAsync(r => r.Url.StartsWith(deployment.PublicUrl + "/htsget/data/", StringComparison.Ordinal) && r.Status == 200);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show reads of demo-reads" }).ClickAsync();
        await data;
        await Expect(page.Locator("#genome")).ToHaveAttributeAsync("data-loaded", "true", new() { Timeout = 30_000 });

        // Signing out goes through the broker's end-session endpoint below the prefix and back to the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("#session")).ToContainTextAsync("Not signed in");
        Assert.StartsWith(deployment.PublicUrl + "/", page.Url, StringComparison.Ordinal);

        // The committee console below the prefix: a member signs in and sees the demo committee's requests and grants.
        var console = await context.NewPageAsync();
        console.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(deployment.PublicUrl + "/", StringComparison.Ordinal))
            {
                lock (outside)
                {
                    outside.Add(request.Url);
                }
            }
        };
        await console.GotoAsync(deployment.PublicUrl + "/dac");
        await Expect(console.Locator("body[data-ready='true']")).ToBeAttachedAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await console.Locator("#username").FillAsync("demo-dac-member");
        await console.Locator("#password").FillAsync("demo-dac-member-password");
        var applications = console.WaitForResponseAsync(r => r.Url.StartsWith(deployment.PublicUrl + "/dac/applications", StringComparison.Ordinal));
        await console.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(console.Locator("#session")).ToContainTextAsync("Signed in as");
        Assert.Equal(200, (await applications).Status);
        Assert.Empty(outside);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

/// <summary>nginx with a fresh self-signed certificate in front of a Demo node, serving it at <c>https://127.0.0.1:P/genome</c>.</summary>
public sealed class PrefixedNodeFixture : IAsyncLifetime, IDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private readonly TemporaryDirectory directory = new("path-prefix");
    private X509Certificate2 certificate = null!;
    private Process? nginx;
    private ServingNode node = null!;

    /// <summary>The node's public URL, without a trailing slash.</summary>
    public string PublicUrl { get; private set; } = "";

    /// <summary>What the node has logged.</summary>
    public string NodeLog => node.Log;

    /// <summary>The node itself, behind the proxy.</summary>
    public Uri NodeAddress { get; private set; } = null!;

    /// <summary>An upstream OpenID provider's issuer (its discovery and keys as static files nginx serves over http).</summary>
    public string UpstreamIssuer { get; private set; } = "";

    /// <summary>The proxy's certificate as PEM, for htslib (<c>CURL_CA_BUNDLE</c>).</summary>
    public string CertificatePath => directory.Combine("proxy.crt");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Nginx), $"{Nginx} is missing: run ./test.sh, which installs Debian's nginx-light");
        var proxyPort = LoopbackPorts.Free();
        var nodePort = LoopbackPorts.Free();
        var upstreamPort = LoopbackPorts.Free();
        PublicUrl = $"https://127.0.0.1:{proxyPort}/genome";
        NodeAddress = new Uri($"http://127.0.0.1:{nodePort}/");
        UpstreamIssuer = $"http://127.0.0.1:{upstreamPort}/idp/";
        WriteCertificate();
        WriteUpstreamProvider();

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Demo",
            ["Node__PublicUrl"] = PublicUrl,
            // As in production: the broker answers https only; the proxy says which requests came over TLS.
            ["Broker__AllowHttp"] = "false",
            ["Privacy__TrustedProxies__0"] = "127.0.0.1",
            ["Broker__Clients__1__RedirectUris__10"] = PublicUrl + "/",
            ["Broker__Clients__1__PostLogoutRedirectUris__10"] = PublicUrl + "/",
            ["Broker__Clients__1__RedirectUris__11"] = PublicUrl + "/dac",
            ["Broker__Upstream__Issuer"] = UpstreamIssuer,
            ["Broker__Upstream__ClientId"] = "genome-node",
            ["Broker__Upstream__ClientSecret"] = "upstream-secret",
            ["Broker__Upstream__DisplayName"] = "the test provider",
        };
        node = await ServingNode.StartAsync(directory.Combine("data"), environment, NodeAddress.ToString().TrimEnd('/'));

        File.WriteAllText(directory.Combine("nginx.conf"), $$"""
            pid {{directory.Combine("nginx.pid")}};
            error_log {{directory.Combine("nginx-error.log")}};
            events { worker_connections 256; }
            http {
              access_log off;
              server {
                listen 127.0.0.1:{{proxyPort}} ssl;
                ssl_certificate {{CertificatePath}};
                ssl_certificate_key {{directory.Combine("proxy.key")}};
                location /genome/ {
                  proxy_pass http://127.0.0.1:{{nodePort}}/;
                  proxy_http_version 1.1;
                  proxy_set_header Host $http_host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                  proxy_buffering off;
                  proxy_request_buffering off;
                }
              }
              server {
                listen 127.0.0.1:{{upstreamPort}};
                root {{directory.Combine("upstream")}};
                default_type application/json;
              }
            }
            """);
        var start = new ProcessStartInfo(Nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory.Path, "-c", directory.Combine("nginx.conf"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        nginx = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        await WaitForProxyAsync();
    }

    /// <summary>A client of the public URL (a trailing slash, so relative paths stay below the prefix).</summary>
    public HttpClient PublicClient(bool followRedirects = true) =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = TrustsTheProxy, AllowAutoRedirect = followRedirects })
        {
            BaseAddress = new Uri(PublicUrl + "/"),
        };

    private void WriteUpstreamProvider()
    {
        var root = Directory.CreateDirectory(directory.Combine("upstream", "idp", ".well-known")).Parent!.FullName;
        using var keys = new TestTokenIssuer(UpstreamIssuer, UpstreamIssuer + "jwks");
        File.WriteAllText(Path.Combine(root, "jwks"), keys.Jwks());
        File.WriteAllText(Path.Combine(root, ".well-known", "openid-configuration"), new JsonObject
        {
            ["issuer"] = UpstreamIssuer,
            ["authorization_endpoint"] = UpstreamIssuer + "authorize",
            ["token_endpoint"] = UpstreamIssuer + "token",
            ["userinfo_endpoint"] = UpstreamIssuer + "userinfo",
            ["jwks_uri"] = UpstreamIssuer + "jwks",
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic"),
        }.ToJsonString());

        // nginx's workers run as nobody under root, and a node started inside this test process sets the umask to 077.
        const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode Searchable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        foreach (var path in new[] { directory.Path, directory.Combine("upstream"), root, Path.Combine(root, ".well-known") })
        {
            File.SetUnixFileMode(path, Searchable);
        }

        File.SetUnixFileMode(Path.Combine(root, "jwks"), Readable);
        File.SetUnixFileMode(Path.Combine(root, ".well-known", "openid-configuration"), Readable);
    }

    private bool TrustsTheProxy(HttpRequestMessage request, X509Certificate2? presented, X509Chain? chain, SslPolicyErrors errors) =>
        presented is not null && presented.RawData.AsSpan().SequenceEqual(certificate.RawData);

    private void WriteCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(directory.Combine("proxy.key"), key.ExportPkcs8PrivateKeyPem());
    }

    private async Task WaitForProxyAsync()
    {
        using var client = PublicClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !nginx!.HasExited)
        {
            try
            {
                using var answer = await client.GetAsync("api/info");
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        var log = File.Exists(directory.Combine("nginx-error.log")) ? File.ReadAllText(directory.Combine("nginx-error.log")) : "";
        throw new InvalidOperationException($"nginx did not forward to the node: {log}\n{node.Log}");
    }

    public async Task DisposeAsync()
    {
        if (nginx is { HasExited: false })
        {
            nginx.Kill(entireProcessTree: true);
            await nginx.WaitForExitAsync();
        }

        nginx?.Dispose();
        await node.DisposeAsync();
        Dispose();
    }

    public void Dispose()
    {
        certificate?.Dispose();
        directory.Dispose();
    }
}
