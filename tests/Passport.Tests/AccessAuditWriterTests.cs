using DuckDB.NET.Data;
using GenomeNode.Passport.Access;
using GenomeNode.Storage;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Tests;

/// <summary>
/// The audit writer on a real node database: what a request was told is durable (in the journal or the table, as the
/// audit's readers see them) once its task completes, the rows of one request are appended together in their order,
/// numbers (seq) continue across restarts, rows a crash left in the journal reach the table at the next start, and a
/// counter that no longer matches the rows stops the audit instead of numbering two rows alike.
/// </summary>
public sealed class AccessAuditWriterTests : IDisposable
{
    private readonly TestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task A_recorded_anonymous_decision_is_durable_when_its_task_completes()
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

        var rows = Recorded().Select(row => (Request: row.RequestId!, Dataset: row.DatasetId, row.Seq)).ToList();
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

        var row = Assert.Single(Recorded());
        Assert.Equal(("0HN:00000007", "{\"referenceName\":\"17\"}", "count", "rounded to 10", 2.5, 1L),
            (row.RequestId, row.Query, row.Returned, row.Adjustments, row.Cost, row.Seq));
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

    [Fact]
    public async Task Rows_a_crash_left_in_the_journal_reach_the_table_at_the_next_start_and_numbering_goes_on_after_them()
    {
        await using (var first = await AuditWriter.StartAsync(database))
        {
            await first.Audit.RecordAsync(Entry("moved", "a"));
        }

        // What a writer killed after its fsync leaves: rows numbered past the table's counter, the last one cut short.
        using (var journal = new AuditJournal(database.Database.DataDirectory))
        {
            journal.Append([Row(2, "journaled"), Row(3, "journaled")]);
        }

        await File.AppendAllTextAsync(AuditJournal.PathIn(database.Database.DataDirectory), "{\"seq\":4,\"decidedAt\":");
        await using (var second = await AuditWriter.StartAsync(database))
        {
            Assert.Equal([("moved", 1L), ("journaled", 2L), ("journaled", 3L)], database.Connection.Read(
                "SELECT request_id, seq FROM passport.access_decisions ORDER BY seq", reader => (reader.GetString(0), reader.GetInt64(1))));
            Assert.Empty(AuditJournal.Read(database.Database.DataDirectory));
            await second.Audit.RecordAsync(Entry("after", "a"));
        }

        Assert.Equal(4L, database.Connection.Scalar("SELECT last_seq FROM passport.access_decision_sequence"));
    }

    [Fact]
    public async Task Rows_recorded_up_to_a_stop_reach_the_table_once_each_even_when_a_move_is_running()
    {
        // 20,000 journaled rows start a move; each round stops right after crossing that, while the move commits.
        const int Requests = 64;
        const int RowsPerRound = 20_100;
        for (var round = 0; round < 3; round++)
        {
            await using var writer = await AuditWriter.StartAsync(database);
            var recorded = 0;
            while (recorded < RowsPerRound)
            {
                var batch = Math.Min(Requests, RowsPerRound - recorded);
                await Task.WhenAll(Enumerable.Range(0, batch).Select(i => writer.Audit.RecordAsync(Entry($"round-{round}", "a"))));
                recorded += batch;
            }
        }

        var numbers = database.Connection.Read("SELECT seq FROM passport.access_decisions ORDER BY seq", reader => reader.GetInt64(0));
        Assert.Equal(Enumerable.Range(1, 3 * RowsPerRound).Select(seq => (long)seq), numbers);
        Assert.Empty(AuditJournal.Read(database.Database.DataDirectory));
        Assert.Equal(3L * RowsPerRound, database.Connection.Scalar("SELECT last_seq FROM passport.access_decision_sequence"));
    }

    [Fact]
    public void A_damaged_line_before_the_journal_end_fails_loudly()
    {
        File.WriteAllText(AuditJournal.PathIn(database.Database.DataDirectory), "{\"seq\":1,\"broken\n{\"seq\":2}\n");
        var error = Assert.Throws<InvalidDataException>(() => AuditJournal.Read(database.Database.DataDirectory));
        Assert.Contains("line 1 is damaged", error.Message, StringComparison.Ordinal);
    }

    private static AuditRow Row(long seq, string request) => new(
        seq, DateTimeOffset.UtcNow, request, null, null, "127.0.0.1", "beacon:g_variants", "a", true, "boolean", "test", null, null, null, null, 0);

    private static AuditEntry Entry(string request, string dataset, bool allowed = true) =>
        new(DateTimeOffset.UtcNow, null, null, "127.0.0.1", "beacon:g_variants", dataset, allowed, allowed ? "boolean" : "none", "test")
        {
            RequestId = request,
        };

    // On a connection of its own, as the audit's readers see it: the table's committed rows and the journal's.
    private IReadOnlyList<AuditRow> Recorded()
    {
        using var connection = database.OpenConnection();
        return new AuditTrail(connection, database.Database.DataDirectory).Read(DateTimeOffset.MinValue, null, 0, null, 100_000).Rows;
    }

    // Every row recorded anywhere: the table's committed rows and the journal's.
    private long Count()
    {
        using var connection = database.OpenConnection();
        return Convert.ToInt64(connection.Scalar("SELECT count(*) FROM passport.access_decisions"), System.Globalization.CultureInfo.InvariantCulture)
            + AuditJournal.Read(database.Database.DataDirectory).Count;
    }

    /// <summary>An <see cref="AccessAuditWriter"/> running on the test database, stopped (its queue drained) when disposed.</summary>
    private sealed class AuditWriter : IAsyncDisposable
    {
        private readonly ServiceProvider services;
        private readonly AccessAuditWriter writer;

        private AuditWriter(ServiceProvider services, AccessAudit audit, string dataDirectory)
        {
            this.services = services;
            Audit = audit;
            writer = new AccessAuditWriter(audit, services.GetRequiredService<IServiceScopeFactory>(), NullLogger<AccessAuditWriter>.Instance,
                dataDirectory);
        }

        public AccessAudit Audit { get; }

        public static async Task<AuditWriter> StartAsync(TestDatabase database, TimeSpan? maxWait = null)
        {
            var services = new ServiceCollection().AddScoped(_ => database.OpenConnection()).BuildServiceProvider();
            var audit = new AccessAudit(TimeProvider.System, Options.Create(new AuditOptions { MaxWait = maxWait ?? TimeSpan.FromSeconds(10) }));
            var started = new AuditWriter(services, audit, database.Database.DataDirectory);
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
