using System.Net;
using System.Text.Json;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Issue 14, finding 7: an audit that cannot record does not keep answering silently. Requests are refused (503)
/// while the audit table cannot be written, /health says so, and nothing queued meanwhile is lost.
/// </summary>
public sealed class AuditFailureTests
{
    private const string Query = "/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A";

    [Fact]
    public async Task Requests_are_refused_while_the_audit_cannot_write_and_their_rows_are_written_once_it_can()
    {
        await using var node = new NodeFactory();
        node.Settings["Audit:MaxWait"] = "00:00:01";
        using var client = node.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Query, UriKind.Relative))).StatusCode);

        Execute(node, "ALTER TABLE passport.access_decisions RENAME TO access_decisions_away");
        using var refused = await client.GetAsync(new Uri(Query + "&requestedGranularity=count", UriKind.Relative));
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        using (var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal(503, error.RootElement.GetProperty("error").GetProperty("errorCode").GetInt32());
            Assert.Contains("audit trail", error.RootElement.GetProperty("error").GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"name\":\"audit\",\"status\":\"Unhealthy\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var before = Count(node, "access_decisions_away");
        Execute(node, "ALTER TABLE passport.access_decisions_away RENAME TO access_decisions");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(Query + "&requestedGranularity=record", UriKind.Relative))).StatusCode);
        // The refused request's row was kept and written with the next batch: nothing is dropped.
        Assert.Equal(before + 2, Count(node, "access_decisions"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    private static void Execute(NodeFactory node, string sql)
    {
        using var scope = node.Services.CreateScope();
        using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Count(NodeFactory node, string table)
    {
        using var scope = node.Services.CreateScope();
        using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
        command.CommandText = $"SELECT count(*) FROM passport.{table}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
