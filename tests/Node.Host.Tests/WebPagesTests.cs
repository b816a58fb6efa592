using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Tests;
using Microsoft.Playwright;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The researcher page and the committee console in Debian's chromium, driven by Playwright, against a real
/// <c>genome-node serve</c> in the Demo environment: an anonymous query with its frequency chart, a committee member
/// approving a request filed through the REMS API, then the researcher signed in through the broker seeing records of
/// the controlled dataset and its reads in igv.js over htsget. Screenshots go to <c>artifacts/screenshots/</c>.
/// </summary>
public sealed class WebPagesTests : IAsyncLifetime, IDisposable
{
    private const string Researcher = "demo-researcher";
    private const string Member = "demo-dac-member";

    private readonly TemporaryDirectory data = new("web-pages");
    private readonly List<string> consoleProblems = [];
    private ServingNode node = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private Uri origin = null!;

    private static string Screenshots => Path.Combine(HostEndpointsTests.RepositoryRoot(), "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        var port = LoopbackPorts.Free();
        origin = new Uri($"http://127.0.0.1:{port}");
        // The pages' broker client returns to the page it started from: this node's / and /dac, on this test's port.
        var pages = new[] { $"{origin}", $"{origin}dac" };
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Demo" };
        for (var i = 0; i < pages.Length; i++)
        {
            environment[$"Broker__Clients__1__RedirectUris__{10 + i}"] = pages[i];
            environment[$"Broker__Clients__1__PostLogoutRedirectUris__{10 + i}"] = pages[i];
        }

        node = await ServingNode.StartAsync(data.Path, environment, origin.ToString().TrimEnd('/'));
        playwright = await Playwright.CreateAsync();
        browser = await HeadlessChromium.LaunchAsync(playwright);
        Directory.CreateDirectory(Screenshots);
    }

    [Fact]
    public async Task Anonymous_researcher_runs_the_demo_query_and_sees_frequencies_per_population()
    {
        var page = await OpenAsync("/");
        await Expect(page.Locator("#session")).ToContainTextAsync("Not signed in");

        // Completion for filters comes from /api/filtering_terms.
        Assert.Contains("NCIT:C4872", await page.Locator("#filtering-terms option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Example: chr17:43045712 G>A (BRCA1)" }).ClickAsync();
        var publicRow = page.Locator("#datasets tr[data-dataset='demo']");
        var controlledRow = page.Locator("#datasets tr[data-dataset='demo-controlled']");
        await Expect(publicRow).ToContainTextAsync("record");
        // The controlled copy answers anonymous callers with a boolean only, and the page says why.
        await Expect(controlledRow).ToContainTextAsync("boolean");
        await Expect(controlledRow).ToContainTextAsync("not signed in");
        await Expect(controlledRow).ToContainTextAsync("controlled dataset and no passport was given");

        // 6 of 100 alleles overall, 1 of 54 in men, 5 of 46 in women (Node.Host/Demo/README.md).
        var chart = page.Locator(".record[data-dataset='demo'] figure.frequency-chart").First;
        await Expect(chart).ToBeVisibleAsync();
        Assert.Equal("0.06", await chart.Locator("rect.bar[data-population='FI']").GetAttributeAsync("data-allele-frequency"));
        Assert.Equal("0.108696", await chart.Locator("rect.bar[data-population='FI_F']").GetAttributeAsync("data-allele-frequency"));
        await Expect(page.Locator(".record[data-dataset='demo'] table.records")).ToContainTextAsync("17:43045711:G:A");
        await Expect(page.Locator(".record[data-dataset='demo'] table.records")).ToContainTextAsync("missense_variant");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "researcher-demo-query.png"), FullPage = true });

        // A range with a filter: only carriers with breast carcinoma count.
        await page.Locator("input[name='kind'][value='range']").CheckAsync();
        await page.Locator("input[name='rangeStart']").FillAsync("43044295");
        await page.Locator("input[name='rangeEnd']").FillAsync("43125483");
        await page.Locator("input[name='filter']").FillAsync("NCIT:C4872");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add filter" }).ClickAsync();
        await page.Locator("select[name='granularity']").SelectOptionAsync("count");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(publicRow).ToContainTextAsync("count");
        var count = int.Parse((await publicRow.Locator("td").Nth(4).InnerTextAsync()).Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(count, 1, 700);

        // Bad input is explained on the page, not sent.
        await page.Locator("input[name='rangeEnd']").FillAsync("abc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("#form-error")).ToContainTextAsync("End must be a whole number");

        // A token the node refuses (here forged, unsigned) is dropped: the page goes on anonymously and says so.
        await page.EvaluateAsync(
            "() => sessionStorage.setItem('genome-node.session', JSON.stringify({ accessToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJkZW1vLXJlc2VhcmNoZXIifQ.', " +
            "subject: 'demo-researcher', name: 'Mallory', expiresAt: Date.now() + 600000 }))");
        await page.ReloadAsync();
        await Expect(page.Locator("#form-error")).ToContainTextAsync("no longer accepts your sign-in");
        await Expect(page.Locator("#session")).ToContainTextAsync("Not signed in");
        await Expect(page.Locator("body[data-ready='true']")).ToBeAttachedAsync();
        Assert.Empty(consoleProblems);
    }

    [Fact]
    public async Task Committee_approves_a_request_and_the_signed_in_researcher_sees_records_and_reads()
    {
        var application = await FileRequestAsync();

        // The committee member signs in at the broker from the console and sees the request with its DUO match.
        var console = await OpenAsync("/dac");
        await SignInAsync(console, Member);
        var row = console.Locator($"#applications tr[data-application='{application}']");
        await Expect(row).ToContainTextAsync("submitted");
        await row.ClickAsync();
        var detail = console.Locator("#detail");
        await Expect(detail).ToContainTextAsync("APPROVE");
        await Expect(detail).ToContainTextAsync("health, medical or biomedical research");
        await console.Locator("#detail input[name='comment']").FillAsync("HMB research, BRCA1 penetrance");
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "committee-reviewing-request.png"), FullPage = true });
        await console.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(detail).ToContainTextAsync("approved");
        await Expect(detail.Locator("table.events")).ToContainTextAsync("approved");
        await Expect(console.Locator("#grants")).ToContainTextAsync(Researcher);
        await console.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "committee-approved-request.png"), FullPage = true });

        // The researcher signs in; the controlled dataset now answers with records, and its reads open in igv.js.
        var page = await OpenAsync("/");
        await SignInAsync(page, Researcher);
        await page.GetByRole(AriaRole.Button, new() { Name = "Example: chr17:43045712 G>A (BRCA1)" }).ClickAsync();
        var controlledRow = page.Locator("#datasets tr[data-dataset='demo-controlled']");
        await Expect(controlledRow).ToContainTextAsync("granted");
        await Expect(controlledRow).ToContainTextAsync("record");
        await Expect(page.Locator(".record[data-dataset='demo-controlled'] table.records")).ToContainTextAsync("17:43045711:G:A");
        // igv.js asks the node's htsget API for a ticket with the researcher's token, then fetches the reads it names.
        var ticket = page.WaitForResponseAsync(r => r.Url.Contains("/htsget/reads/demo-controlled-reads?", StringComparison.Ordinal) && r.Url.Contains("referenceName=chr17", StringComparison.Ordinal));
        var streamed = new List<Task<byte[]>>();
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/htsget/data/", StringComparison.Ordinal) && response.Status == 200)
            {
                lock (streamed)
                {
                    streamed.Add(response.BodyAsync());
                }
            }
        };
        await page.GetByRole(AriaRole.Button, new() { Name = "Show reads of demo-controlled-reads" }).ClickAsync();
        Assert.Equal(200, (await ticket).Status);
        await Expect(page.Locator("#genome")).ToHaveAttributeAsync("data-loaded", "true", new() { Timeout = 30_000 });
        await page.WaitForTimeoutAsync(1000); // igv.js fetches and paints the reads after the browser is created
        Task<byte[]>[] bodies;
        lock (streamed)
        {
            bodies = [.. streamed];
        }

        // The header and the BGZF blocks of the region: tens of kilobytes of the demo BAM.
        Assert.True((await Task.WhenAll(bodies)).Sum(b => b.Length) > 10_000, $"{bodies.Length} data URLs fetched");
        await Expect(page.Locator("#igv canvas").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "researcher-granted-records-and-reads.png"), FullPage = true });

        // Signing out ends the broker's session too: the next sign-in asks for the password again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("#session")).ToContainTextAsync("Not signed in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#password")).ToBeVisibleAsync();
        Assert.Empty(consoleProblems);
    }

    [Fact]
    public async Task Network_toggle_asks_the_partners_and_shows_each_beacons_answer()
    {
        using var partnerData = new TemporaryDirectory("web-pages-partner");
        using var networkData = new TemporaryDirectory("web-pages-network");
        await using var partner = await ServingNode.StartAsync(partnerData.Path, new Dictionary<string, string> { ["Beacon__Id"] = "se.example.partner.beacon" });
        await using var networked = await ServingNode.StartAsync(networkData.Path, new Dictionary<string, string>
        {
            ["Federation__Partners__0__Id"] = "se",
            ["Federation__Partners__0__BaseUrl"] = new Uri(partner.BaseAddress, "/api").ToString(),
        });

        var page = await OpenAsync(new Uri(networked.BaseAddress, "/").ToString());
        await page.Locator("input[name='network']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Example: chr17:43045712 G>A (BRCA1)" }).ClickAsync();
        await Expect(page.Locator("#summary")).ToContainTextAsync("2 of 2 beacons answered");
        var partnerRow = page.Locator("#datasets tr[data-beacon='se.example.partner.beacon']");
        await Expect(partnerRow).ToContainTextAsync("partner se");
        await Expect(partnerRow).ToContainTextAsync("record");
        await Expect(page.Locator("#datasets thead")).ToContainTextAsync("Beacon");
        var partnerRecords = page.Locator(".record[data-beacon='se.example.partner.beacon']");
        await Expect(partnerRecords.Locator("table.records")).ToContainTextAsync("17:43045711:G:A");
        // The partner's "demo" is another node's dataset: its reads are not this node's to open.
        await Expect(partnerRecords.Locator("button")).ToHaveCountAsync(0);
        await Expect(page.Locator(".record[data-beacon='org.example.genome-node.beacon'] button")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "researcher-network-query.png"), FullPage = true });
        Assert.Empty(consoleProblems);
    }

    [Theory]
    [InlineData("no-such-client", "Web:ClientId 'no-such-client' is not a client in Broker:Clients")]
    [InlineData("demo-cli", "Web:ClientId 'demo-cli' must be a public client (Type public): a page cannot keep a secret")]
    public async Task A_pages_client_that_is_not_a_public_code_flow_client_stops_the_node(string clientId, string expected)
    {
        using var elsewhere = new TemporaryDirectory("web-pages-settings");
        var result = await GenomeNodeProcess.RunAsync(
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Demo" },
            "serve", "--data", elsewhere.Path, "--urls", "http://127.0.0.1:0", $"--Web:ClientId={clientId}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_load_only_the_nodes_own_scripts_under_a_policy_that_forbids_inline_script()
    {
        using var client = new HttpClient { BaseAddress = origin };
        foreach (var path in new[] { "/", "/dac" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        }

        // igv.js is the npm package Node.Host/Web/package-lock.json pins, byte for byte.
        using var igv = await client.GetAsync("/web/vendor/igv.esm.min.js");
        Assert.Equal(HttpStatusCode.OK, igv.StatusCode);
        var vendored = Path.Combine(HostEndpointsTests.RepositoryRoot(), "Node.Host", "Web", "node_modules", "igv", "dist", "igv.esm.min.js");
        Assert.Equal(await File.ReadAllBytesAsync(vendored), await igv.Content.ReadAsByteArrayAsync());
        var etag = igv.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/web/vendor/igv.esm.min.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var missing = await client.GetAsync("/web/../appsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var headRequest = new HttpRequestMessage(HttpMethod.Head, "/");
        using var head = await client.SendAsync(headRequest);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html; charset=utf-8", head.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Access_summary_never_names_a_hidden_dataset_to_an_anonymous_caller()
    {
        await using var factory = new NodeFactory();
        await PreparedData.AddDatasetsAsync(factory.Data.Path,
            new GenomeNode.Passport.Datasets.NewDataset("open", "Open variants", GenomeNode.Passport.Datasets.AccessTier.Public),
            new GenomeNode.Passport.Datasets.NewDataset("hidden", "Hidden controlled variants", GenomeNode.Passport.Datasets.AccessTier.Controlled, VisaValue: "urn:test:hidden"));
        factory.Settings["Beacon:Datasets:hidden:MaxGranularity"] = "none";
        using var client = factory.CreateClient();

        var json = await client.GetStringAsync(new Uri("/web/api/access", UriKind.Relative));

        Assert.DoesNotContain("hidden", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"id\":\"open\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_pages_the_root_leads_to_the_api_reference_and_the_console_is_not_there()
    {
        await using var factory = new NodeFactory();
        factory.Settings["Web:Enabled"] = "false";
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/docs", root.Headers.Location!.ToString());
        using var console = await client.GetAsync("/dac");
        Assert.Equal(HttpStatusCode.NotFound, console.StatusCode);
        using var script = await client.GetAsync("/web/researcher.js");
        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
    }

    [Fact]
    public async Task Access_summary_names_granted_files_only_and_refuses_a_forged_token()
    {
        using var client = new HttpClient { BaseAddress = origin };
        var anonymous = JsonNode.Parse(await client.GetStringAsync("/web/api/access"))!;
        var controlled = anonymous["datasets"]!.AsArray().Single(d => (string)d!["id"]! == "demo-controlled")!;
        Assert.False((bool)controlled["granted"]!);
        Assert.Empty(controlled["reads"]!.AsArray());

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/web/api/access");
        forged.Headers.Authorization = new("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJkZW1vLXJlc2VhcmNoZXIifQ.");
        using var refused = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("unauthorized", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<IPage> OpenAsync(string path)
    {
        var address = path.StartsWith("http", StringComparison.Ordinal) ? new Uri(path) : new Uri(origin, path);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // The browser logs each HTTP error answer (a refused query is one); the pages show those themselves. igv.js
            // logs that the reference has no bases: the page gives it chromosome sizes only, so reads show without mismatches.
            if (message.Type == "error"
                && !message.Text.StartsWith("Failed to load resource: the server responded with a status of", StringComparison.Ordinal)
                && !message.Text.StartsWith("No sequence for: chr", StringComparison.Ordinal))
            {
                lock (consoleProblems)
                {
                    consoleProblems.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (consoleProblems)
            {
                consoleProblems.Add($"{page.Url}: {error}");
            }
        };
        await page.GotoAsync(address.ToString());
        await Expect(page.Locator("body[data-ready='true']")).ToBeAttachedAsync();
        return page;
    }

    /// <summary>Signs in at the broker's form (the demo accounts' password is the user id + "-password") and returns to the page.</summary>
    private static async Task SignInAsync(IPage page, string user)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync($"{user}-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#session")).ToContainTextAsync("Signed in as");
        await Expect(page.Locator("body[data-ready='true']")).ToBeAttachedAsync();
    }

    /// <summary>The researcher's request for the controlled demo, filed through the REMS API as the GDI portal files it.</summary>
    private async Task<long> FileRequestAsync()
    {
        using var client = new HttpClient { BaseAddress = origin };
        client.DefaultRequestHeaders.Add("x-rems-api-key", "demo-access-management-service-key");
        client.DefaultRequestHeaders.Add("x-rems-user-id", Researcher);
        var items = JsonNode.Parse(await client.GetStringAsync("/rems/api/catalogue-items?resource=demo-controlled"))!.AsArray();
        var created = await PostAsync(client, "/rems/api/applications/create", new JsonObject { ["catalogue-item-ids"] = new JsonArray((long)items[0]!["id"]!) });
        var id = (long)created["application-id"]!;
        await PostAsync(client, "/rems/api/applications/save-draft", new JsonObject
        {
            ["application-id"] = id,
            ["field-values"] = new JsonArray(
                new JsonObject { ["form"] = 1, ["field"] = "title", ["value"] = "BRCA1 penetrance in Finland" },
                new JsonObject { ["form"] = 1, ["field"] = "description", ["value"] = "Carriers of BRCA1 missense variants" },
                new JsonObject { ["form"] = 1, ["field"] = "purpose", ["value"] = "DUO:0000006" }),
        });
        await PostAsync(client, "/rems/api/applications/accept-licenses", new JsonObject { ["application-id"] = id, ["accepted-licenses"] = new JsonArray(1) });
        await PostAsync(client, "/rems/api/applications/submit", new JsonObject { ["application-id"] = id });
        return id;
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, JsonObject body)
    {
        using var response = await client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((bool?)answer["success"] == true, $"{path}: {answer}");
        return answer;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await node.DisposeAsync();
    }

    public void Dispose() => data.Dispose();
}
