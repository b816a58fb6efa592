using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// docs/operations.md is followed step by step: tests/operations/setup-from-nothing.sh runs every <c>sh</c> block of
/// the guide in order (clone, publish, configure, datasets, ingest, registration, keys, serve, queries, backup,
/// restore) on a fresh directory, and fails at the first command that fails.
/// </summary>
public sealed partial class OperationsGuideTests
{
    private static readonly string Root = HostEndpointsTests.RepositoryRoot();

    private static readonly string Guide = File.ReadAllText(Path.Combine(Root, "docs", "operations.md"));

    [Fact]
    public void Every_operation_the_guide_describes_is_in_a_block_the_script_runs()
    {
        var run = string.Join('\n', ShBlocks().Select(match => match.Groups[1].Value));
        foreach (var command in new[]
                 {
                     "git clone", "dotnet publish \"$SRC/Node.Host/Node.Host.csproj\" -c Release",
                     "install -d -m 0700 \"$GENOMENODE_DATA\"", "Passport__TrustedVisaIssuers__0__Issuer=",
                     "genome-node dataset add", "genome-node dataset use", "genome-node ingest vcf", "genome-node register reads",
                     "genome-node register variants", "genome-node keys rotate", "genome-node serve", "genome-node health",
                     "/api/g_variants?", "/htsget/reads/", "samtools view -c", "/metrics",
                     "tar -C \"$GENOMENODE_DATA\" -czf", "tar -C \"$GENOMENODE_DATA\" -xpzf", "kill -TERM \"$NODE_PID\"",
                 })
        {
            Assert.True(run.Contains(command, StringComparison.Ordinal), $"no sh block of docs/operations.md runs `{command}`");
        }

        foreach (var heading in new[] { "## Install", "## Configure", "## Datasets, ingest and registration", "## Keys", "## Run", "## Backup and restore", "## Upgrades" })
        {
            Assert.Contains($"\n{heading}", Guide, StringComparison.Ordinal);
        }

        // The script takes its commands from the guide and nowhere else.
        var script = File.ReadAllText(Path.Combine(Root, "tests", "operations", "setup-from-nothing.sh"));
        Assert.Contains("guide=\"$root/docs/operations.md\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("genome-node ", script.Split('\n').Where(line => !line.TrimStart().StartsWith('#')).Aggregate("", (all, line) => all + line + "\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operations_guide_sets_up_a_node_from_nothing()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Root, "tests", "operations", "setup-from-nothing.sh"), Root])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The node under test reads no developer settings.
        start.Environment.Remove("GENOMENODE_DATA");
        start.Environment.Remove("ASPNETCORE_URLS");
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(25));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit();
        var log = output.ToString();
        Assert.True(process.ExitCode == 0, log);
        Assert.Matches($"docs/operations.md: all {ShBlocks().Count} sh blocks ran", log);
    }

    private static List<Match> ShBlocks() => [.. ShBlock().Matches(Guide).Cast<Match>()];

    [GeneratedRegex(@"^```sh[ \t]*\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShBlock();
}
