using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GenomeNode.Passport.Access;

namespace GenomeNode.Host.Cli;

/// <summary>
/// Audit rows as <c>audit export</c> prints them. Both formats carry the same columns under the same names, times in
/// UTC ISO 8601 with microseconds. CSV follows RFC 4180 (a header row, CRLF line ends, a field with a comma, quote or
/// line break in quotes with quotes doubled); an empty field is NULL and <c>""</c> an empty text. JSON Lines: one
/// object per line, NULL as null.
/// </summary>
internal static class AuditExportFormat
{
    private static readonly string[] Columns =
    [
        "seq", "decided_at", "request_id", "subject", "issuer", "client_address", "resource", "dataset_id", "allowed", "access",
        "reason", "ticket", "query", "returned", "adjustments", "cost",
    ];

    // Non-ASCII text stays readable; quotes, backslashes and control characters are still escaped.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string CsvHeader { get; } = string.Join(',', Columns) + "\r\n";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Csv(IEnumerable<AuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var fields = Fields(row);
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                AppendCsvField(text, fields[i]);
            }

            text.Append("\r\n");
        }

        return text.ToString();
    }

    public static string JsonLines(IEnumerable<AuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        foreach (var row in rows)
        {
            using (var json = new Utf8JsonWriter(buffer, JsonOptions))
            {
                json.WriteStartObject();
                json.WriteNumber("seq", row.Seq);
                json.WriteString("decided_at", Time(row.DecidedAt));
                json.WriteString("request_id", row.RequestId);
                json.WriteString("subject", row.Subject);
                json.WriteString("issuer", row.Issuer);
                json.WriteString("client_address", row.ClientAddress);
                json.WriteString("resource", row.Resource);
                json.WriteString("dataset_id", row.DatasetId);
                json.WriteBoolean("allowed", row.Allowed);
                json.WriteString("access", row.Access);
                json.WriteString("reason", row.Reason);
                json.WriteString("ticket", row.Ticket);
                json.WriteString("query", row.Query);
                json.WriteString("returned", row.Returned);
                json.WriteString("adjustments", row.Adjustments);
                json.WriteNumber("cost", row.Cost);
                json.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string?[] Fields(AuditRow row) =>
    [
        row.Seq.ToString(CultureInfo.InvariantCulture),
        Time(row.DecidedAt),
        row.RequestId,
        row.Subject,
        row.Issuer,
        row.ClientAddress,
        row.Resource,
        row.DatasetId,
        row.Allowed ? "true" : "false",
        row.Access,
        row.Reason,
        row.Ticket,
        row.Query,
        row.Returned,
        row.Adjustments,
        row.Cost.ToString("R", CultureInfo.InvariantCulture),
    ];

    private static void AppendCsvField(StringBuilder text, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > 0 && value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            text.Append(value);
            return;
        }

        text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
