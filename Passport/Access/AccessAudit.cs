using System.Threading.Channels;
using DuckDB.NET.Data;
using GenomeNode.Passport.Clearinghouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GenomeNode.Passport.Access;

/// <summary>One access decision as the audit table keeps it.</summary>
public sealed record AuditEntry(
    DateTimeOffset DecidedAt, string? Subject, string? Issuer, string? ClientAddress, string Resource, string DatasetId, bool Allowed,
    string Access, string Reason);

/// <summary>
/// Takes every access decision and hands it to <see cref="AccessAuditWriter"/>, which appends them to
/// <c>passport.access_decisions</c> in batches: a request never waits on a database write, and a burst of queries
/// costs one append per batch. The queue is bounded; when full, requests wait rather than decisions being dropped.
/// </summary>
public sealed class AccessAudit(TimeProvider time)
{
    private readonly Channel<AuditEntry> queue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    internal ChannelReader<AuditEntry> Reader => queue.Reader;

    public ValueTask RecordAsync(Caller caller, string? clientAddress, string resource, AccessDecision decision, bool allowed, string access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(decision);
        var entry = new AuditEntry(time.GetUtcNow(), caller.Passport?.Subject, caller.Passport?.Issuer, clientAddress, resource, decision.DatasetId,
            allowed, access, decision.Reason);
        return queue.Writer.TryWrite(entry) ? ValueTask.CompletedTask : queue.Writer.WriteAsync(entry, cancellationToken);
    }

    internal void Complete() => queue.Writer.TryComplete();
}

/// <summary>
/// Appends queued audit entries to the node's database on one connection it keeps, a batch at most every
/// <see cref="Linger"/> (so a stream of queries costs one append per batch, not one per query); on shutdown it drains
/// the queue first.
/// </summary>
public sealed partial class AccessAuditWriter(AccessAudit audit, IServiceScopeFactory scopes, ILogger<AccessAuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 10_000;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(200);

    private AsyncServiceScope? scope;
    private DuckDBConnection? connection;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = audit.Reader;
        var batch = new List<AuditEntry>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Linger, stoppingToken);
                Drain(reader, batch);
                Write(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what is queued still reaches the table.
        do
        {
            Drain(reader, batch);
            Write(batch);
        }
        while (reader.TryPeek(out _));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        audit.Complete();
        await base.StopAsync(cancellationToken);
        connection = null;
        if (scope is { } open)
        {
            await open.DisposeAsync();
        }
    }

    private static void Drain(ChannelReader<AuditEntry> reader, List<AuditEntry> batch)
    {
        while (batch.Count < MaxBatch && reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }
    }

    private void Write(List<AuditEntry> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            // Opened on the first batch: requests (and so decisions) come only once the node has opened its database.
            scope ??= scopes.CreateAsyncScope();
            connection ??= scope.Value.ServiceProvider.GetRequiredService<DuckDBConnection>();
            using var appender = connection.CreateAppender("passport", "access_decisions");
            foreach (var entry in batch)
            {
                appender.CreateRow()
                    .AppendValue(entry.DecidedAt.UtcDateTime)
                    .AppendValue(entry.Subject)
                    .AppendValue(entry.Issuer)
                    .AppendValue(entry.ClientAddress)
                    .AppendValue(entry.Resource)
                    .AppendValue(entry.DatasetId)
                    .AppendValue(entry.Allowed)
                    .AppendValue(entry.Access)
                    .AppendValue(entry.Reason)
                    .EndRow();
            }
        }
        catch (DuckDBException ex)
        {
            Log.AuditWriteFailed(logger, batch.Count, ex.Message);
        }

        batch.Clear();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7130, Level = LogLevel.Error, Message = "Could not append {Count} access decisions to the audit table: {Problem}")]
        public static partial void AuditWriteFailed(ILogger logger, int count, string problem);
    }
}
