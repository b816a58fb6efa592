using System.CommandLine;
using DuckDB.NET.Data;
using GenomeNode.Host.Admin;
using GenomeNode.Host.Hosting;
using GenomeNode.Storage;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Cli;

/// <summary>
/// The <c>genome-node</c> command tree, the contract operators and scripts rely on: exit code 0 on success, non-zero
/// with a one-line reason on stderr otherwise.
/// </summary>
public static class NodeCommandLine
{
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        // Before any command creates a file: the data directory and everything in it stay owner-only.
        OwnerOnly.RestrictProcessUmask();
        if (IsTestHostLaunch(args))
        {
            // WebApplicationFactory starts the entry point with host settings only (--key=value): serve with them.
            return await ServeCommand.RunAsync(args, new Dictionary<string, string?>(), error, CancellationToken.None);
        }

        var root = Build(error);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            await error.WriteLineAsync($"error: {OneLine(parseResult.Errors[0].Message)} (see '{CommandPath(parseResult)} --help')");
            return UsageError;
        }

        // serve leaves SIGINT/SIGTERM to the host, which shuts down gracefully.
        return await parseResult.InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null });
    }

    public static RootCommand Build(TextWriter error)
    {
        var data = new Option<string>("--data")
        {
            Description = $"Data directory holding node.duckdb (default: ${DataDirectory.EnvironmentVariable} or ./{DataDirectory.DefaultPath})",
            HelpName = "DIR",
            Recursive = true,
            DefaultValueFactory = _ => DataDirectory.Default(),
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Console log format: plain or json",
            HelpName = "FORMAT",
            Recursive = true,
        };
        logFormat.AcceptOnlyFromAmong([.. NodeOptionsValidator.LogFormats]);

        var globals = new GlobalOptions(data, logFormat);
        var root = new RootCommand(
            "genome-node: a GA4GH data-access node (Beacon v2, htsget, Passport, DUO) backed by DuckDB.")
        {
            data,
            logFormat,
            ServeCommand.Create(globals, error),
            DatasetCommands.Create(globals),
            OntologyCommands.Create(globals),
            RegisterCommands.Create(globals),
            IngestCommands.Create(globals),
            AuditCommands.Create(globals),
            CommitteeCommands.Create(globals),
            KeyCommands.Create(globals),
            HealthCommand.Create(),
        };
        return root;
    }

    /// <summary>Runs an operation in the serving node if there is one, else directly on the data directory.</summary>
    /// <param name="runLocally">
    /// How to run it without a serving node, given the data directory, if not through the node's services
    /// (<see cref="LocalOperationRunner"/>).
    /// </param>
    internal static async Task<int> RunOperationAsync(
        ParseResult parseResult, GlobalOptions globals, string operation, object arguments, CancellationToken cancellationToken,
        Func<string, CancellationToken, Task<OperationResult>>? runLocally = null)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var dataDirectory = Path.GetFullPath(parseResult.GetRequiredValue(globals.Data));
        OperationResult result;
        try
        {
            result = await AdminClient.TryExecuteAsync(dataDirectory, operation, arguments, cancellationToken)
                ?? await (runLocally?.Invoke(dataDirectory, cancellationToken) ?? LocalOperationRunner.ExecuteAsync(
                    dataDirectory, globals.ConfigurationArgs(parseResult), operation, arguments, cancellationToken));
        }
        catch (Exception ex) when (DescribeFailure(ex) is { } reason)
        {
            result = OperationResult.Fail(reason);
        }
        catch (DuckDBException ex) when (NodeDatabase.DescribeDamage(Path.Combine(dataDirectory, NodeDatabase.FileName), ex) is { } damage)
        {
            // A damaged block the operation itself read, past the ones opening the database reads.
            result = OperationResult.Fail(damage);
        }

        if (result.Output.Length > 0)
        {
            await output.WriteLineAsync(result.Output);
        }

        if (result.ExitCode != 0)
        {
            await error.WriteLineAsync($"error: {OneLine(result.Error ?? "failed")}");
        }

        return result.ExitCode;
    }

    /// <summary>
    /// Runs a read-only operation call after call (the pages of an export) until <paramref name="nextPage"/>, which
    /// writes each result, returns no further arguments: in the serving node if there is one, else on the data
    /// directory opened once, read-only. A failure ends the command with its one-line reason.
    /// </summary>
    internal static async Task<int> RunPagesAsync(
        ParseResult parseResult, GlobalOptions globals, string operation, object firstPage, Func<OperationResult, Task<object?>> nextPage,
        CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        var dataDirectory = Path.GetFullPath(parseResult.GetRequiredValue(globals.Data));
        LocalOperationRunner? local = null;
        string? failure = null;
        try
        {
            var servedByNode = (bool?)null;
            for (var arguments = firstPage; ;)
            {
                OperationResult? result = null;
                if (servedByNode is null or true)
                {
                    result = await AdminClient.TryExecuteAsync(dataDirectory, operation, arguments, cancellationToken);
                    if (result is null && servedByNode == true)
                    {
                        failure = $"the node serving {dataDirectory} stopped during the command; run it again";
                        break;
                    }

                    servedByNode = result is not null;
                }

                if (result is null)
                {
                    local ??= LocalOperationRunner.Open(dataDirectory, globals.ConfigurationArgs(parseResult), readOnly: true);
                    result = await local.RunAsync(operation, arguments, cancellationToken);
                }

                if (result.ExitCode != 0)
                {
                    failure = result.Error ?? "failed";
                    break;
                }

                if (await nextPage(result) is not { } next)
                {
                    break;
                }

                arguments = next;
            }
        }
        catch (Exception ex) when (DescribeFailure(ex) is { } reason)
        {
            failure = reason;
        }
        catch (DuckDBException ex) when (NodeDatabase.DescribeDamage(Path.Combine(dataDirectory, NodeDatabase.FileName), ex) is { } damage)
        {
            failure = damage;
        }
        finally
        {
            local?.Dispose();
        }

        if (failure is null)
        {
            return 0;
        }

        await error.WriteLineAsync($"error: {OneLine(failure)}");
        return OperationResult.Failed;
    }

    /// <summary>One line for the failures an operator can act on; null for bugs, which keep their stack trace.</summary>
    internal static string? DescribeFailure(Exception exception) => exception switch
    {
        NodeStorageException storage => storage.Message,
        OptionsValidationException options => $"invalid configuration: {string.Join("; ", options.Failures)}",
        // The configuration binder names the key and the value it could not convert.
        InvalidOperationException { InnerException: FormatException or InvalidCastException or OverflowException } binding
            => $"invalid configuration: {binding.Message}",
        InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
            => $"invalid configuration: {binding.Message}",
        // Kestrel's "Failed to bind to address ...: address already in use." and file system refusals.
        IOException io => io.Message,
        _ => null,
    };

    private static bool IsTestHostLaunch(string[] args) =>
        args.Length > 0 && args.All(arg => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
        && args.Any(arg => arg.StartsWith("--applicationName=", StringComparison.OrdinalIgnoreCase));

    /// <summary>Folds a multi-line message onto one line, so scripts can show or grep it whole.</summary>
    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new Stack<string>();
        for (var result = parseResult.CommandResult as System.CommandLine.Parsing.SymbolResult; result is not null; result = result.Parent)
        {
            if (result is System.CommandLine.Parsing.CommandResult command)
            {
                names.Push(command.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}

/// <summary>Options every command takes.</summary>
internal sealed record GlobalOptions(Option<string> Data, Option<string> LogFormat)
{
    /// <summary>Values of the global options as configuration keys, which win over every other source.</summary>
    public Dictionary<string, string?> Overrides(ParseResult parseResult)
    {
        var overrides = new Dictionary<string, string?>
        {
            [$"{NodeOptions.Section}:DataDirectory"] = Path.GetFullPath(parseResult.GetRequiredValue(Data)),
        };
        if (parseResult.GetValue(LogFormat) is { } format)
        {
            overrides[$"{NodeOptions.Section}:LogFormat"] = format;
        }

        return overrides;
    }

    /// <summary>The global options in ASP.NET Core's command-line configuration form.</summary>
    public string[] ConfigurationArgs(ParseResult parseResult) =>
        [.. Overrides(parseResult).Select(pair => $"--{pair.Key}={pair.Value}")];
}
