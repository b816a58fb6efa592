using System.Globalization;
using System.Net;
using System.Text.Json;
using GenomeNode.Host.Hosting;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// <c>/metrics</c> on the real <c>genome-node serve</c> (a real Kestrel on 127.0.0.1): off until configured, then only
/// for the callers the operator allows, and counting exactly what clients asked.
/// </summary>
public sealed class MetricsTests
{
    private static readonly Dictionary<string, string> Enabled = new() { ["Telemetry__Prometheus__Enabled"] = "true" };

    [Fact]
    public async Task Scraped_counters_move_by_exactly_the_beacon_queries_and_htsget_tickets_clients_made()
    {
        using var data = new TemporaryDirectory("genome-node-metrics");
        await using var node = await ServingNode.StartAsync(data.Path, Enabled);
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        var before = Parse(await ScrapeAsync(client));

        const int answered = 4;
        const int badRequests = 2;
        const int tickets = 3;
        for (var i = 0; i < answered; i++)
        {
            var response = await client.GetAsync(new Uri($"/api/g_variants?referenceName=17&start={i}&end=100000000&variantType=SNP", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        for (var i = 0; i < badRequests; i++)
        {
            var response = await client.GetAsync(new Uri("/api/g_variants?referenceName=17", UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        JsonElement ticket = default;
        for (var i = 0; i < tickets; i++)
        {
            using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/htsget/reads/demo-reads", UriKind.Relative)));
            ticket = document.RootElement.Clone();
        }

        var unknown = await client.GetAsync(new Uri("/htsget/reads/no-such-object", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // The last ticket's file parts, fetched as a client does: the bytes received are the bytes counted.
        long received = 0;
        var fetched = 0;
        foreach (var url in ticket.GetProperty("htsget").GetProperty("urls").EnumerateArray().Select(part => part.GetProperty("url").GetString()!))
        {
            if (url.StartsWith("http", StringComparison.Ordinal))
            {
                received += (await client.GetByteArrayAsync(new Uri(url))).Length;
                fetched++;
            }
        }

        var after = Parse(await ScrapeAsync(client));

        Assert.Equal(answered, Delta(before, after, "genome_node_beacon_queries_total", ("endpoint", "g_variants"), ("decision", "answered"), ("granularity", "boolean")));
        Assert.Equal(badRequests, Delta(before, after, "genome_node_beacon_queries_total", ("endpoint", "g_variants"), ("decision", "bad_request"), ("granularity", "none")));
        Assert.Equal(answered + badRequests, Delta(before, after, "genome_node_beacon_queries_total"));
        Assert.Equal(tickets, Delta(before, after, "genome_node_htsget_tickets_total", ("kind", "reads"), ("outcome", "issued")));
        Assert.Equal(1, Delta(before, after, "genome_node_htsget_tickets_total", ("kind", "reads"), ("outcome", "NotFound")));
        Assert.Equal(tickets + 1, Delta(before, after, "genome_node_htsget_tickets_total"));
        Assert.True(fetched > 0);
        Assert.Equal(fetched, Delta(before, after, "genome_node_htsget_data_fetches_total", ("outcome", "admitted")));
        Assert.True(received > 0);
        Assert.Equal(received, Delta(before, after, "genome_node_htsget_streamed_bytes_total"));
        // The audit's backlog is exposed (its value is whatever the writer has not yet made durable).
        Assert.Contains(after.Keys, key => key.StartsWith("genome_node_audit_backlog{", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ingest_into_a_serving_node_is_counted_in_records_and_rate()
    {
        using var data = new TemporaryDirectory("genome-node-metrics-ingest");
        await using var node = await ServingNode.StartAsync(data.Path, Enabled);
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        var before = Parse(await ScrapeAsync(client));
        var vcf = Path.Combine(AppContext.BaseDirectory, "demo", "demo.vcf.gz");
        var added = await GenomeNodeProcess.RunAsync("dataset", "add", "--data", data.Path, "--id", "counted", "--name", "Counted", "--tier", "public");
        Assert.True(added.ExitCode == 0, added.ToString());
        var ingested = await GenomeNodeProcess.RunAsync("ingest", "vcf", "--data", data.Path, "--dataset", "counted", vcf);
        Assert.True(ingested.ExitCode == 0, ingested.ToString());
        var records = long.Parse(System.Text.RegularExpressions.Regex.Match(ingested.Output, @"(\d+) records").Groups[1].Value, CultureInfo.InvariantCulture);

        var after = Parse(await ScrapeAsync(client));

        Assert.True(records > 0);
        Assert.Equal(records, Delta(before, after, "genome_node_ingest_records_total", ("format", "vcf")));
        Assert.Equal(1, Delta(before, after, "genome_node_ingest_rate_per_second_count", ("format", "vcf")));
    }

    [Fact]
    public async Task Without_configuration_there_is_no_metrics_endpoint()
    {
        using var data = new TemporaryDirectory("genome-node-metrics-off");
        await using var node = await ServingNode.StartAsync(data.Path);
        using var client = new HttpClient { BaseAddress = node.BaseAddress };

        var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("genome_node", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callers_outside_the_allowed_networks_and_forwarded_requests_get_the_404_of_an_unknown_path()
    {
        await using var outside = new NodeFactory();
        outside.Settings["Telemetry:Prometheus:Enabled"] = "true";
        outside.Settings["Telemetry:Prometheus:AllowedNetworks:0"] = "10.0.0.0/8";
        outside.UseKestrel(0);
        outside.StartServer();
        using var outsideClient = outside.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await outsideClient.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);

        await using var loopback = new NodeFactory();
        loopback.Settings["Telemetry:Prometheus:Enabled"] = "true";
        loopback.UseKestrel(0);
        loopback.StartServer();
        using var client = loopback.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        // A local reverse proxy that the node was not told to trust forwards anyone's request from loopback.
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(forwarded)).StatusCode);
    }

    [Fact]
    public async Task With_a_port_of_its_own_the_endpoint_answers_only_there()
    {
        await using var factory = new NodeFactory();
        factory.Settings["Telemetry:Prometheus:Enabled"] = "true";
        // Port 1 is never the port the test server listens on.
        factory.Settings["Telemetry:Prometheus:Port"] = "1";
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public void Node_meters_are_registered_by_a_wildcard_that_includes_federation()
    {
        Assert.Equal("GenomeNode.*", NodeTelemetry.MeterWildcard);
        Assert.StartsWith(NodeTelemetry.MeterWildcard.TrimEnd('*'), NodeTelemetry.FederationMeter, StringComparison.Ordinal);
        Assert.StartsWith(NodeTelemetry.MeterWildcard.TrimEnd('*'), GenomeNode.Beacon.Api.BeaconMetrics.MeterName, StringComparison.Ordinal);
        Assert.StartsWith(NodeTelemetry.MeterWildcard.TrimEnd('*'), GenomeNode.Htsget.Api.HtsgetMetrics.MeterName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_node_pushes_its_metrics_and_the_trace_of_each_request()
    {
        using var collector = WireMock.Server.WireMockServer.Start();
        collector.Given(WireMock.RequestBuilders.Request.Create().UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-protobuf"));
        using var data = new TemporaryDirectory("genome-node-otlp");
        await using var node = await ServingNode.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url!,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/g_variants?referenceName=17&start=0&end=100000000&variantType=SNP", UriKind.Relative));
        request.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);

        // OTLP/HTTP protobuf: strings travel as UTF-8, trace ids as their 16 bytes.
        var traceBytes = Convert.FromHexString(traceId);
        bool Received(string path, Func<byte[], bool> holds) => collector.LogEntries.Any(entry =>
            entry.RequestMessage.Path == path && entry.RequestMessage.BodyAsBytes is { } body && holds(body));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline
               && !(Received("/v1/traces", body => body.AsSpan().IndexOf(traceBytes) >= 0)
                    && Received("/v1/metrics", body => body.AsSpan().IndexOf("genome_node.beacon.queries"u8) >= 0)))
        {
            await Task.Delay(200);
        }

        Assert.True(Received("/v1/traces", body => body.AsSpan().IndexOf(traceBytes) >= 0 && body.AsSpan().IndexOf("genome-node"u8) >= 0),
            "no span of the request reached the collector");
        Assert.True(Received("/v1/metrics", body => body.AsSpan().IndexOf("genome_node.beacon.queries"u8) >= 0),
            "the node's Beacon counter never reached the collector");
        // Without Telemetry:Prometheus:Enabled there is still no scrape endpoint.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Json_logs_carry_the_trace_id_of_the_request_they_were_written_in()
    {
        using var data = new TemporaryDirectory("genome-node-json-logs");
        await using var node = await ServingNode.StartAsync(data.Path, new Dictionary<string, string> { ["Node__LogFormat"] = "json" });
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/htsget/reads/demo-reads", UriKind.Relative));
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Lines the node writes while answering (the ticket snapshot read, the ticket) carry the request's scopes.
        List<JsonElement> lines = [];
        for (var attempt = 0; attempt < 50 && lines.Count == 0; attempt++)
        {
            lines = [.. node.Log.Split('\n').Where(text => text.StartsWith('{')).Select(text => JsonDocument.Parse(text).RootElement)
                .Where(json => json.TryGetProperty("Scopes", out var scopes) && scopes.EnumerateArray().Any(scope =>
                    scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("RequestPath", out var path)
                    && path.GetString() == "/htsget/reads/demo-reads"))];
            if (lines.Count == 0)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(lines.Count > 0, node.Log);
        Assert.All(lines, line => Assert.Contains(line.GetProperty("Scopes").EnumerateArray(), scope =>
            scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId));
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        return text;
    }

    /// <summary>Samples of the Prometheus text format: <c>name{labels}</c> to value.</summary>
    private static Dictionary<string, double> Parse(string exposition)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var split = line.LastIndexOf(' ');
            var key = line[..split];
            // A sample may carry a timestamp after its value.
            var rest = key.LastIndexOf('}') is var brace and >= 0 && brace < key.Length - 1 ? key[..(brace + 1)] : key;
            var valueText = line[(rest.Length + 1)..].Split(' ')[0];
            samples[rest] = double.Parse(valueText, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    /// <summary>How much the samples of <paramref name="name"/> with all of <paramref name="labels"/> grew, summed.</summary>
    private static long Delta(Dictionary<string, double> before, Dictionary<string, double> after, string name, params (string Name, string Value)[] labels)
    {
        double Sum(Dictionary<string, double> samples) => samples
            .Where(sample => (sample.Key == name || sample.Key.StartsWith(name + "{", StringComparison.Ordinal))
                && labels.All(label => sample.Key.Contains($"{label.Name}=\"{label.Value}\"", StringComparison.Ordinal)))
            .Sum(sample => sample.Value);
        return (long)(Sum(after) - Sum(before));
    }
}
