using GenomeNode.Host.Cli;
using GenomeNode.Passport.Access;

namespace GenomeNode.Node.Host.Tests;

/// <summary>RFC 4180 CSV and JSON Lines of audit rows whose text holds what callers may send: commas, quotes, line breaks.</summary>
public sealed class AuditExportFormatTests
{
    private static readonly AuditRow Row = new(
        7, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(12_345_670), "0HN:1", null, "", "::1",
        "beacon:g_variants", "demo", false, "none", "token refused: \"a, b\"\r\nsecond line", null, "{\"geneId\":\"BRCA1\"}", "error", null, 0.25);

    [Fact]
    public void Csv_quotes_fields_with_commas_quotes_and_line_breaks_and_tells_null_from_empty_text()
    {
        var csv = AuditExportFormat.Csv([Row]);

        Assert.Equal(
            "7,2026-12-01T08:00:01.234567Z,0HN:1,,\"\",::1,beacon:g_variants,demo,false,none,\"token refused: \"\"a, b\"\"\r\nsecond line\",," +
            "\"{\"\"geneId\"\":\"\"BRCA1\"\"}\",error,,0.25\r\n",
            csv);
        Assert.Equal(AuditExportFormat.CsvHeader.TrimEnd().Split(','), AuditExportTests.ParseCsv(AuditExportFormat.CsvHeader)[0]);
        Assert.Equal(
            ["7", "2026-12-01T08:00:01.234567Z", "0HN:1", "", "", "::1", "beacon:g_variants", "demo", "false", "none",
                "token refused: \"a, b\"\r\nsecond line", "", "{\"geneId\":\"BRCA1\"}", "error", "", "0.25"],
            Assert.Single(AuditExportTests.ParseCsv(csv)));
    }

    [Fact]
    public void Json_lines_hold_one_object_per_row_with_nulls_and_escaped_line_breaks()
    {
        var jsonl = AuditExportFormat.JsonLines([Row, Row with { Seq = 8 }]);

        var lines = jsonl.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        var row = AuditExportTests.ParseJsonLines(jsonl)[0];
        Assert.Equal(
            ("7", "2026-12-01T08:00:01.234567Z", null, "", "token refused: \"a, b\"\r\nsecond line", "false", "0.25"),
            (row["seq"], row["decided_at"], row["subject"], row["issuer"], row["reason"], row["allowed"], row["cost"]));
    }
}
