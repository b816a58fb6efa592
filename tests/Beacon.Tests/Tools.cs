using System.Diagnostics;

namespace GenomeNode.Beacon.Tests;

/// <summary>Runs bcftools, bgzip and python3: the oracles and the synthetic data generator.</summary>
internal static class Tools
{
    /// <summary>Runs a shell pipeline and returns its standard output; fails the test when it exits non-zero.</summary>
    public static string Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} exited with {process.ExitCode}: {stderr.Result}");
        }

        return output;
    }

    public static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Writes the synthetic VCF (bench/synthetic-vcf.py, fixed seed) bgzipped to <paramref name="path"/>.</summary>
    public static string SyntheticVcf(string path, int variants, int samples, int seed, bool annotated)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "bench", "synthetic-vcf.py");
        Shell($"python3 {Quote(script)} {variants} {samples} --seed {seed} --chromosomes 1,2,17,X {(annotated ? "--ann" : "")} | bgzip > {Quote(path)}");
        return path;
    }

    public static string PysamFile(string name) => Path.Combine("/usr/share/doc/python-pysam/tests", name);

    public static string HtslibFile(string name) => Path.Combine("/usr/share/htslib-test/test", name);

    public static string DemoVcf => Path.Combine(AppContext.BaseDirectory, "demo", "demo.vcf.gz");
}
