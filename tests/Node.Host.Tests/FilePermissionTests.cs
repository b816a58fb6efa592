using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>The data directory is the node's account's alone: 0700 directories, 0600 files, whoever wrote them.</summary>
public sealed class FilePermissionTests : IDisposable
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TemporaryDirectory root = new("genome-node-modes");

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task Everything_serve_writes_in_a_fresh_data_directory_is_owner_only()
    {
        var data = root.Combine("new", "data");
        await using var node = await ServingNode.StartAsync(data);
        // A ticket creates the signing key; a command handed to the node writes through DuckDB's write-ahead log.
        using (var http = new HttpClient { BaseAddress = node.BaseAddress })
        using (var ticket = await http.GetAsync(new Uri("/htsget/reads/demo-reads?referenceName=chr17&start=43044000&end=43045000", UriKind.Relative)))
        {
            Assert.True(ticket.IsSuccessStatusCode, await ticket.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "live", "--name", "Live", "--tier", "public", "--data", data)).ExitCode);

        var whileServing = Modes(data);
        Assert.Contains("admin.json", whileServing.Keys);
        Assert.Contains("node.duckdb.wal", whileServing.Keys);
        Assert.Contains("htsget-signing.key", whileServing.Keys);
        Assert.Contains(Path.Combine("demo", "demo.bam"), whileServing.Keys);
        AssertOwnerOnly(data, whileServing);
        Assert.Equal(0, await node.StopAsync());
        AssertOwnerOnly(data, Modes(data));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(root.Combine("new")));
    }

    [Fact]
    public async Task Everything_cli_commands_write_in_a_fresh_data_directory_is_owner_only()
    {
        var data = root.Combine("data");
        var vcf = Path.Combine(HostEndpointsTests.RepositoryRoot(), "Node.Host", "Demo", "data", "demo.vcf.gz");

        var add = await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "controlled", "--data", data);
        var ingest = await GenomeNodeProcess.RunAsync("ingest", "vcf", "--dataset", "cohort", vcf, "--data", data);

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(ingest.ExitCode == 0, ingest.ToString());
        var modes = Modes(data);
        Assert.Contains("node.duckdb", modes.Keys);
        AssertOwnerOnly(data, modes);
    }

    [Fact]
    public async Task Serve_warns_about_data_others_can_read_and_leaves_its_mode_to_the_operator()
    {
        var data = root.Combine("data");
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "kept", "--name", "Kept", "--tier", "public", "--data", data)).ExitCode);
        var database = Path.Combine(data, "node.duckdb");
        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(database, readable);
        File.SetUnixFileMode(data, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await using var node = await ServingNode.StartAsync(data);
        await node.StopAsync();

        var warnings = node.Log.Split('\n').Where(line => line.Contains("is open to other users of this host", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, line => line.Contains($"Data file {database} is open to other users of this host (mode 0644)", StringComparison.Ordinal)
            && line.Contains($"run chmod go-rwx '{database}'", StringComparison.Ordinal));
        Assert.Contains(warnings, line => line.Contains($"Data directory {data} is open to other users of this host (mode 0755)", StringComparison.Ordinal)
            && line.Contains($"run chmod go-rwx '{data}'", StringComparison.Ordinal));
        Assert.Equal(readable, File.GetUnixFileMode(database));
    }

    /// <summary>Every entry under <paramref name="data"/>, by its relative path, with its mode.</summary>
    private static Dictionary<string, UnixFileMode> Modes(string data) =>
        new DirectoryInfo(data).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToDictionary(entry => Path.GetRelativePath(data, entry.FullName), entry => entry.UnixFileMode);

    private static void AssertOwnerOnly(string data, Dictionary<string, UnixFileMode> modes)
    {
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(data));
        Assert.All(modes, entry => Assert.True(
            entry.Value == (Directory.Exists(Path.Combine(data, entry.Key)) ? OwnerOnlyDirectory : OwnerOnlyFile),
            $"{entry.Key} has mode {Convert.ToString((int)entry.Value, 8)}"));
    }
}
