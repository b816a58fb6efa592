using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Issue 17, acceptance 3: what was answered was recorded. A node killed (SIGKILL) in the middle of a burst of Beacon
/// queries has every answered query in its audit, each request's rows all there or none, numbered without gaps; a
/// restarted node goes on numbering after them, and removing the dataset keeps its audit rows.
/// </summary>
public sealed class AuditCrashTests : IDisposable
{
    private const int Requests = 200;
    private const int Connections = 16;

    private readonly TemporaryDirectory data = new("genome-node-audit-crash");

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task Every_answered_query_is_in_the_audit_after_the_node_is_killed_in_the_middle_of_a_burst()
    {
        var start = DateTimeOffset.UtcNow;
        var node = await ServingNode.StartAsync(data.Path);
        var answered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections };
            using var http = new HttpClient(handler) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await AuditExportTests.WaitUntilHealthyAsync(http);

            var killAfter = Requests / 4;
            var killed = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = Connections }, async (i, cancellationToken) =>
            {
                // A distinct range per request; the answer's X-Request-Id names its audit rows.
                var begin = 43_000_000 + (i * 1_000);
                try
                {
                    using var response = await http.GetAsync(new Uri(
                        string.Create(CultureInfo.InvariantCulture, $"/api/g_variants?referenceName=17&start={begin}&end={begin + 50_000}&requestedGranularity=count"),
                        UriKind.Relative), cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        answered[Assert.Single(response.Headers.GetValues("X-Request-Id"))] = i;
                    }
                }
                catch (HttpRequestException)
                {
                    return; // in flight when the node died: not answered
                }
                catch (TaskCanceledException)
                {
                    return;
                }

                if (answered.Count >= killAfter && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    await node.KillAsync();
                }
            });
            Assert.Equal(1, killed);
        }
        finally
        {
            await node.DisposeAsync();
        }

        Assert.InRange(answered.Count, Requests / 4, Requests - 1);

        // The killed node's database, as a command opens it without a node: its write-ahead log replayed.
        var rows = await ExportAsync(start);
        var recorded = rows.GroupBy(row => row["request_id"]!).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var missing = answered.Keys.Where(id => !recorded.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered requests are not in the audit");
        // One dataset, so one row per request: a request is there whole or not at all.
        Assert.All(recorded, request => Assert.Equal(1, request.Value));
        Assert.All(rows, row => Assert.Equal(("beacon:g_variants", "demo", "true"), (row["resource"], row["dataset_id"], row["allowed"])));
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(seq => seq.ToString(CultureInfo.InvariantCulture)), rows.Select(row => row["seq"]));

        // Restarted, the node numbers its next rows after the last durable one.
        await using var restarted = await ServingNode.StartAsync(data.Path);
        using (var http = new HttpClient { BaseAddress = restarted.BaseAddress })
        {
            await AuditExportTests.WaitUntilHealthyAsync(http);
            using var after = await http.GetAsync(new Uri("/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            var again = await ExportAsync(start);
            Assert.Equal(rows.Count + 1, again.Count);
            Assert.Equal(
                ((rows.Count + 1).ToString(CultureInfo.InvariantCulture), Assert.Single(after.Headers.GetValues("X-Request-Id"))),
                (again[^1]["seq"], again[^1]["request_id"]));
        }

        // The audit is append-only: removing the dataset keeps every row of it.
        var removed = await GenomeNodeProcess.RunAsync("dataset", "remove", "--id", "demo", "--data", data.Path);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(rows.Count + 1, (await ExportAsync(start)).Count(row => row["dataset_id"] == "demo"));
    }

    private async Task<List<Dictionary<string, string?>>> ExportAsync(DateTimeOffset since)
    {
        var result = await GenomeNodeProcess.RunAsync("audit", "export", "--since", AuditExportTests.Time(since), "--format", "jsonl", "--data", data.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        return AuditExportTests.ParseJsonLines(result.Output);
    }
}
