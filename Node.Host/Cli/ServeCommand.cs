using System.CommandLine;
using GenomeNode.Host.Hosting;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node serve</c>: runs the node until SIGINT or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(GlobalOptions globals, TextWriter error)
    {
        var urls = new Option<string>("--urls")
        {
            Description = $"Addresses to listen on, separated by ';' (default: $ASPNETCORE_URLS or {NodeWebApp.DefaultUrl})",
            HelpName = "URL",
        };
        var command = new Command("serve",
            "Run the node: Beacon, htsget and the other APIs over HTTP, on the data directory's database. " +
            "With no datasets it serves a built-in synthetic demo. Further settings as --Section:Key=value.")
        {
            urls,
        };
        // Unknown tokens are configuration (--Beacon:BeaconId=...), as ASP.NET Core reads its command line.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) =>
        {
            var overrides = globals.Overrides(parseResult);
            if (parseResult.GetValue(urls) is { } explicitUrls)
            {
                overrides["urls"] = explicitUrls;
            }

            return RunAsync([.. parseResult.UnmatchedTokens], overrides, error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        string[] configurationArgs, IReadOnlyDictionary<string, string?> overrides, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = NodeWebApp.Build(configurationArgs, overrides);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is not HostAbortedException && NodeCommandLine.DescribeFailure(ex) is { } reason)
        {
            await error.WriteLineAsync($"error: {NodeCommandLine.OneLine(reason)}");
            return 1;
        }
    }
}
