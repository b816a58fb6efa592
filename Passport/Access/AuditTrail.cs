using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Passport.Access;

/// <summary>One row of <c>passport.access_decisions</c> as exported, <see cref="Seq"/> its place in the append order.</summary>
public sealed record AuditRow(
    long Seq, DateTimeOffset DecidedAt, string? RequestId, string? Subject, string? Issuer, string? ClientAddress, string Resource,
    string DatasetId, bool Allowed, string Access, string Reason, string? Ticket, string? Query, string? Returned, string? Adjustments,
    double Cost);

/// <summary>Appends audit rows in the columns' order of <c>passport.access_decisions</c> (and of tables made like it).</summary>
internal static class AuditRowAppender
{
    public static void Append(DuckDBAppender appender, AuditRow row) =>
        appender.CreateRow()
            .AppendValue(row.Seq)
            .AppendValue(row.DecidedAt.UtcDateTime)
            .AppendValue(row.RequestId)
            .AppendValue(row.Subject)
            .AppendValue(row.Issuer)
            .AppendValue(row.ClientAddress)
            .AppendValue(row.Resource)
            .AppendValue(row.DatasetId)
            .AppendValue(row.Allowed)
            .AppendValue(row.Access)
            .AppendValue(row.Reason)
            .AppendValue(row.Ticket)
            .AppendValue(row.Query)
            .AppendValue(row.Returned)
            .AppendValue(row.Adjustments)
            .AppendValue(row.Cost)
            .EndRow();
}

/// <summary>
/// Rows of an export, and where the next page starts: rows with <c>seq</c> after <see cref="LastSeq"/> up to
/// <see cref="Through"/>, the last row that existed when the export began.
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, long LastSeq, long Through, bool More);

/// <summary>
/// What one identity asked of one dataset in a period: an identity is a passport's (subject, issuer), else the client
/// address. <see cref="Cost"/> is the budget it used (the sum of the rows' cost).
/// </summary>
public sealed record AuditSummaryRow(
    string? Subject, string? Issuer, string? ClientAddress, string DatasetId, long Queries, long Allowed, long Refused, double Cost);

/// <summary>
/// Reads the audit table for the committee and the data protection officer: rows in the order they were appended
/// (by <c>seq</c>, page by page so that an export of any size needs little memory), and counts per identity and dataset.
/// Only reads: DuckDB answers from a snapshot, so this never waits for the audit writer, nor holds it up.
/// </summary>
/// <param name="dataDirectory">where the <see cref="AuditJournal"/> is, whose rows not moved into the table yet are read too</param>
public sealed class AuditTrail(DuckDBConnection connection, string? dataDirectory = null)
{
    /// <summary>Rows of a page, unless the caller asks for fewer.</summary>
    public const int DefaultPageSize = 2000;

    private const string DataFetch = "htsget:data/%";

    /// <summary>
    /// The rows decided in [<paramref name="since"/>, <paramref name="until"/>) whose <c>seq</c> lies after
    /// <paramref name="afterSeq"/> and at most at <paramref name="through"/> (null: the last row now), in append order.
    /// </summary>
    public AuditPage Read(DateTimeOffset since, DateTimeOffset? until, long afterSeq, long? through, int pageSize = DefaultPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        // The journal before the table's snapshot: rows moved in between are in the snapshot, the rest in what was read.
        var journal = Journal();
        using var transaction = connection.BeginTransaction();
        var journaled = StageJournal(journal);
        var last = through ?? Math.Max(journaled,
            Convert.ToInt64(connection.Scalar("SELECT last_seq FROM passport.access_decision_sequence") ?? 0L, CultureInfo.InvariantCulture));
        // The bounds are numbers, written as literals: with parameters DuckDB would not skip the row groups before the
        // page by their seq range, and every page would scan the table from its start.
        var rows = connection.Read(
            string.Create(CultureInfo.InvariantCulture, $"""
            WITH {AuditRows}
            SELECT seq, epoch_us(decided_at), request_id, subject, issuer, client_address, resource, dataset_id, allowed, access,
                   reason, ticket, query, returned, adjustments, cost
            FROM audit_rows
            WHERE seq > {afterSeq} AND seq <= {last}
              AND decided_at >= make_timestamptz({Microseconds(since)}) AND decided_at < make_timestamptz({Microseconds(until ?? DateTimeOffset.MaxValue)})
            ORDER BY seq
            LIMIT {pageSize + 1}
            """),
            ReadRow);
        var more = rows.Count > pageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new AuditPage(rows, rows.Count > 0 ? rows[^1].Seq : last, last, more);
    }

    /// <summary>
    /// Per identity and dataset, the rows decided in [<paramref name="since"/>, <paramref name="until"/>): how many, how
    /// many allowed and refused, and the budget used. A data URL carries no credentials; its fetches count for the
    /// identity its ticket was issued to.
    /// </summary>
    public IReadOnlyList<AuditSummaryRow> Summarize(DateTimeOffset? since, DateTimeOffset? until)
    {
        var journal = Journal();
        using var transaction = connection.BeginTransaction();
        StageJournal(journal);
        return connection.Read(
            $"""
            WITH {AuditRows},
            tickets AS (
                SELECT ticket, any_value(subject) AS subject, any_value(issuer) AS issuer, any_value(client_address) AS client_address
                FROM audit_rows
                WHERE ticket IS NOT NULL AND resource NOT LIKE $3
                GROUP BY ticket
            ),
            attributed AS (
                SELECT CASE WHEN t.ticket IS NULL THEN d.subject ELSE t.subject END AS subject,
                       CASE WHEN t.ticket IS NULL THEN d.issuer ELSE t.issuer END AS issuer,
                       CASE WHEN t.ticket IS NULL THEN d.client_address ELSE t.client_address END AS client_address,
                       d.dataset_id, d.allowed, d.cost
                FROM audit_rows d
                LEFT JOIN tickets t ON d.resource LIKE $3 AND t.ticket = d.ticket
                WHERE d.decided_at >= make_timestamptz($1::BIGINT) AND d.decided_at < make_timestamptz($2::BIGINT)
            )
            SELECT subject, issuer, CASE WHEN subject IS NULL THEN client_address END AS client, dataset_id,
                   count(*), count(*) FILTER (WHERE allowed), count(*) FILTER (WHERE NOT allowed), sum(cost)
            FROM attributed
            GROUP BY ALL
            ORDER BY subject NULLS LAST, issuer, client, dataset_id
            """,
            reader => new AuditSummaryRow(
                Text(reader, 0), Text(reader, 1), Text(reader, 2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.GetInt64(6), reader.GetDouble(7)),
            Microseconds(since ?? DateTimeOffset.MinValue), Microseconds(until ?? DateTimeOffset.MaxValue), DataFetch);
    }

    /// <summary>
    /// The table's rows and the journal's rows not in it yet (numbered past the counter), read in the same transaction:
    /// a move between reading the journal and the table leaves its rows in the table, counted once.
    /// </summary>
    private const string AuditRows = """
        audit_rows AS (
            SELECT * FROM passport.access_decisions
            UNION ALL
            SELECT * FROM temp.main.audit_journal WHERE seq > (SELECT last_seq FROM passport.access_decision_sequence)
        )
        """;

    /// <summary>
    /// Copies the journal's rows into a temporary table of this connection (also when the database is open read-only);
    /// returns the highest number in it (0: none).
    /// </summary>
    private IReadOnlyList<AuditRow> Journal() => dataDirectory is null ? [] : AuditJournal.Read(dataDirectory);

    private long StageJournal(IReadOnlyList<AuditRow> rows)
    {
        connection.Execute("CREATE OR REPLACE TEMP TABLE audit_journal AS SELECT * FROM passport.access_decisions LIMIT 0");
        using (var appender = connection.CreateAppender("temp", "main", "audit_journal"))
        {
            foreach (var row in rows)
            {
                AuditRowAppender.Append(appender, row);
            }
        }

        return rows.Count == 0 ? 0 : rows.Max(row => row.Seq);
    }

    private static AuditRow ReadRow(DbDataReader reader) => new(
        reader.GetInt64(0),
        DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(1) * (TimeSpan.TicksPerMillisecond / 1000)),
        Text(reader, 2),
        Text(reader, 3),
        Text(reader, 4),
        Text(reader, 5),
        reader.GetString(6),
        reader.GetString(7),
        reader.GetBoolean(8),
        reader.GetString(9),
        reader.GetString(10),
        Text(reader, 11),
        Text(reader, 12),
        Text(reader, 13),
        Text(reader, 14),
        reader.GetDouble(15));

    private static string? Text(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    // Microseconds since the epoch name an instant exactly, whatever the session's time zone.
    private static long Microseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000);
}
