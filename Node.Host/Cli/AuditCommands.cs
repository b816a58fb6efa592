using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using GenomeNode.Host.Admin;
using GenomeNode.Passport.Access;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node audit export|summary</c>: the audit trail for the data access committee and the data protection officer.</summary>
internal static class AuditCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("audit", "Read the audit trail: who asked what, and what they were answered. Reads only; works while a node serves.")
        {
            CreateExport(globals),
            CreateSummary(globals),
        };

    private static Command CreateExport(GlobalOptions globals)
    {
        var since = TimeOption("--since", "Export rows decided at or after T (ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00:00Z; UTC unless an offset is given)");
        since.Required = true;
        var until = TimeOption("--until", "Export rows decided before T (exclusive; default: everything recorded when the export starts)");
        var format = new Option<string>("--format")
        {
            Description = "csv (RFC 4180, a header row) or jsonl (one JSON object per line)",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var command = new Command("export",
            "Print the audit rows of a period to stdout in the order they were recorded: time (UTC), request, identity, client, resource, dataset, decision, query, what was returned, adjustments, cost.")
        {
            since, until, format,
        };
        command.Validators.Add(result => CheckPeriod(result, since, until));
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var csv = parseResult.GetRequiredValue(format) == "csv";
            // Required, and parsed by ParseTime: a missing or malformed --since never gets here.
            var from = parseResult.GetValue(since) ?? throw new InvalidOperationException("--since is required");
            var to = parseResult.GetValue(until);
            var first = true;
            return NodeCommandLine.RunPagesAsync(
                parseResult, globals, AuditOperations.Export,
                new AuditExportArguments(from, to, 0, null),
                async result =>
                {
                    var page = JsonSerializer.Deserialize<AuditPage>(result.Output, NodeOperations.Json)
                        ?? throw new JsonException("an empty page of the audit export");
                    // The header once the first page came: a command that fails at once prints nothing on stdout.
                    await output.WriteAsync((csv && first ? AuditExportFormat.CsvHeader : "")
                        + (csv ? AuditExportFormat.Csv(page.Rows) : AuditExportFormat.JsonLines(page.Rows)));
                    first = false;
                    return page.More
                        ? new AuditExportArguments(from, to, page.LastSeq, page.Through)
                        : null;
                },
                cancellationToken);
        });
        return command;
    }

    private static Command CreateSummary(GlobalOptions globals)
    {
        var since = TimeOption("--since", "Count rows decided at or after T (ISO 8601; default: the first)");
        var until = TimeOption("--until", "Count rows decided before T (exclusive; default: now)");
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table" };
        var command = new Command("summary",
            "Per identity (a passport's subject and issuer, else the client address) and dataset: requests decided, allowed and refused, and query budget used.")
        {
            since, until, json,
        };
        command.Validators.Add(result => CheckPeriod(result, since, until));
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, AuditOperations.Summary,
            new AuditSummaryArguments(parseResult.GetValue(since), parseResult.GetValue(until), parseResult.GetValue(json)),
            cancellationToken));
        return command;
    }

    private static Option<DateTimeOffset?> TimeOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "T",
        CustomParser = ParseTime,
    };

    private static DateTimeOffset? ParseTime(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (AuditTime.TryParse(text, out var time))
        {
            return time;
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : "time";
        result.AddError($"{name}: '{text}' is not an ISO 8601 time; write e.g. 2026-12-01, 2026-12-01T08:00:00Z or 2026-12-01T10:00:00+02:00");
        return null;
    }

    private static void CheckPeriod(CommandResult result, Option<DateTimeOffset?> since, Option<DateTimeOffset?> until)
    {
        if (Given(result, since) is { } from && Given(result, until) is { } to && to <= from)
        {
            result.AddError($"--until ({AuditExportFormat.Time(to)}) must be later than --since ({AuditExportFormat.Time(from)})");
        }
    }

    // The option's time when it was given and is valid (a malformed one already has its own error).
    private static DateTimeOffset? Given(CommandResult result, Option<DateTimeOffset?> option) =>
        result.GetResult(option) is { Tokens: [.., var token] } && AuditTime.TryParse(token.Value, out var time) ? time : null;
}

/// <summary>The times the audit commands take: ISO 8601 dates and times, UTC unless they carry an offset.</summary>
internal static class AuditTime
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryParse(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
