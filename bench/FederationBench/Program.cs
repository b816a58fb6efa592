using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// bench/federation.sh drives this program in two modes:
//   partners COUNT DELAY_MS PORTS_FILE   Beacon partners on loopback, each answering queries after DELAY_MS; their base
//                                        URLs are written to PORTS_FILE, one a line; runs until killed
//   measure URL PID REQUESTS CONCURRENCY GET URL REQUESTS times (CONCURRENCY at once, after a warm-up) and prints
//                                        p50 and p99 latency (ms), requests/s, and the CPU time process PID spent per request
var mode = args.ElementAtOrDefault(0);
if (mode == "partners" && args.Length == 4)
{
    var count = int.Parse(args[1], CultureInfo.InvariantCulture);
    var delay = TimeSpan.FromMilliseconds(int.Parse(args[2], CultureInfo.InvariantCulture));
    var apps = new List<WebApplication>();
    for (var i = 0; i < count; i++)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var id = $"org.bench.partner-{i}";
        app.MapGet("/api/info", () => Results.Text(
            $$$"""{"meta":{"beaconId":"{{{id}}}","apiVersion":"v2.1.1","returnedSchemas":[]},"response":{"id":"{{{id}}}","name":"{{{id}}}","apiVersion":"v2.1.1","environment":"test","organization":{"id":"bench","name":"bench"} } }""",
            "application/json"));
        app.MapGet("/api/map", () => Results.Text(
            $$$"""{"meta":{"beaconId":"{{{id}}}","apiVersion":"v2.1.1","returnedSchemas":[]},"response":{"endpointSets":{"genomicVariant":{"entryType":"genomicVariant","rootUrl":"http://x/api/g_variants"} } } }""",
            "application/json"));
        app.MapGet("/api/filtering_terms", () => Results.Text(
            $$$"""{"meta":{"beaconId":"{{{id}}}","apiVersion":"v2.1.1","returnedSchemas":[]},"response":{"filteringTerms":[]}}""", "application/json"));
        app.MapGet("/api/g_variants", async () =>
        {
            await Task.Delay(delay);
            return Results.Text(
                $$$"""{"meta":{"beaconId":"{{{id}}}","apiVersion":"v2.1.1","returnedGranularity":"count","returnedSchemas":[],"receivedRequestSummary":{"apiVersion":"v2.1.1","requestedSchemas":[],"pagination":{"skip":0,"limit":10},"requestedGranularity":"count"}},"responseSummary":{"exists":true,"numTotalResults":3}}""",
                "application/json");
        });
        await app.StartAsync();
        apps.Add(app);
    }

    await File.WriteAllLinesAsync(args[3], apps.Select(app => app.Urls.First() + "/api"));
    // Until SIGTERM (each host's console lifetime stops it).
    await Task.WhenAll(apps.Select(app => app.WaitForShutdownAsync()));
}
else if (mode == "measure" && args.Length == 5)
{
    var url = new Uri(args[1]);
    var pid = int.Parse(args[2], CultureInfo.InvariantCulture);
    var requests = int.Parse(args[3], CultureInfo.InvariantCulture);
    var concurrency = int.Parse(args[4], CultureInfo.InvariantCulture);
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
    for (var i = 0; i < 20; i++)
    {
        using var warm = await client.GetAsync(url);
        warm.EnsureSuccessStatusCode();
    }

    var latencies = new double[requests];
    var next = -1;
    var cpuBefore = CpuSeconds(pid);
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < requests)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || body.Contains("\"failed\":", StringComparison.Ordinal) && !body.Contains("\"failed\":0", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]}");
            }

            latencies[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }));
    wall.Stop();
    var cpu = CpuSeconds(pid) - cpuBefore;
    Array.Sort(latencies);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"p50_ms={latencies[requests / 2]:0.00} p99_ms={latencies[(int)(requests * 0.99)]:0.00} rps={requests / wall.Elapsed.TotalSeconds:0.0} cpu_ms_per_request={cpu * 1000 / requests:0.000}"));
}
else
{
    Console.Error.WriteLine("usage: FederationBench partners COUNT DELAY_MS PORTS_FILE | measure URL PID REQUESTS CONCURRENCY");
    return 2;
}

return 0;

// utime + stime of a process, in seconds (Linux /proc; clock ticks of 100 Hz).
static double CpuSeconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}
