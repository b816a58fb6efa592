using System.Diagnostics;
using System.Threading.Channels;
using DuckDB.NET.Data;
using GenomeNode.Passport.Clearinghouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Access;

/// <summary>
/// One access decision as the audit table keeps it. <paramref name="DatasetId"/> is <see cref="NoDataset"/> when the
/// request was refused before any dataset was considered (a refused bearer token); <paramref name="Ticket"/> links an
/// htsget ticket's decision to the fetches of its data URLs.
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset DecidedAt, string? Subject, string? Issuer, string? ClientAddress, string Resource, string DatasetId, bool Allowed,
    string Access, string Reason, string? Ticket = null)
{
    public const string NoDataset = "*";

    /// <summary>What was asked, what was returned and adjusted, and what it cost the caller's budget.</summary>
    public AuditDetails? Details { get; init; }
}

/// <summary>
/// What a request asked and was answered, beside its access decision.
/// </summary>
/// <param name="Query">the request as asked: a Beacon query's parameters, an htsget ticket's request, a data URL's range</param>
/// <param name="Returned">what the answer gave (a Beacon granularity, "error", "stream"), null when nothing was answered</param>
/// <param name="Adjustments">what privacy controls changed in the answer (thresholds, rounding, hidden alleles), null when nothing</param>
/// <param name="Cost">what the answer took from the caller's query budget</param>
public sealed record AuditDetails(string? Query, string? Returned, string? Adjustments, double Cost);

/// <summary>Configuration section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// How long a request that waits for its audit rows (a disclosure of granted data, or any request while the audit
    /// cannot write) waits for them to be durable before it is refused (503) instead of answered.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The audit could not record a request in time: the request is refused rather than answered unrecorded.</summary>
public sealed class AuditUnavailableException(string message) : Exception(message);

/// <summary>
/// Takes every access decision and hands it to <see cref="AccessAuditWriter"/>, which appends them to
/// <c>passport.access_decisions</c> in batches, each one transaction (group commit). A decision that grants a
/// passport holder (or a data URL's bearer) registered or controlled data is awaited until durable before the answer
/// goes out: what was disclosed beyond the anonymous level was recorded. Other decisions (anonymous and public
/// answers, refusals) go into the next batch without holding the answer: a durable commit per request would bound
/// every query by the disk's flush latency, and a crash loses at most the batch being written. When the table cannot
/// be written the writer keeps its batch and retries (nothing is dropped); from then on every request waits up to
/// <see cref="AuditOptions.MaxWait"/> and is refused, and <c>/health</c> says so.
/// </summary>
public sealed class AccessAudit(TimeProvider time, IOptions<AuditOptions> options)
{
    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long pending;
    private string? failure;
    private DateTimeOffset? failingSince;

    internal ChannelReader<Pending> Reader => queue.Reader;

    /// <summary>Entries handed over but not yet durable.</summary>
    public long Backlog => Interlocked.Read(ref pending);

    /// <summary>Why the last write failed and since when, or null while writes succeed.</summary>
    public (string Reason, DateTimeOffset Since)? Failure => failure is { } reason && failingSince is { } since ? (reason, since) : null;

    /// <summary>Records a decision; the task completes once it is durable.</summary>
    public Task RecordAsync(
        Caller caller, string? clientAddress, string resource, AccessDecision decision, bool allowed, string access,
        string? ticket = null, AuditDetails? details = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(decision);
        var disclosesGrantedData = allowed && decision.Grant is AccessGrant.Registered or AccessGrant.Controlled;
        return RecordAsync(new AuditEntry(time.GetUtcNow(), caller.Passport?.Subject, caller.Passport?.Issuer, clientAddress, resource,
            decision.DatasetId, allowed, access, decision.Reason, ticket) { Details = details }, disclosesGrantedData, cancellationToken);
    }

    /// <summary>Records an entry; the task completes once it is durable, and fails after <see cref="AuditOptions.MaxWait"/>.</summary>
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default) =>
        RecordAsync(entry, untilDurable: true, cancellationToken);

    /// <summary>
    /// Records an entry. With <paramref name="untilDurable"/> the task completes once the entry is durable; without, as
    /// soon as it is queued, unless the audit is failing: then it waits as well. Either way it fails after
    /// <see cref="AuditOptions.MaxWait"/>.
    /// </summary>
    public async Task RecordAsync(AuditEntry entry, bool untilDurable, CancellationToken cancellationToken = default)
    {
        var item = new Pending(entry);
        Interlocked.Increment(ref pending);
        if (!queue.Writer.TryWrite(item))
        {
            await queue.Writer.WriteAsync(item, cancellationToken);
        }

        if (!untilDurable && Volatile.Read(ref failure) is null)
        {
            return;
        }

        try
        {
            await item.Durable.Task.WaitAsync(options.Value.MaxWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The entry stays queued and is written once the table can be written again.
            throw new AuditUnavailableException(
                $"the node could not record this request in its audit trail within {options.Value.MaxWait.TotalSeconds:0} s; try again later");
        }
    }

    internal void Written(IReadOnlyList<Pending> batch)
    {
        Interlocked.Add(ref pending, -batch.Count);
        Volatile.Write(ref failure, null);
        failingSince = null;
        foreach (var item in batch)
        {
            item.Durable.TrySetResult();
        }
    }

    internal void Failed(string reason)
    {
        failingSince ??= time.GetUtcNow();
        Volatile.Write(ref failure, reason);
    }

    internal void Complete() => queue.Writer.TryComplete();

    internal sealed class Pending(AuditEntry entry)
    {
        public AuditEntry Entry { get; } = entry;

        public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// Appends queued audit entries to the node's database on one connection it keeps: whatever queued while the previous
/// batch was written goes in the next transaction, so a burst of requests costs one commit per batch and a single
/// request waits for one commit. A failed batch is kept and retried (never dropped), with growing pauses; on shutdown
/// the queue is drained first.
/// </summary>
public sealed partial class AccessAuditWriter(AccessAudit audit, IServiceScopeFactory scopes, ILogger<AccessAuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 10_000;

    // A commit (a transaction, an appender, a WAL flush) costs as much for one row as for thousands: under load, rows
    // that arrive within this interval of the previous commit share the next one (a waiting request waits at most this
    // much longer).
    private static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(15);

    private AsyncServiceScope? scope;
    private DuckDBConnection? connection;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = audit.Reader;
        var batch = new List<AccessAudit.Pending>();
        try
        {
            var lastCommit = 0L; // long ago: the first row is written at once
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var sinceCommit = Stopwatch.GetElapsedTime(lastCommit);
                if (sinceCommit < CommitInterval)
                {
                    await Task.Delay(CommitInterval - sinceCommit, stoppingToken);
                }

                Drain(reader, batch);
                var pause = FirstRetry;
                while (!TryWrite(batch))
                {
                    await Task.Delay(pause, stoppingToken);
                    pause = pause * 2 < LastRetry ? pause * 2 : LastRetry;
                }

                lastCommit = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what is queued still reaches the table, unless it cannot be written at all.
        Drain(reader, batch);
        while (batch.Count > 0 && TryWrite(batch))
        {
            Drain(reader, batch);
        }

        if (batch.Count > 0)
        {
            Log.AuditLostAtShutdown(logger, batch.Count + reader.Count);
        }
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

    private static void Drain(ChannelReader<AccessAudit.Pending> reader, List<AccessAudit.Pending> batch)
    {
        while (batch.Count < MaxBatch && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    /// <summary>Writes the batch in one transaction; on success clears it, on failure keeps it for the next try.</summary>
    private bool TryWrite(List<AccessAudit.Pending> batch)
    {
        if (batch.Count == 0)
        {
            return true;
        }

        try
        {
            // Opened on the first batch: requests (and so decisions) come only once the node has opened its database.
            scope ??= scopes.CreateAsyncScope();
            connection ??= scope.Value.ServiceProvider.GetRequiredService<DuckDBConnection>();
            using (var transaction = connection.BeginTransaction())
            {
                using (var appender = connection.CreateAppender("passport", "access_decisions"))
                {
                    foreach (var item in batch)
                    {
                        var entry = item.Entry;
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
                            .AppendValue(entry.Ticket)
                            .EndRow();
                    }
                }

                transaction.Commit();
            }
        }
        catch (DuckDBException ex)
        {
            if (audit.Failure is null)
            {
                Log.AuditWriteFailed(logger, batch.Count, ex.Message);
            }

            audit.Failed(ex.Message);
            return false;
        }

        var recovered = audit.Failure is not null;
        audit.Written(batch);
        if (recovered)
        {
            Log.AuditRecovered(logger, batch.Count);
        }

        batch.Clear();
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7130, Level = LogLevel.Error,
            Message = "Could not append {Count} access decisions to the audit table ({Problem}); keeping them and retrying, requests wait meanwhile")]
        public static partial void AuditWriteFailed(ILogger logger, int count, string problem);

        [LoggerMessage(EventId = 7131, Level = LogLevel.Information, Message = "The audit table is written again; {Count} waiting access decisions recorded")]
        public static partial void AuditRecovered(ILogger logger, int count);

        [LoggerMessage(EventId = 7132, Level = LogLevel.Critical, Message = "Stopping with {Count} access decisions that could not be written to the audit table")]
        public static partial void AuditLostAtShutdown(ILogger logger, long count);
    }
}

/// <summary>Unhealthy while the audit cannot write: requests are then refused rather than answered unrecorded.</summary>
public sealed class AuditHealthCheck(AccessAudit audit) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(audit.Failure is { } failure
            ? HealthCheckResult.Unhealthy(
                $"the audit table cannot be written since {failure.Since:yyyy-MM-ddTHH:mm:ssZ}; {audit.Backlog} decisions wait; requests are refused")
            : HealthCheckResult.Healthy($"{audit.Backlog} decisions waiting to be written"));
}

internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        options.MaxWait > TimeSpan.Zero && options.MaxWait <= TimeSpan.FromMinutes(5)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AuditOptions.Section}:MaxWait must be more than 0 and at most 00:05:00 (got {options.MaxWait})");
}
