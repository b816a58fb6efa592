using GenomeNode.Passport.Access;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Issue 14, finding 7: an audit that cannot record does not keep answering silently. Once the audit table cannot be
/// written, requests are refused (503), /health says so, and nothing queued meanwhile is lost. A disclosure of granted
/// data (here a data URL's bytes) is never answered before its row is durable; anonymous answers go into the next batch.
/// </summary>
public sealed class AuditFailureTests
{
    private const string Query = "/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A";

    [Fact]
    public async Task Anonymous_requests_are_refused_once_the_audit_cannot_write_and_every_row_is_written_once_it_can()
    {
        await using var node = new NodeFactory();
        node.Settings["Audit:MaxWait"] = "00:00:01";
        using var client = node.CreateClient();
        var rowsAtStart = Count(node, "access_decisions");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Query, UriKind.Relative))).StatusCode);
        await WaitForRowsAsync(node, "access_decisions", rowsAtStart + 1);

        BreakJournal(node);
        // The request that meets the broken journal first may be answered (its row waits in the queue); the writer's
        // first failed attempt stops all answers.
        var sent = 0;
        HttpResponseMessage? refused = null;
        var brokeAt = Stopwatch.StartNew();
        while (refused is null && brokeAt.Elapsed < TimeSpan.FromSeconds(10))
        {
            var response = await client.GetAsync(new Uri(Query + "&requestedGranularity=count", UriKind.Relative));
            sent++;
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
                await Task.Delay(20);
            }
        }

        Assert.NotNull(refused);
        // Refused from then on, not by chance once.
        using (var next = await client.GetAsync(new Uri(Query, UriKind.Relative)))
        {
            sent++;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, next.StatusCode);
        }

        using (refused)
        using (var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal(503, error.RootElement.GetProperty("error").GetProperty("errorCode").GetInt32());
            Assert.Contains("audit trail", error.RootElement.GetProperty("error").GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        }

        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"name\":\"audit\",\"status\":\"Unhealthy\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        RepairJournal(node);
        // The writer's next retry (its pauses grow to 15 s) writes the kept rows and the node answers again.
        var repairedAt = Stopwatch.StartNew();
        while ((await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode != HttpStatusCode.OK && repairedAt.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Query + "&requestedGranularity=record", UriKind.Relative))).StatusCode);
        // The rows of every request, answered or refused while the journal was away, were kept and written: none dropped.
        await WaitForRowsAsync(node, "access_decisions", rowsAtStart + 1 + sent + 1);
        Assert.Equal(rowsAtStart + 1 + sent + 1, Count(node, "access_decisions"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Records_are_not_sent_while_their_rows_cannot_be_recorded()
    {
        // A record answer's rows are queued before its records are read; the records still wait for them.
        await using var node = new NodeFactory();
        node.Settings["Audit:MaxWait"] = "00:00:01";
        using var client = node.CreateClient();
        var records = new Uri(Query + "&requestedGranularity=record", UriKind.Relative);
        using (var before = await client.GetAsync(records))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Contains("\"caseLevelData\"", await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        BreakJournal(node);
        HttpResponseMessage? refused = null;
        var brokeAt = Stopwatch.StartNew();
        while (refused is null && brokeAt.Elapsed < TimeSpan.FromSeconds(10))
        {
            // As above, the first request after the break may still be answered; the writer's first failure stops them.
            var response = await client.GetAsync(records);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
                await Task.Delay(20);
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Contains("audit trail", body, StringComparison.Ordinal);
            Assert.DoesNotContain("resultSets", body, StringComparison.Ordinal);
            Assert.DoesNotContain("caseLevelData", body, StringComparison.Ordinal);
        }

        RepairJournal(node);
    }

    [Fact]
    public async Task A_data_url_is_not_streamed_before_its_fetch_is_recorded()
    {
        await using var node = new NodeFactory();
        node.Settings["Audit:MaxWait"] = "00:00:01";
        using var client = node.CreateClient();
        using var ticket = await client.GetAsync(new Uri("/htsget/reads/demo-reads?referenceName=chr17&start=43044000&end=43126000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ticket.StatusCode);
        var dataUrl = JsonNode.Parse(await ticket.Content.ReadAsStringAsync())!["htsget"]!["urls"]!.AsArray()
            .Select(url => url!["url"]!.GetValue<string>()).First(url => url.StartsWith("http", StringComparison.Ordinal));
        await WaitForRowsAsync(node, "access_decisions", 1);

        BreakJournal(node);
        using var fetch = await client.GetAsync(new Uri(new Uri(dataUrl).PathAndQuery, UriKind.Relative));

        // The very first fetch after the journal broke: refused, not streamed with its row still queued.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fetch.StatusCode);
        RepairJournal(node);
        using var again = await client.GetAsync(new Uri(new Uri(dataUrl).PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private static async Task WaitForRowsAsync(NodeFactory node, string table, long rows)
    {
        for (var attempt = 0; attempt < 100 && Count(node, table) < rows; attempt++)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// What a failing disk does to the audit: its journal (where every answer's rows are made durable before the answer)
    /// cannot be written. Here a directory takes the journal file's place.
    /// </summary>
    private static void BreakJournal(NodeFactory node)
    {
        var journal = AuditJournal.PathIn(node.Data.Path);
        File.Delete(journal);
        Directory.CreateDirectory(journal);
    }

    private static void RepairJournal(NodeFactory node) => Directory.Delete(AuditJournal.PathIn(node.Data.Path));

    private static long Count(NodeFactory node, string table)
    {
        using var scope = node.Services.CreateScope();
        using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
        command.CommandText = $"SELECT count(*) FROM passport.{table}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
