using System.Security.Cryptography;
using DuckDB.NET.Data;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>Commands that only read (<c>dataset list</c>, <c>ontology list</c>) never create, migrate or write a database.</summary>
public sealed class ReadOnlyCommandTests : IDisposable
{
    private readonly TemporaryDirectory root = new("genome-node-readonly");

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("dataset")]
    [InlineData("ontology")]
    public async Task A_mistyped_data_directory_is_no_node_and_nothing_is_created(string noun)
    {
        var typo = root.Combine("dtaa");

        var result = await GenomeNodeProcess.RunAsync(noun, "list", "--data", typo);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: no node at {typo} (no node.duckdb): check --data or $GENOMENODE_DATA; nothing was created", result.Error);
        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(typo));
    }

    [Theory]
    [InlineData("dataset")]
    [InlineData("ontology")]
    public async Task A_directory_without_node_duckdb_is_no_node_and_stays_empty(string noun)
    {
        var empty = root.Combine("empty");
        Directory.CreateDirectory(empty);

        var result = await GenomeNodeProcess.RunAsync(noun, "list", "--json", "--data", empty);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: no node at {empty} (no node.duckdb)", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }

    [Fact]
    public async Task Listing_a_killed_nodes_directory_reads_its_write_ahead_log_and_leaves_both_files_unchanged()
    {
        var data = root.Combine("data");
        var node = await ServingNode.StartAsync(data);
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "in-wal", "--name", "Only in the WAL", "--tier", "public", "--data", data)).ExitCode);
        await node.KillAsync();
        await node.DisposeAsync();
        var database = Path.Combine(data, "node.duckdb");
        var wal = database + ".wal";
        Assert.True(File.Exists(wal), "a killed node leaves its write-ahead log");
        var before = (Hash(database), Hash(wal));

        var datasets = await GenomeNodeProcess.RunAsync("dataset", "list", "--json", "--data", data);
        var ontologies = await GenomeNodeProcess.RunAsync("ontology", "list", "--json", "--data", data);

        Assert.True(datasets.ExitCode == 0, datasets.ToString());
        Assert.Equal(["demo", "in-wal"], DatasetCliTests.ParseList(datasets.Output).Select(d => d.Id));
        Assert.True(ontologies.ExitCode == 0, ontologies.ToString());
        Assert.Contains("\"DUO\"", ontologies.Output, StringComparison.Ordinal);
        Assert.Equal(before, (Hash(database), Hash(wal)));
    }

    [Fact]
    public async Task An_older_database_is_not_upgraded_by_a_read_only_command_which_says_how_to_upgrade_it()
    {
        var data = root.Combine("data");
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "kept", "--name", "Kept", "--tier", "public", "--data", data)).ExitCode);
        var database = Path.Combine(data, "node.duckdb");
        // As an older genome-node left it: the newest beacon migration not yet recorded.
        using (var connection = new DuckDBConnection($"Data Source={database}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM main.node_migrations
                WHERE module = 'beacon' AND version = (SELECT max(version) FROM main.node_migrations WHERE module = 'beacon');
                CHECKPOINT;
                """;
            command.ExecuteNonQuery();
        }

        var before = Hash(database);

        var list = await GenomeNodeProcess.RunAsync("dataset", "list", "--data", data);

        Assert.Equal(1, list.ExitCode);
        Assert.Single(list.Error.Split('\n'));
        Assert.StartsWith($"error: {database} was written by an older genome-node and lacks 1 migrations of this build (beacon/", list.Error, StringComparison.Ordinal);
        Assert.EndsWith("run any writing command or 'genome-node serve' on it to upgrade it, then try again", list.Error, StringComparison.Ordinal);
        Assert.Equal(before, Hash(database));
        Assert.False(File.Exists(database + ".wal"));
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
