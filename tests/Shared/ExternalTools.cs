using System.Diagnostics;
using System.Text;

namespace GenomeNode.Tests;

/// <summary>
/// Runs the command-line tools the tests use as oracles and clients (samtools, bcftools, tabix, bgzip, sha256sum).
/// A tool that exits non-zero or hangs fails the test with its standard error.
/// </summary>
public static class ExternalTools
{
    /// <summary>
    /// Directory of reference sequences named by MD5 (htslib's REF_PATH); null: CRAM decoding uses only the
    /// reference given with -T and never fetches one.
    /// </summary>
    public static string? ReferencePath { get; set; }

    /// <summary>Standard output as text.</summary>
    public static string Run(string program, params string[] arguments) => Encoding.UTF8.GetString(RunBytes(program, arguments));

    /// <summary>Standard output split into lines, without empty ones.</summary>
    public static List<string> Lines(string program, params string[] arguments) =>
        [.. Run(program, arguments).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public static byte[] RunBytes(string program, params string[] arguments)
    {
        var (exitCode, output, error) = RunWithExitCode(program, null, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {exitCode}: {error}");
        }

        return output;
    }

    /// <summary>Runs a tool with extra environment variables; the exit code, standard output and standard error.</summary>
    public static (int ExitCode, byte[] Output, string Error) RunWithExitCode(
        string program, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["REF_PATH"] = ReferencePath is null ? "/nonexistent" : ReferencePath + "/%s";
        start.Environment["REF_CACHE"] = "/nonexistent";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish");
        }

        return (process.ExitCode, output.ToArray(), stderr.Result);
    }
}
