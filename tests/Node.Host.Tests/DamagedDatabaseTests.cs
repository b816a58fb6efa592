using System.Security.Cryptography;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>A damaged node.duckdb or write-ahead log stops the node and every command with one line, never a stack trace.</summary>
public sealed class DamagedDatabaseTests : IDisposable
{
    // DuckDB's file: a 4 KiB main header, two 4 KiB database headers, then 256 KiB blocks, each with its checksum.
    private const int HeadersLength = 3 * 4096;
    private const int BlockLength = 256 * 1024;

    private readonly TemporaryDirectory root = new("genome-node-damaged");

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task Damage_in_any_block_of_the_database_is_reported_in_one_line_by_cli_and_serve()
    {
        var original = root.Combine("original");
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "kept", "--name", "Kept", "--tier", "public", "--data", original)).ExitCode);
        var length = new FileInfo(Path.Combine(original, "node.duckdb")).Length;

        var refused = new List<string>();
        for (long offset = HeadersLength; offset < length; offset += BlockLength)
        {
            var data = root.Combine($"damaged-at-{offset}");
            Directory.CreateDirectory(data);
            var database = Path.Combine(data, "node.duckdb");
            File.Copy(Path.Combine(original, "node.duckdb"), database);
            Overwrite(database, offset + 64, RandomNumberGenerator.GetBytes(4096));

            var list = await GenomeNodeProcess.RunAsync("dataset", "list", "--data", data);

            if (list.ExitCode == 0)
            {
                continue; // a block that listing datasets does not read
            }

            AssertOneLineNamingTheDamage(list, database);
            var serve = await GenomeNodeProcess.RunAsync("serve", "--data", data, "--urls", "http://127.0.0.1:0");
            AssertOneLineNamingTheDamage(serve, database);
            refused.Add(data);
        }

        Assert.NotEmpty(refused);
    }

    [Theory]
    [InlineData("random bytes")]
    [InlineData("truncated")]
    public async Task A_database_that_is_not_whole_is_reported_in_one_line(string damage)
    {
        var data = root.Combine("data");
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "kept", "--name", "Kept", "--tier", "public", "--data", data)).ExitCode);
        var database = Path.Combine(data, "node.duckdb");
        if (damage == "truncated")
        {
            using var file = new FileStream(database, FileMode.Open);
            file.SetLength(HeadersLength + 4096);
        }
        else
        {
            await File.WriteAllBytesAsync(database, RandomNumberGenerator.GetBytes(100_000));
        }

        foreach (var result in new[]
                 {
                     await GenomeNodeProcess.RunAsync("dataset", "list", "--data", data),
                     await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "new", "--name", "New", "--tier", "public", "--data", data),
                     await GenomeNodeProcess.RunAsync("serve", "--data", data, "--urls", "http://127.0.0.1:0"),
                 })
        {
            AssertOneLineNamingTheDamage(result, database);
        }
    }

    [Fact]
    public async Task A_damaged_write_ahead_log_is_named_with_what_to_do_and_moving_it_away_opens_the_database()
    {
        var data = root.Combine("data");
        var node = await ServingNode.StartAsync(data);
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "in-wal", "--name", "In the WAL", "--tier", "public", "--data", data)).ExitCode);
        await node.KillAsync();
        await node.DisposeAsync();
        var wal = Path.Combine(data, "node.duckdb.wal");
        Assert.True(File.Exists(wal), "a killed node leaves its write-ahead log");
        Overwrite(wal, new FileInfo(wal).Length / 2, RandomNumberGenerator.GetBytes(64));

        var list = await GenomeNodeProcess.RunAsync("dataset", "list", "--data", data);
        var serve = await GenomeNodeProcess.RunAsync("serve", "--data", data, "--urls", "http://127.0.0.1:0");

        foreach (var result in new[] { list, serve })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Single(result.Error.Split('\n'));
            Assert.StartsWith($"error: {wal}, the database's write-ahead log, is damaged (", result.Error, StringComparison.Ordinal);
            Assert.Contains("restore node.duckdb with its .wal from a backup, or move the .wal away", result.Error, StringComparison.Ordinal);
        }

        File.Move(wal, wal + ".damaged");
        var afterMove = await GenomeNodeProcess.RunAsync("dataset", "list", "--data", data);
        Assert.True(afterMove.ExitCode == 0, afterMove.ToString());
    }

    private static void AssertOneLineNamingTheDamage(CliResult result, string database)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n'));
        Assert.StartsWith($"error: {database} is damaged or not a node database (", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("restore node.duckdb from a backup, or move it away to start an empty node", result.Error, StringComparison.Ordinal);
    }

    private static void Overwrite(string path, long offset, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(bytes);
    }
}
