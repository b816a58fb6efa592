using System.CommandLine;
using System.Globalization;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Beacon.Variants;
using GenomeNode.Host.Admin;
using Spectre.Console;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node ingest vcf</c>.</summary>
internal static class IngestCommands
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("ingest", "Load data into a dataset for Beacon queries: VCFs, and clinical data as BFF, FHIR R4 or Phenopackets.")
        {
            CreateVcf(globals),
        };
        foreach (var import in ImportCommands.Create(globals))
        {
            command.Subcommands.Add(import);
        }

        return command;
    }

    private static Command CreateVcf(GlobalOptions globals)
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset the variants belong to", Required = true, HelpName = "ID" };
        var assembly = new Option<string>("--assembly")
        {
            Description = "Reference assembly of the VCF: GRCh38 (hg38) or GRCh37 (hg19)",
            HelpName = "ASSEMBLY",
            DefaultValueFactory = _ => ReferenceNames.GRCh38,
        };
        var file = new Argument<FileInfo>("FILE") { Description = "VCF file, plain or bgzipped, any number of samples" };
        file.AcceptExistingOnly();
        var command = new Command("vcf",
            "Ingest a VCF: multi-allelic records split per ALT, alleles trimmed to a canonical form, genotypes stored as " +
            "carriers per allele, samples become the dataset's individuals. One transaction: a malformed line stops " +
            "the ingest with file:line and nothing is stored. Ingesting the same file again replaces it.")
        {
            dataset, assembly, file,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var arguments = new IngestVcfArguments(parseResult.GetRequiredValue(dataset), parseResult.GetRequiredValue(file).FullName,
                parseResult.GetRequiredValue(assembly));
            if (ReferenceNames.CanonicalAssembly(arguments.Assembly) is null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(
                    $"error: unknown assembly '{arguments.Assembly}': use one of {string.Join(", ", ReferenceNames.Assemblies)}");
                return NodeCommandLine.UsageError;
            }

            // Reading the file starts now, on the second core, while the host is built and the database opened; unused
            // when a serving node takes the ingest.
            using var prefetch = VcfPrefetch.Start(arguments.Path);
            IngestOperations.Prefetch.Value = prefetch;
            return Console.IsErrorRedirected
                ? await WithLogLines(parseResult, globals, arguments, cancellationToken)
                : await WithProgressBar(parseResult, globals, arguments, cancellationToken);
        });
        return command;
    }

    private static async Task<int> WithProgressBar(
        ParseResult parseResult, GlobalOptions globals, IngestVcfArguments arguments, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var exitCode = 0;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Path.GetFileName(arguments.Path), maxValue: 1.0);
                IngestOperations.ProgressSink.Value = new Progress(value =>
                {
                    task.Value = value.TotalBytes > 0 ? Math.Min(1.0, (double)value.BytesRead / value.TotalBytes) : 0;
                    task.Description = Describe(value);
                });
                exitCode = await NodeCommandLine.RunOperationAsync(
                    parseResult, globals, IngestOperations.Vcf, arguments, cancellationToken, RunLocally(arguments));
            });
        return exitCode;
    }

    private static async Task<int> WithLogLines(
        ParseResult parseResult, GlobalOptions globals, IngestVcfArguments arguments, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        var last = TimeSpan.Zero;
        IngestOperations.ProgressSink.Value = new Progress(value =>
        {
            if (value.Elapsed - last >= TimeSpan.FromSeconds(2))
            {
                last = value.Elapsed;
                error.WriteLine($"ingest: {Describe(value)}");
            }
        });
        return await NodeCommandLine.RunOperationAsync(
            parseResult, globals, IngestOperations.Vcf, arguments, cancellationToken, RunLocally(arguments));
    }

    private static Func<string, CancellationToken, Task<OperationResult>> RunLocally(IngestVcfArguments arguments) =>
        (dataDirectory, cancellationToken) => IngestOperations.IngestVcfLocallyAsync(dataDirectory, arguments, cancellationToken);

    private static string Describe(VcfIngestProgress value) => string.Create(CultureInfo.InvariantCulture,
        $"{value.Records:N0} records, {value.Variants:N0} variants, {(value.Elapsed.TotalSeconds > 0 ? value.Variants / value.Elapsed.TotalSeconds : 0):N0} variants/s");

    /// <summary>Calls back synchronously on the reporting thread (no synchronisation context hop per report).</summary>
    private sealed class Progress(Action<VcfIngestProgress> report) : IProgress<VcfIngestProgress>
    {
        public void Report(VcfIngestProgress value) => report(value);
    }
}
