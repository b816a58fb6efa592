using System.CommandLine;
using System.Globalization;
using GenomeNode.Beacon.Import;
using GenomeNode.Host.Admin;
using Spectre.Console;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node ingest bff|fhir|phenopacket</c>: clinical and Beacon data from the formats other systems produce.</summary>
internal static class ImportCommands
{
    public static IEnumerable<Command> Create(GlobalOptions globals) =>
    [
        Create(globals, "bff",
            "Import Beacon-Friendly Format JSON (a directory or file of datasets.json, cohorts.json, individuals.json, biosamples.json, " +
            "runs.json, analyses.json, genomicVariations.json), each validated against the Beacon v2 model."),
        Create(globals, "fhir",
            "Import FHIR R4 JSON: a Bundle, or NDJSON bulk-export files (a directory or file) of Patient, Condition, Observation, " +
            "Specimen, Procedure and FamilyMemberHistory, mapped onto individuals and biosamples (docs/fhir-mapping.md)."),
        Create(globals, "phenopacket",
            "Import GA4GH Phenopackets v2 JSON (a file or a directory of them): subject, phenotypic features, diseases, biosamples, measurements."),
    ];

    private static Command Create(GlobalOptions globals, string format, string description)
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset the entries belong to", Required = true, HelpName = "ID" };
        var lenient = new Option<bool>("--lenient")
        {
            Description = "Accept the harmless deviations of real exports that docs/clinical-import.md lists, each reported as a warning",
        };
        var path = new Argument<FileSystemInfo>("PATH") { Description = "A file, or a directory of files" };
        path.AcceptExistingOnly();
        var command = new Command(format, description + " One transaction: an error names file:line or the JSON path and nothing is stored.")
        {
            dataset, lenient, path,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var arguments = new ClinicalImportArguments(parseResult.GetRequiredValue(dataset), format,
                parseResult.GetRequiredValue(path).FullName, parseResult.GetValue(lenient));
            if (Console.IsErrorRedirected)
            {
                return await NodeCommandLine.RunOperationAsync(parseResult, globals, ClinicalImportOperations.Import, arguments, cancellationToken);
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            var exitCode = 0;
            await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Path.GetFileName(arguments.Path), maxValue: 1.0);
                    ClinicalImportOperations.ProgressSink.Value = new Progress(value =>
                    {
                        task.Value = value.TotalBytes > 0 ? Math.Min(1.0, (double)value.BytesRead / value.TotalBytes) : 0;
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(value.File)}: {value.Documents:N0} documents");
                    });
                    exitCode = await NodeCommandLine.RunOperationAsync(parseResult, globals, ClinicalImportOperations.Import, arguments, cancellationToken);
                });
            return exitCode;
        });
        return command;
    }

    /// <summary>Calls back synchronously on the reporting thread.</summary>
    private sealed class Progress(Action<ClinicalImportProgress> report) : IProgress<ClinicalImportProgress>
    {
        public void Report(ClinicalImportProgress value) => report(value);
    }
}
