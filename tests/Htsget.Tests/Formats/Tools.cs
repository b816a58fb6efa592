using System.Diagnostics;
using System.Text;

namespace GenomeNode.Htsget.Tests.Formats;

/// <summary>Runs samtools, bcftools, tabix and bgzip as the oracles the format layer is checked against.</summary>
internal static class Tools
{
    /// <summary>Runs a tool and returns its standard output as text; fails the test when it exits non-zero.</summary>
    public static string Run(string program, params string[] arguments) =>
        Encoding.UTF8.GetString(RunBytes(program, arguments));

    /// <summary>Standard output split into lines, without empty ones.</summary>
    public static string[] Lines(string program, params string[] arguments) =>
        Run(program, arguments).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static byte[] RunBytes(string program, params string[] arguments)
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

        // CRAM decoding must use the reference given with -T, never fetch one over the network.
        start.Environment["REF_PATH"] = "/nonexistent";
        start.Environment["REF_CACHE"] = "/nonexistent";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        }

        return output.ToArray();
    }
}
