using DuckDB.NET.Data;
using GenomeNode.Passport.Access;
using GenomeNode.Storage;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Tests;

/// <summary>
/// The audit writer on a real node database: what a request was told is recorded once its task completes, the rows of
/// one request are appended together in their order, numbers (seq) continue across restarts, and a counter that no
/// longer matches the rows stops the audit instead of numbering two rows alike.
/// </summary>
public sealed class AccessAuditWriterTests : IDisposable
{
    private readonly TestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task A_recorded_anonymous_decision_is_in_the_table_when_its_task_completes()
    {
        await using var writer = await AuditWriter.StartAsync(database);

        // Refusals and anonymous answers of public data wait as well: an answer only goes out once recorded.
        for (var i = 0; i < 20; i++)
        {
            await writer.Audit.RecordAsync(Entry($"request-{i}", "demo", allowed: i % 2 == 0));

            Assert.Equal(i + 1, Count());
        }
    }

    [Fact]
    public async Task The_rows_of_one_request_get_consecutive_numbers_in_their_order_while_many_requests_arrive_at_once()
    {
        await using var writer = await AuditWriter.StartAsync(database);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(request => Task.Run(() => writer.Audit.RecordAsync(
            [Entry($"request-{request}", "a"), Entry($"request-{request}", "b"), Entry($"request-{request}", "c")]))));

        var rows = database.Connection.Read(
            "SELECT request_id, dataset_id, seq FROM passport.access_decisions ORDER BY seq",
            reader => (Request: reader.GetString(0), Dataset: reader.GetString(1), Seq: reader.GetInt64(2)));
        Assert.Equal(Enumerable.Range(1, 192).Select(seq => (long)seq), rows.Select(row => row.Seq));
        foreach (var request in rows.GroupBy(row => row.Request))
        {
            var numbers = request.Select(row => row.Seq).ToList();
            Assert.Equal(Enumerable.Range((int)numbers[0], 3).Select(seq => (long)seq), numbers);
            Assert.Equal(["a", "b", "c"], request.Select(row => row.Dataset));
        }
    }

    [Fact]
    public async Task Details_and_the_request_id_are_stored_with_the_decision()
    {
        await using var writer = await AuditWriter.StartAsync(database);

        await writer.Audit.RecordAsync(Entry("0HN:00000007", "demo") with
        {
            Details = new AuditDetails("{\"referenceName\":\"17\"}", "count", "rounded to 10", 2.5),
        });

        var row = Assert.Single(database.Connection.Read(
            "SELECT request_id, query, returned, adjustments, cost, seq FROM passport.access_decisions",
            reader => (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4), reader.GetInt64(5))));
        Assert.Equal(("0HN:00000007", "{\"referenceName\":\"17\"}", "count", "rounded to 10", 2.5, 1L), row);
    }

    [Fact]
    public async Task Numbers_continue_after_a_restart()
    {
        await using (var first = await AuditWriter.StartAsync(database))
        {
            await first.Audit.RecordAsync([Entry("before", "a"), Entry("before", "b")]);
        }

        await using (var second = await AuditWriter.StartAsync(database))
        {
            await second.Audit.RecordAsync(Entry("after", "a"));
        }

        Assert.Equal([("before", 1L), ("before", 2L), ("after", 3L)], database.Connection.Read(
            "SELECT request_id, seq FROM passport.access_decisions ORDER BY seq", reader => (reader.GetString(0), reader.GetInt64(1))));
        Assert.Equal(3L, database.Connection.Scalar("SELECT last_seq FROM passport.access_decision_sequence"));
    }

    [Fact]
    public async Task A_counter_set_back_below_the_numbers_in_use_stops_the_audit_rather_than_number_two_rows_alike()
    {
        await using (var first = await AuditWriter.StartAsync(database))
        {
            await first.Audit.RecordAsync([Entry("before", "a"), Entry("before", "b")]);
        }

        database.Connection.Execute("UPDATE passport.access_decision_sequence SET last_seq = 1");
        await using var second = await AuditWriter.StartAsync(database, TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAsync<AuditUnavailableException>(() => second.Audit.RecordAsync(Entry("after", "a")));

        Assert.Contains("seq", second.Audit.Failure?.Reason, StringComparison.Ordinal);
        Assert.Equal(2, Count());
    }

    private static AuditEntry Entry(string request, string dataset, bool allowed = true) =>
        new(DateTimeOffset.UtcNow, null, null, "127.0.0.1", "beacon:g_variants", dataset, allowed, allowed ? "boolean" : "none", "test")
        {
            RequestId = request,
        };

    // On a connection of its own: only committed rows count.
    private long Count()
    {
        using var connection = database.OpenConnection();
        return Convert.ToInt64(connection.Scalar("SELECT count(*) FROM passport.access_decisions"), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An <see cref="AccessAuditWriter"/> running on the test database, stopped (its queue drained) when disposed.</summary>
    private sealed class AuditWriter : IAsyncDisposable
    {
        private readonly ServiceProvider services;
        private readonly AccessAuditWriter writer;

        private AuditWriter(ServiceProvider services, AccessAudit audit)
        {
            this.services = services;
            Audit = audit;
            writer = new AccessAuditWriter(audit, services.GetRequiredService<IServiceScopeFactory>(), NullLogger<AccessAuditWriter>.Instance);
        }

        public AccessAudit Audit { get; }

        public static async Task<AuditWriter> StartAsync(TestDatabase database, TimeSpan? maxWait = null)
        {
            var services = new ServiceCollection().AddScoped(_ => database.OpenConnection()).BuildServiceProvider();
            var audit = new AccessAudit(TimeProvider.System, Options.Create(new AuditOptions { MaxWait = maxWait ?? TimeSpan.FromSeconds(10) }));
            var started = new AuditWriter(services, audit);
            await started.writer.StartAsync(CancellationToken.None);
            return started;
        }

        public async ValueTask DisposeAsync()
        {
            await writer.StopAsync(CancellationToken.None);
            writer.Dispose();
            await services.DisposeAsync();
        }
    }
}
