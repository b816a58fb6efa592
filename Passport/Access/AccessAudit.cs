using System.Globalization;
using System.Threading.Channels;
using DuckDB.NET.Data;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Storage;
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

    /// <summary>The request the decision was made for (the node's request id, as in its logs); its rows share it.</summary>
    public string? RequestId { get; init; }
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
    /// How long a request waits for its audit rows to be durable before it is refused (503) instead of answered.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The audit could not record a request in time: the request is refused rather than answered unrecorded.</summary>
public sealed class AuditUnavailableException(string message) : Exception(message);

/// <summary>
/// Takes every access decision and hands it to <see cref="AccessAuditWriter"/>, which appends them to
/// <c>passport.access_decisions</c> in batches, each one transaction (group commit). Every decision is awaited until
/// durable before its answer goes out: what was answered was recorded, and a crash loses only rows whose requests were
/// not answered. The rows of one request are handed over together and so land in one batch: all of them or none.
/// When the table cannot be written the writer keeps its batch and retries (nothing is dropped); a request waits up to
/// <see cref="AuditOptions.MaxWait"/> and is then refused, and <c>/health</c> says so.
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

    /// <summary>The entry of a decision made now.</summary>
    public AuditEntry Entry(
        Caller caller, string? clientAddress, string resource, AccessDecision decision, bool allowed, string access,
        string? ticket = null, AuditDetails? details = null, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(decision);
        return new AuditEntry(time.GetUtcNow(), caller.Passport?.Subject, caller.Passport?.Issuer, clientAddress, resource,
            decision.DatasetId, allowed, access, decision.Reason, ticket) { Details = details, RequestId = requestId };
    }

    /// <summary>Records a decision; the task completes once it is durable.</summary>
    public Task RecordAsync(
        Caller caller, string? clientAddress, string resource, AccessDecision decision, bool allowed, string access,
        string? ticket = null, AuditDetails? details = null, string? requestId = null, CancellationToken cancellationToken = default) =>
        RecordAsync([Entry(caller, clientAddress, resource, decision, allowed, access, ticket, details, requestId)], cancellationToken);

    /// <summary>Records an entry; the task completes once it is durable, and fails after <see cref="AuditOptions.MaxWait"/>.</summary>
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default) => RecordAsync([entry], cancellationToken);

    /// <summary>
    /// Records the entries of one request, in this order and in one transaction; the task completes once they are
    /// durable, and fails with <see cref="AuditUnavailableException"/> after <see cref="AuditOptions.MaxWait"/>.
    /// </summary>
    public async Task RecordAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var item = new Pending(entries);
        Interlocked.Add(ref pending, entries.Count);
        if (!queue.Writer.TryWrite(item))
        {
            await queue.Writer.WriteAsync(item, cancellationToken);
        }

        try
        {
            await item.Durable.Task.WaitAsync(options.Value.MaxWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The entries stay queued and are written once the table can be written again.
            throw new AuditUnavailableException(
                $"the node could not record this request in its audit trail within {options.Value.MaxWait.TotalSeconds:0} s; try again later");
        }
    }

    internal void Written(IReadOnlyList<Pending> batch)
    {
        foreach (var item in batch)
        {
            Interlocked.Add(ref pending, -item.Entries.Count);
        }

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

    /// <summary>The entries of one request, written in one batch.</summary>
    internal sealed class Pending(IReadOnlyList<AuditEntry> entries)
    {
        public IReadOnlyList<AuditEntry> Entries { get; } = entries;

        public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// Appends queued audit entries to the node's database on one connection it keeps. It commits as soon as there is
/// something to write, and whatever queues while a commit runs goes into the next one: a single request waits for one
/// commit, and a burst shares few (a commit costs about the same for one row as for hundreds; docs/passport.md,
/// "Audit"). Each batch takes its numbers (<c>seq</c>) from the claimed row of <c>passport.access_decision_sequence</c>
/// in its own transaction. A failed batch is kept and retried (never dropped), with growing pauses; on shutdown the
/// queue is drained first.
/// </summary>
public sealed partial class AccessAuditWriter(AccessAudit audit, IServiceScopeFactory scopes, ILogger<AccessAuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 10_000;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(15);

    private AsyncServiceScope? scope;
    private DuckDBConnection? connection;
    private DuckDBCommand? claim;
    private bool sequenceChecked;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = audit.Reader;
        var batch = new List<AccessAudit.Pending>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                Drain(reader, batch);
                var pause = FirstRetry;
                while (!TryWrite(batch))
                {
                    await Task.Delay(pause, stoppingToken);
                    pause = pause * 2 < LastRetry ? pause * 2 : LastRetry;
                }
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
            var lost = batch.Sum(item => item.Entries.Count) + reader.Count;
            Log.AuditLostAtShutdown(logger, lost);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        audit.Complete();
        await base.StopAsync(cancellationToken);
        claim?.Dispose();
        claim = null;
        connection = null;
        if (scope is { } open)
        {
            await open.DisposeAsync();
        }
    }

    /// <summary>Adds what is queued to the batch, up to <see cref="MaxBatch"/> rows; a request's entries are never split.</summary>
    private static void Drain(ChannelReader<AccessAudit.Pending> reader, List<AccessAudit.Pending> batch)
    {
        var rows = batch.Sum(item => item.Entries.Count);
        while (rows < MaxBatch && reader.TryRead(out var item))
        {
            batch.Add(item);
            rows += item.Entries.Count;
        }
    }

    /// <summary>Writes the batch in one transaction; on success clears it, on failure keeps it for the next try.</summary>
    private bool TryWrite(List<AccessAudit.Pending> batch)
    {
        if (batch.Count == 0)
        {
            return true;
        }

        var rows = batch.Sum(item => item.Entries.Count);
        try
        {
            // Opened on the first batch: requests (and so decisions) come only once the node has opened its database.
            scope ??= scopes.CreateAsyncScope();
            connection ??= scope.Value.ServiceProvider.GetRequiredService<DuckDBConnection>();
            using (var transaction = connection.BeginTransaction())
            {
                var seq = ClaimNumbers(connection, rows);
                using (var appender = connection.CreateAppender("passport", "access_decisions"))
                {
                    foreach (var entry in batch.SelectMany(item => item.Entries))
                    {
                        appender.CreateRow()
                            .AppendValue(seq++)
                            .AppendValue(entry.DecidedAt.UtcDateTime)
                            .AppendValue(entry.RequestId)
                            .AppendValue(entry.Subject)
                            .AppendValue(entry.Issuer)
                            .AppendValue(entry.ClientAddress)
                            .AppendValue(entry.Resource)
                            .AppendValue(entry.DatasetId)
                            .AppendValue(entry.Allowed)
                            .AppendValue(entry.Access)
                            .AppendValue(entry.Reason)
                            .AppendValue(entry.Ticket)
                            .AppendValue(entry.Details?.Query)
                            .AppendValue(entry.Details?.Returned)
                            .AppendValue(entry.Details?.Adjustments)
                            .AppendValue(entry.Details?.Cost ?? 0)
                            .EndRow();
                    }
                }

                transaction.Commit();
            }
        }
        catch (Exception ex) when (ex is DuckDBException or AuditSequenceException)
        {
            if (audit.Failure is null)
            {
                Log.AuditWriteFailed(logger, rows, ex.Message);
            }

            audit.Failed(ex.Message);
            return false;
        }

        var recovered = audit.Failure is not null;
        audit.Written(batch);
        if (recovered)
        {
            Log.AuditRecovered(logger, rows);
        }

        batch.Clear();
        return true;
    }

    /// <summary>
    /// Claims <paramref name="count"/> numbers in the current transaction and returns the first. The first time, it also
    /// checks that no row already holds a number past the counter (a restored or edited counter): appending would then
    /// give two rows one number, so the audit stops instead.
    /// </summary>
    private long ClaimNumbers(DuckDBConnection open, int count)
    {
        if (!sequenceChecked)
        {
            var counters = Convert.ToInt64(open.Scalar("SELECT count(*) FROM passport.access_decision_sequence"), CultureInfo.InvariantCulture);
            var beyond = Convert.ToInt64(open.Scalar("""
                SELECT count(*) FROM passport.access_decisions
                WHERE seq > (SELECT max(last_seq) FROM passport.access_decision_sequence)
                """), CultureInfo.InvariantCulture);
            if (counters != 1 || beyond > 0)
            {
                throw new AuditSequenceException(counters != 1
                    ? $"passport.access_decision_sequence holds {counters} rows instead of one"
                    : $"{beyond} audit rows hold numbers (seq) past passport.access_decision_sequence; the counter was changed");
            }

            sequenceChecked = true;
        }

        // One command for the writer's life: parsed and planned once.
        if (claim is null)
        {
            claim = open.CreateCommand();
            claim.CommandText = "UPDATE passport.access_decision_sequence SET last_seq = last_seq + $1 RETURNING last_seq";
            claim.Parameters.Add(new DuckDBParameter(0L));
        }

        claim.Parameters[0].Value = (long)count;
        var last = claim.ExecuteScalar();
        return last is long claimed
            ? claimed - count + 1
            : throw new AuditSequenceException("passport.access_decision_sequence holds no row");
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

/// <summary>The audit's numbering (<c>seq</c>) is not as the writer left it: nothing is appended until it is.</summary>
public sealed class AuditSequenceException(string message) : Exception(message);

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
