using System.Diagnostics;
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

    /// <summary>Why journaled rows cannot be moved into the table, and how many wait in the journal; null while moves succeed.</summary>
    public (string Reason, int Rows)? MoveProblem { get; internal set; }

    /// <summary>The entries of one request, written in one batch.</summary>
    internal sealed class Pending(IReadOnlyList<AuditEntry> entries)
    {
        public IReadOnlyList<AuditEntry> Entries { get; } = entries;

        public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// Makes queued audit rows durable and moves them into <c>passport.access_decisions</c>. Rows are numbered (<c>seq</c>)
/// and appended to the <see cref="AuditJournal"/> with an fsync, whatever queued while the previous append ran going
/// into the next (group commit), and only then are their requests answered. At least once a second, or every
/// <see cref="MoveAt"/> rows, the journal is rotated and, in the background while appends go on, its rows go into the
/// table in one transaction (which also advances <c>passport.access_decision_sequence</c>, refusing if another writer
/// moved it); the rotated file is deleted once they are committed. At start, rows a crash left in the journal are
/// moved first. A journal append that fails is retried (nothing is dropped) while requests wait and are refused after
/// <see cref="AuditOptions.MaxWait"/>; a move that fails leaves the rows durable in the rotated journal and is retried.
/// On shutdown the queue is drained and moved.
/// </summary>
public sealed partial class AccessAuditWriter(AccessAudit audit, IServiceScopeFactory scopes, ILogger<AccessAuditWriter> logger, string dataDirectory)
    : BackgroundService
{
    private const int MaxBatch = 10_000;

    /// <summary>Rows the journal holds at most before they are moved into the table.</summary>
    private const int MoveAt = 20_000;

    private static readonly TimeSpan MoveEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(15);

    private List<AuditRow> unmoved = [];
    private List<AuditRow>? rotated;
    private Task<bool>? moving;
    private AsyncServiceScope? scope;
    private DuckDBConnection? connection;
    private AuditJournal? journal;
    private long lastSeq;
    private long movedThrough;
    private long lastMoveAt = Stopwatch.GetTimestamp();
    private bool moveFailing;

    /// <summary>Moves what a crash left in the journal into the table, before the node answers anything.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Open();
        }
        catch (Exception ex) when (ex is DuckDBException or AuditSequenceException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // Requests then wait and are refused, /health says why, and the writer retries.
            Log.AuditWriteFailed(logger, 0, ex.Message);
            audit.Failed(ex.Message);
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// The writer runs on a thread of its own: each append blocks in <c>fsync</c> (0.1-0.2 ms, more than a thousand
    /// times a second under load), which on a pool thread of a 2-core machine takes a worker from the requests and
    /// leaves the others spinning and waking; measured on tickets, a pool thread gave 5,962-7,130 tickets/s and this
    /// thread 7,297-9,206 with less CPU per ticket. Waiting with a timeout also sets no new timer per turn.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var reader = audit.Reader;
        var batch = new List<AccessAudit.Pending>();
        Task<bool>? waiting = null;
        try
        {
            while (true)
            {
                // Not cancelled by the token: stopping completes the queue first (false), and a cancelled wait below
                // throws OperationCanceledException rather than a cancelled task's AggregateException.
                waiting ??= reader.WaitToReadAsync(CancellationToken.None).AsTask();
                var due = MoveEvery - Stopwatch.GetElapsedTime(lastMoveAt);
                if (unmoved.Count == 0 && rotated is null)
                {
                    waiting.Wait(stoppingToken);
                }
                else if (due > TimeSpan.Zero)
                {
                    waiting.Wait(due, stoppingToken);
                }

                if (waiting.IsCompleted)
                {
                    if (!waiting.GetAwaiter().GetResult())
                    {
                        break;
                    }

                    waiting = null;
                    Drain(reader, batch);
                    var pause = FirstRetry;
                    while (!TryWrite(batch))
                    {
                        stoppingToken.WaitHandle.WaitOne(pause);
                        stoppingToken.ThrowIfCancellationRequested();
                        pause = pause * 2 < LastRetry ? pause * 2 : LastRetry;
                    }
                }

                CollectMove();
                if (moving is null && (unmoved.Count >= MoveAt || Stopwatch.GetElapsedTime(lastMoveAt) >= MoveEvery))
                {
                    StartMove();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what is queued still becomes durable and reaches the table, unless it cannot be written at all.
        Drain(reader, batch);
        while (batch.Count > 0 && TryWrite(batch))
        {
            Drain(reader, batch);
        }

        CollectMove(wait: true);
        for (var attempt = 0; attempt < 2 && (rotated is not null || unmoved.Count > 0); attempt++)
        {
            StartMove();
            CollectMove(wait: true);
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
        journal?.Dispose();
        journal = null;
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

    /// <summary>
    /// Opens the database and the journal, checks the numbering, and moves the rows a crash left in the journal (those
    /// numbered past the table's counter; a crash between a move's commit and the rotated journal's deletion leaves rows
    /// that are already in the table, and they are skipped).
    /// </summary>
    private void Open()
    {
        if (journal is not null)
        {
            return;
        }

        scope ??= scopes.CreateAsyncScope();
        connection ??= scope.Value.ServiceProvider.GetRequiredService<DuckDBConnection>();
        var counters = Convert.ToInt64(connection.Scalar("SELECT count(*) FROM passport.access_decision_sequence"), CultureInfo.InvariantCulture);
        if (counters != 1)
        {
            throw new AuditSequenceException($"passport.access_decision_sequence holds {counters} rows instead of one");
        }

        var counter = Convert.ToInt64(connection.Scalar("SELECT last_seq FROM passport.access_decision_sequence"), CultureInfo.InvariantCulture);
        var beyond = Convert.ToInt64(connection.Scalar(string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM passport.access_decisions WHERE seq > {counter}")), CultureInfo.InvariantCulture);
        if (beyond > 0)
        {
            throw new AuditSequenceException($"{beyond} audit rows hold numbers (seq) past passport.access_decision_sequence; the counter was changed");
        }

        var left = AuditJournal.Read(dataDirectory).Where(row => row.Seq > counter).ToList();
        movedThrough = counter;
        var opened = new AuditJournal(dataDirectory);
        if (left.Count > 0 && !Move(left))
        {
            opened.Dispose();
            throw new AuditSequenceException("the rows left in the audit journal could not be moved into the table");
        }

        opened.DeleteMoving();
        opened.Clear();
        journal = opened;
        lastSeq = movedThrough;
        if (left.Count > 0)
        {
            Log.JournalRecovered(logger, left.Count);
        }
    }

    /// <summary>Numbers the batch and appends it to the journal; on success clears it, on failure keeps it for the next try.</summary>
    private bool TryWrite(List<AccessAudit.Pending> batch)
    {
        if (batch.Count == 0)
        {
            return true;
        }

        var rows = batch.Sum(item => item.Entries.Count);
        try
        {
            Open();
            var seq = lastSeq;
            var numbered = batch.SelectMany(item => item.Entries).Select(entry => Row(++seq, entry)).ToList();
            journal!.Append(numbered);
            lastSeq = seq;
            unmoved.AddRange(numbered);
        }
        catch (Exception ex) when (ex is DuckDBException or AuditSequenceException or IOException or InvalidDataException or UnauthorizedAccessException)
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
    /// Rotates the journal (unless an earlier rotation's rows still wait: they are retried first) and moves the rotated
    /// rows into the table in the background.
    /// </summary>
    private void StartMove()
    {
        lastMoveAt = Stopwatch.GetTimestamp();
        if (journal is null)
        {
            return;
        }

        if (rotated is null)
        {
            if (unmoved.Count == 0)
            {
                return;
            }

            try
            {
                journal.Rotate();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // The rows stay durable in the journal; the next move tries again.
                audit.MoveProblem = (ex.Message, unmoved.Count);
                return;
            }

            rotated = unmoved;
            unmoved = [];
        }

        var rows = rotated;
        // On a thread of its own: the move blocks in DuckDB for tens of milliseconds, which on a pool thread of a
        // 2-core machine holds up the requests queued behind it (p99 108 ms in the mixed load).
        moving = Task.Factory.StartNew(() => Move(rows), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Takes the finished move's result (waiting for it when asked): its rotated rows are done, or kept to be retried.</summary>
    private void CollectMove(bool wait = false)
    {
        if (moving is null || (!wait && !moving.IsCompleted))
        {
            return;
        }

        if (moving.GetAwaiter().GetResult())
        {
            rotated = null;
            try
            {
                journal?.DeleteMoving();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Its rows are in the table: the next start skips them, and the next rotation waits for the file to go.
                audit.MoveProblem = (ex.Message, 0);
            }
        }

        moving = null;
    }

    /// <summary>Commits the rows into the table in one transaction (run by one move at a time).</summary>
    private bool Move(List<AuditRow> rows)
    {
        if (rows.Count == 0 || connection is null)
        {
            return true;
        }

        var through = rows[^1].Seq;
        if (through <= movedThrough)
        {
            // Already committed (a move collected late): committing again would count its rows twice.
            return true;
        }

        try
        {
            using (var transaction = connection.BeginTransaction())
            {
                // Compare and set: a counter moved by anyone else fails this move instead of numbering two rows alike.
                var claimed = connection.Scalar(string.Create(CultureInfo.InvariantCulture,
                    $"UPDATE passport.access_decision_sequence SET last_seq = {through} WHERE last_seq = {movedThrough} RETURNING last_seq"));
                if (claimed is not long)
                {
                    throw new AuditSequenceException($"passport.access_decision_sequence no longer holds {movedThrough}: another writer appended audit rows");
                }

                using (var appender = connection.CreateAppender("passport", "access_decisions"))
                {
                    foreach (var row in rows)
                    {
                        AuditRowAppender.Append(appender, row);
                    }
                }

                transaction.Commit();
            }

            movedThrough = through;
            audit.MoveProblem = null;
            if (moveFailing)
            {
                moveFailing = false;
                Log.MoveRecovered(logger);
            }

            return true;
        }
        catch (Exception ex) when (ex is DuckDBException or AuditSequenceException)
        {
            // The rows stay durable in the rotated journal; the next move tries again.
            audit.MoveProblem = (ex.Message, rows.Count);
            if (!moveFailing)
            {
                moveFailing = true;
                Log.MoveFailed(logger, rows.Count, ex.Message);
            }

            return false;
        }
    }

    private static AuditRow Row(long seq, AuditEntry entry) => new(
        seq, entry.DecidedAt, entry.RequestId, entry.Subject, entry.Issuer, entry.ClientAddress, entry.Resource, entry.DatasetId, entry.Allowed,
        entry.Access, entry.Reason, entry.Ticket, entry.Details?.Query, entry.Details?.Returned, entry.Details?.Adjustments, entry.Details?.Cost ?? 0);

    private static partial class Log
    {
        [LoggerMessage(EventId = 7130, Level = LogLevel.Error,
            Message = "Could not record {Count} access decisions in the audit journal ({Problem}); keeping them and retrying, requests wait meanwhile")]
        public static partial void AuditWriteFailed(ILogger logger, int count, string problem);

        [LoggerMessage(EventId = 7131, Level = LogLevel.Information, Message = "The audit is written again; {Count} waiting access decisions recorded")]
        public static partial void AuditRecovered(ILogger logger, int count);

        [LoggerMessage(EventId = 7132, Level = LogLevel.Critical, Message = "Stopping with {Count} access decisions that could not be written to the audit")]
        public static partial void AuditLostAtShutdown(ILogger logger, long count);

        [LoggerMessage(EventId = 7133, Level = LogLevel.Warning,
            Message = "Could not move {Count} journaled access decisions into the audit table ({Problem}); they stay in the journal, retrying")]
        public static partial void MoveFailed(ILogger logger, int count, string problem);

        [LoggerMessage(EventId = 7134, Level = LogLevel.Information, Message = "Journaled access decisions are moved into the audit table again")]
        public static partial void MoveRecovered(ILogger logger);

        [LoggerMessage(EventId = 7135, Level = LogLevel.Information, Message = "Moved {Count} access decisions a stop left in the audit journal into the audit table")]
        public static partial void JournalRecovered(ILogger logger, int count);
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
                $"the audit cannot be written since {failure.Since:yyyy-MM-ddTHH:mm:ssZ}; {audit.Backlog} decisions wait; requests are refused")
            : audit.MoveProblem is { } move
            ? HealthCheckResult.Degraded(
                $"{move.Rows} decisions are durable in the audit journal but cannot be moved into the audit table ({move.Reason}); retrying")
            : HealthCheckResult.Healthy($"{audit.Backlog} decisions waiting to be written"));
}

internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        options.MaxWait > TimeSpan.Zero && options.MaxWait <= TimeSpan.FromMinutes(5)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AuditOptions.Section}:MaxWait must be more than 0 and at most 00:05:00 (got {options.MaxWait})");
}
