using System.Globalization;
using System.Text;
using System.Text.Json;
using GenomeNode.Passport.Access;

namespace GenomeNode.Host.Admin;

/// <summary>
/// One page of <c>audit export</c>: rows decided in [Since, Until) with <c>seq</c> after <see cref="AfterSeq"/> and at
/// most <see cref="Through"/> (null on the first page: the last row when the export begins).
/// </summary>
public sealed record AuditExportArguments(DateTimeOffset Since, DateTimeOffset? Until, long AfterSeq, long? Through, int PageSize = AuditTrail.DefaultPageSize);

public sealed record AuditSummaryArguments(DateTimeOffset? Since, DateTimeOffset? Until, bool Json);

/// <summary>
/// The <c>audit export|summary</c> operations over the Passport module's audit table. Both only read, so they run in
/// a serving node (whose database they may not open themselves) without waiting for any writer.
/// </summary>
internal static class AuditOperations
{
    public const string Export = "audit.export";
    public const string Summary = "audit.summary";

    /// <summary>A page of rows as JSON (<see cref="AuditPage"/>); the command formats them and asks for the next.</summary>
    public static Task<OperationResult> ExportAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<AuditExportArguments>(arguments);
        var pageSize = Math.Clamp(request.PageSize, 1, 10 * AuditTrail.DefaultPageSize);
        var page = services.GetRequiredService<AuditTrail>().Read(request.Since, request.Until, request.AfterSeq, request.Through, pageSize);
        return Task.FromResult(OperationResult.Ok(JsonSerializer.Serialize(page, NodeOperations.Json)));
    }

    public static Task<OperationResult> SummaryAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<AuditSummaryArguments>(arguments);
        var rows = services.GetRequiredService<AuditTrail>().Summarize(request.Since, request.Until);
        if (request.Json)
        {
            var json = rows.Select(row => new
            {
                subject = row.Subject,
                issuer = row.Issuer,
                client = row.ClientAddress,
                dataset = row.DatasetId,
                queries = row.Queries,
                allowed = row.Allowed,
                refused = row.Refused,
                budgetUsed = row.Cost,
            });
            return Task.FromResult(OperationResult.Ok(JsonSerializer.Serialize(json, NodeOperations.Json)));
        }

        return Task.FromResult(OperationResult.Ok(FormatSummary(rows)));
    }

    /// <summary>Who an identity is in the summary: a passport's subject and issuer, else the address the requests came from.</summary>
    public static string Identity(string? subject, string? issuer, string? client) =>
        subject is not null ? $"{subject} ({issuer})" : client ?? "unknown client";

    private static string FormatSummary(IReadOnlyList<AuditSummaryRow> rows)
    {
        if (rows.Count == 0)
        {
            return "no audited requests in this period";
        }

        string[] header = ["IDENTITY", "DATASET", "QUERIES", "ALLOWED", "REFUSED", "BUDGET USED"];
        var cells = rows.Select(row => new[]
        {
            Identity(row.Subject, row.Issuer, row.ClientAddress),
            row.DatasetId,
            row.Queries.ToString(CultureInfo.InvariantCulture),
            row.Allowed.ToString(CultureInfo.InvariantCulture),
            row.Refused.ToString(CultureInfo.InvariantCulture),
            row.Cost.ToString("0.###", CultureInfo.InvariantCulture),
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => cells.Max(row => row[column].Length)).ToArray();
        var table = new StringBuilder();
        foreach (var row in cells)
        {
            // Text columns to the left, counts to the right.
            table.Append(row[0].PadRight(widths[0] + 2)).Append(row[1].PadRight(widths[1] + 2));
            for (var column = 2; column < header.Length; column++)
            {
                table.Append(row[column].PadLeft(widths[column])).Append(column < header.Length - 1 ? "  " : "\n");
            }
        }

        return table.ToString().TrimEnd('\n');
    }
}
