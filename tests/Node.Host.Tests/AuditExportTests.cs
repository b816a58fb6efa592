using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Htsget.Data;
using GenomeNode.Tests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// A real <c>genome-node serve</c> process that trusts a test broker, asked a known sequence of requests: Beacon
/// g_variants anonymously and with a passport, htsget tickets (GET with a passport, POST, one for an unknown reference,
/// one with a refused token), a data URL fetch with a Range, and a Beacon request with a refused token.
/// </summary>
public sealed class AuditedNodeFixture : IAsyncLifetime, IDisposable
{
    public const string Subject = "dpo-test-researcher@lifescience-ri.eu";

    private readonly TemporaryDirectory data = new("genome-node-audit");
    private WireMockServer trust = null!;

    public ServingNode Node { get; private set; } = null!;

    public string Data => data.Path;

    public TestTokenIssuer Broker { get; private set; } = null!;

    /// <summary>Just before the first request: every row of the export is after it.</summary>
    public DateTimeOffset Start { get; private set; }

    /// <summary>The requests made, in order, with what each should have left in the audit.</summary>
    public List<MadeRequest> Made { get; } = [];

    public async Task InitializeAsync()
    {
        trust = WireMockServer.Start();
        Broker = new TestTokenIssuer($"{trust.Url}/broker", $"{trust.Url}/broker/jwks");
        trust.Given(Request.Create().WithPath("/broker/jwks").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Broker.Jwks()));
        Node = await ServingNode.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["Passport__AllowLoopbackHttp"] = "true",
            ["Passport__TrustedBrokers__0__Issuer"] = Broker.Issuer,
            ["Passport__TrustedBrokers__0__JwksUri"] = Broker.JwksUrl,
        });
        using var http = new HttpClient { BaseAddress = Node.BaseAddress };
        await AuditExportTests.WaitUntilHealthyAsync(http);

        var passport = Broker.Passport(Subject, []);
        Start = DateTimeOffset.UtcNow;
        const string variant = "/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A";
        await MakeAsync(http, HttpMethod.Get, variant, null, null, new MadeRequest("beacon:g_variants", "demo", true, null, null, null));
        await MakeAsync(http, HttpMethod.Get, variant + "&requestedGranularity=count", passport, null,
            new MadeRequest("beacon:g_variants", "demo", true, Subject, null, null));
        var ticket = await MakeAsync(http, HttpMethod.Get, "/htsget/reads/demo-reads?referenceName=chr17&start=43044000&end=43126000&fields=QNAME,FLAG",
            passport, null, new MadeRequest("htsget:reads/demo-reads", "demo", true, Subject,
                """{"fields":["QNAME","FLAG"],"regions":[{"referenceName":"chr17","start":43044000,"end":43126000}]}""", "ticket"));
        var dataUrl = JsonNode.Parse(ticket)!["htsget"]!["urls"]!.AsArray().Select(url => url!["url"]!.GetValue<string>())
            .Last(url => url.StartsWith("http", StringComparison.Ordinal));
        Assert.True(DataToken.TryParse(new Uri(dataUrl).Segments[^1], out var token));
        await MakeAsync(http, HttpMethod.Get, new Uri(dataUrl).PathAndQuery, null, null,
            new MadeRequest("htsget:data/demo-reads", "demo", true, null,
                $$"""{"bytes":"{{token.Range.Offset}}-{{token.Range.End - 1}}","range":"bytes=0-9"}""", "stream"), range: (0, 9));
        await MakeAsync(http, HttpMethod.Post, "/htsget/variants/demo-variants", null,
            """{"format":"VCF","regions":[{"referenceName":"chr17","start":43044000,"end":43126000},{"referenceName":"chr22"}]}""",
            new MadeRequest("htsget:variants/demo-variants", "demo", true, null,
                """{"format":"VCF","regions":[{"referenceName":"chr17","start":43044000,"end":43126000},{"referenceName":"chr22"}]}""", "ticket"));
        await MakeAsync(http, HttpMethod.Get, "/htsget/reads/demo-reads?referenceName=no-such-chromosome", null, null,
            new MadeRequest("htsget:reads/demo-reads", "demo", true, null, """{"regions":[{"referenceName":"no-such-chromosome"}]}""", "error"));
        await MakeAsync(http, HttpMethod.Get, "/htsget/reads/demo-reads?class=header", "not-a-token", null,
            new MadeRequest("htsget:reads/demo-reads", "demo", false, null, """{"class":"header"}""", "error"));
        await MakeAsync(http, HttpMethod.Get, variant, "not-a-token", null, new MadeRequest("beacon:g_variants", "*", false, null, null, null));
    }

    private async Task<string> MakeAsync(
        HttpClient http, HttpMethod method, string path, string? token, string? body, MadeRequest expected, (long From, long To)? range = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (range is { } bytes)
        {
            request.Headers.Range = new RangeHeaderValue(bytes.From, bytes.To);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Headers.TryGetValues("X-Request-Id", out var ids), $"{path}: no X-Request-Id ({(int)response.StatusCode})");
        Made.Add(expected with { RequestId = Assert.Single(ids), Status = response.StatusCode });
        return text;
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        trust.Stop();
        trust.Dispose();
    }

    public void Dispose()
    {
        Broker.Dispose();
        data.Dispose();
    }
}

/// <summary>A request of <see cref="AuditedNodeFixture"/> and the audit row it should have left.</summary>
public sealed record MadeRequest(string Resource, string Dataset, bool Allowed, string? Subject, string? Query, string? Returned)
{
    public string RequestId { get; init; } = "";

    public HttpStatusCode Status { get; init; }
}

/// <summary>
/// Issue 17, acceptance 3: <c>genome-node audit export</c> gives back, in order, exactly the requests made to a serving
/// node (CSV and JSON Lines alike), <c>audit summary</c> counts them per identity and dataset, and bad arguments get
/// one clear line and a non-zero exit.
/// </summary>
public sealed class AuditExportTests(AuditedNodeFixture node) : IClassFixture<AuditedNodeFixture>
{
    private static readonly string[] Columns =
    [
        "seq", "decided_at", "request_id", "subject", "issuer", "client_address", "resource", "dataset_id", "allowed", "access",
        "reason", "ticket", "query", "returned", "adjustments", "cost",
    ];

    [Fact]
    public async Task Export_as_json_lines_gives_the_requests_made_in_order_with_nothing_missing()
    {
        var rows = await ExportAsync("jsonl");

        Assert.Equal(node.Made.Select(made => made.RequestId), rows.Select(row => row["request_id"]));
        Assert.All(node.Made.Zip(rows), pair =>
        {
            var (made, row) = pair;
            var issuer = made.Subject is null ? null : node.Broker.Issuer;
            Assert.Equal(
                (made.Resource, made.Dataset, made.Allowed ? "true" : "false", made.Subject, issuer, "127.0.0.1"),
                (row["resource"], row["dataset_id"], row["allowed"], row["subject"], row["issuer"], row["client_address"]));
            if (made.Resource.StartsWith("htsget:", StringComparison.Ordinal))
            {
                Assert.Equal((made.Query, made.Returned), (row["query"], row["returned"]));
            }

            var decided = DateTimeOffset.Parse(row["decided_at"]!, CultureInfo.InvariantCulture);
            Assert.InRange(decided, node.Start, DateTimeOffset.UtcNow);
            Assert.EndsWith("Z", row["decided_at"], StringComparison.Ordinal);
        });
        // Numbered in the order appended, without gaps; the data URL's fetch names its ticket.
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(seq => seq.ToString(CultureInfo.InvariantCulture)), rows.Select(row => row["seq"]));
        Assert.Equal(rows[2]["ticket"], rows[3]["ticket"]);
        Assert.NotNull(rows[2]["ticket"]);
        Assert.Equal(HttpStatusCode.PartialContent, node.Made[3].Status);
        Assert.Equal(HttpStatusCode.NotFound, node.Made[5].Status);
        Assert.Equal(HttpStatusCode.Unauthorized, node.Made[7].Status);
    }

    [Fact]
    public async Task Export_as_csv_has_a_header_and_the_same_rows_as_json_lines()
    {
        var result = await CliAsync("audit", "export", "--since", Time(node.Start), "--format", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        var records = ParseCsv(result.Output);
        Assert.Equal(Columns, records[0]);
        var jsonl = await ExportAsync("jsonl");
        Assert.Equal(jsonl.Count, records.Count - 1);
        foreach (var (record, row) in records.Skip(1).Zip(jsonl))
        {
            // A NULL is an empty field; every text here is non-empty.
            Assert.Equal(Columns.Select(column => row[column] ?? ""), record);
        }

        // RFC 4180: a field with quotes (the htsget query's JSON) is quoted with its quotes doubled, lines end with CRLF.
        Assert.Contains("\"{\"\"fields\"\":[\"\"QNAME\"\",\"\"FLAG\"\"],", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Output.Replace("\r\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Until_is_exclusive_and_since_inclusive()
    {
        var all = await ExportAsync("jsonl");
        var third = all[2]["decided_at"]!;
        var fifth = all[4]["decided_at"]!;

        var result = await CliAsync("audit", "export", "--since", third, "--until", fifth, "--format", "jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([all[2]["request_id"], all[3]["request_id"]], ParseJsonLines(result.Output).Select(row => row["request_id"]));
    }

    [Fact]
    public async Task Summary_counts_requests_per_identity_and_dataset_with_data_fetches_under_their_tickets_holder()
    {
        var result = await CliAsync("audit", "summary", "--since", Time(node.Start), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = JsonNode.Parse(result.Output)!.AsArray().Select(row => (
            Subject: row!["subject"]?.GetValue<string>(), Issuer: row["issuer"]?.GetValue<string>(), Client: row["client"]?.GetValue<string>(),
            Dataset: row["dataset"]!.GetValue<string>(), Queries: row["queries"]!.GetValue<long>(), Allowed: row["allowed"]!.GetValue<long>(),
            Refused: row["refused"]!.GetValue<long>(), Budget: row["budgetUsed"]!.GetValue<double>())).ToList();
        Assert.Equal(
            [
                (AuditedNodeFixture.Subject, node.Broker.Issuer, null, "demo", 3, 3, 0, 0.0),
                (null, null, "127.0.0.1", "*", 1, 0, 1, 0.0),
                (null, null, "127.0.0.1", "demo", 4, 3, 1, 0.0),
            ],
            rows.Select(row => ((string?)row.Subject, (string?)row.Issuer, (string?)row.Client, row.Dataset, (int)row.Queries, (int)row.Allowed, (int)row.Refused, row.Budget)));

        var table = await CliAsync("audit", "summary", "--since", Time(node.Start));
        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Output.Split('\n');
        Assert.Equal(["IDENTITY", "DATASET", "QUERIES", "ALLOWED", "REFUSED", "BUDGET", "USED"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([AuditedNodeFixture.Subject, $"({node.Broker.Issuer})", "demo", "3", "3", "0", "0"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(2, "error: Option '--since' is required.", "audit", "export")]
    [InlineData(2, "error: --since: 'yesterday' is not an ISO 8601 time;", "audit", "export", "--since", "yesterday")]
    [InlineData(2, "error: --since: '2026-13-01' is not an ISO 8601 time;", "audit", "export", "--since", "2026-13-01")]
    [InlineData(2, "error: --until: '12/01/2026' is not an ISO 8601 time;", "audit", "summary", "--until", "12/01/2026")]
    [InlineData(2, "error: --until (2026-01-01T00:00:00.000000Z) must be later than --since (2026-01-02T00:00:00.000000Z)", "audit", "export", "--since", "2026-01-02", "--until", "2026-01-01")]
    [InlineData(2, "error: --until (2026-01-01T08:00:00.000000Z) must be later than --since (2026-01-01T08:00:00.000000Z)", "audit", "summary", "--since", "2026-01-01T10:00:00+02:00", "--until", "2026-01-01T08:00Z")]
    [InlineData(2, "error: Argument 'xml' not recognized. Must be one of: 'csv' 'jsonl'", "audit", "export", "--since", "2026-01-01", "--format", "xml")]
    public async Task Bad_arguments_get_one_clear_line_and_a_usage_exit_code(int exitCode, string message, params string[] args)
    {
        var result = await GenomeNodeProcess.RunAsync([.. args, "--data", node.Data]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith(message, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n'));
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("export", "--since", "2026-01-01")]
    [InlineData("summary")]
    public async Task A_directory_without_a_node_is_refused_and_left_empty(params string[] args)
    {
        using var empty = new TemporaryDirectory("genome-node-audit-none");

        var result = await GenomeNodeProcess.RunAsync(["audit", .. args, "--data", empty.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: no node at {empty.Path} (no node.duckdb): check --data or $GENOMENODE_DATA; nothing was created", result.Error);
        Assert.Empty(result.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty.Path));
    }

    internal static async Task WaitUntilHealthyAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
            if (health.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the node did not become healthy within 30 s");
    }

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Each line an object; every value as the text a CSV field would hold (null stays null).</summary>
    internal static List<Dictionary<string, string?>> ParseJsonLines(string text) =>
    [
        .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var row = JsonDocument.Parse(line);
            return row.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => property.Value.GetString(),
                _ => property.Value.GetRawText(),
            });
        }),
    ];

    /// <summary>RFC 4180 records, ended by CRLF as the export writes them.</summary>
    internal static List<string[]> ParseCsv(string text) => Rfc4180.Parse(text, crlfOnly: true);

    private async Task<List<Dictionary<string, string?>>> ExportAsync(string format)
    {
        var result = await CliAsync("audit", "export", "--since", Time(node.Start), "--format", format);
        Assert.True(result.ExitCode == 0, result.ToString());
        return ParseJsonLines(result.Output);
    }

    private Task<CliResult> CliAsync(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", node.Data]);
}
