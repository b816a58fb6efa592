using System.Diagnostics;
using System.Text;
using GenomeNode.Host.Admin;

namespace GenomeNode.Node.Host.Tests;

/// <summary>What a finished <c>genome-node</c> process left behind.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

/// <summary>Runs the real <c>genome-node</c> binary as operators and scripts do.</summary>
public static class GenomeNodeProcess
{
    private static readonly string Binary = Path.Combine(AppContext.BaseDirectory, "genome-node.dll");

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, (await output).Trim(), (await error).Trim());
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, args);

    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Binary);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A developer's own settings must not leak into the process under test.
        start.Environment.Remove("GENOMENODE_DATA");
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start genome-node");
    }
}

/// <summary>A <c>genome-node serve</c> process on loopback, stopped with SIGTERM as a service manager would.</summary>
public sealed class ServingNode : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private ServingNode(Process process, string dataDirectory)
    {
        this.process = process;
        DataDirectory = dataDirectory;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string DataDirectory { get; }

    public AdminChannel Channel { get; private set; } = null!;

    public Uri BaseAddress => new(Channel.PublicUrls[0]);

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public static async Task<ServingNode> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string>? environment = null, string urls = "http://127.0.0.1:0")
    {
        var node = new ServingNode(
            GenomeNodeProcess.Start(environment, "serve", "--data", dataDirectory, "--urls", urls),
            dataDirectory);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (node.process.HasExited)
            {
                throw new InvalidOperationException($"genome-node serve exited with {node.process.ExitCode}:\n{node.Log}");
            }

            if (AdminChannel.ReadFrom(dataDirectory) is { ProcessId: var pid } channel && pid == node.process.Id)
            {
                node.Channel = channel;
                return node;
            }

            await Task.Delay(100);
        }

        await node.DisposeAsync();
        throw new TimeoutException($"genome-node serve did not open its admin channel within 60 s:\n{node.Log}");
    }

    /// <summary>Sends SIGTERM and waits for a graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }

        return process.ExitCode;
    }

    /// <summary>Kills the node without letting it clean up, as a crash or power loss would.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }
}
