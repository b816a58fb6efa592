using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DuckDB.NET.Data;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>Refusals: each gives a one-line reason, a non-zero exit code, and leaves stored data as it was.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TemporaryDirectory root = new("genome-node-bad");

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task Unknown_tier_is_refused_before_anything_is_written()
    {
        var data = root.Combine("never-created");

        var result = await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "x", "--name", "X", "--tier", "secret", "--data", data);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n'));
        Assert.StartsWith("error: Argument 'secret' not recognized. Must be one of: 'public' 'registered' 'controlled'",
            result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Duplicate_dataset_id_is_refused_and_the_stored_dataset_kept()
    {
        var data = root.Combine("data");
        await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "ds", "--name", "Original", "--tier", "public", "--data", data);

        var result = await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "ds", "--name", "Impostor", "--tier", "controlled", "--data", data);
        var list = await GenomeNodeProcess.RunAsync("dataset", "list", "--json", "--data", data);

        Assert.Equal((1, "error: dataset 'ds' already exists"), (result.ExitCode, result.Error));
        Assert.Empty(result.Output);
        var kept = Assert.Single(DatasetCliTests.ParseList(list.Output));
        Assert.Equal(("Original", "public"), (kept.Name, kept.Tier));
    }

    [Theory]
    [InlineData("dataset", "add", "--id", "x", "--name", "X", "--tier", "public")]
    [InlineData("serve")]
    public async Task Unwritable_data_directory_is_refused(params string[] command)
    {
        // Root ignores permission bits, so use a path that no one can create: a directory inside a regular file.
        var file = root.Combine("plain-file");
        await File.WriteAllTextAsync(file, "not a directory");
        var data = Path.Combine(file, "data");

        string[] listen = command[0] == "serve" ? ["--urls", "http://127.0.0.1:0"] : [];

        var result = await GenomeNodeProcess.RunAsync([.. command, "--data", data, .. listen]);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches($"^error: data directory '{System.Text.RegularExpressions.Regex.Escape(data)}' is not writable: .+$", result.Error);
        Assert.Equal("not a directory", await File.ReadAllTextAsync(file));
    }

    [Theory]
    [InlineData("Node__Organization__Url", "not a url", "Node:Organization:Url must be an absolute http or https URL (got 'not a url')")]
    [InlineData("Node__ContactUrl", "ftp://example.org", "Node:ContactUrl must be an absolute http(s) URL or a mailto: address")]
    [InlineData("Node__LogFormat", "xml", "Node:LogFormat must be one of: plain, json (got 'xml')")]
    [InlineData("Node__SeedDemo", "perhaps", "'perhaps' at 'Node:SeedDemo'")]
    [InlineData("Node__DuckDbThreads", "0", "Node:DuckDbThreads must be from 1 to 1024 (got '0')")]
    [InlineData("Node__DuckDbMemoryLimitMiB", "2", "Node:DuckDbMemoryLimitMiB must be at least 128 (MiB), or left out for DuckDB's default (got '2')")]
    [InlineData("Node__DuckDbMemoryLimitMiB", "2GB", "'2GB' at 'Node:DuckDbMemoryLimitMiB'")]
    public async Task Malformed_configuration_value_stops_the_node_naming_the_key(string variable, string value, string expected)
    {
        var data = root.Combine("data");
        var environment = new Dictionary<string, string> { [variable] = value };

        var serve = await GenomeNodeProcess.RunAsync(environment, "serve", "--data", data, "--urls", "http://127.0.0.1:0");
        var add = await GenomeNodeProcess.RunAsync(environment, "dataset", "add", "--id", "x", "--name", "X", "--tier", "public", "--data", data);

        Assert.Equal(1, serve.ExitCode);
        Assert.Single(serve.Error.Split('\n'));
        Assert.Contains(expected, serve.Error, StringComparison.Ordinal);
        Assert.Equal(1, add.ExitCode);
        Assert.Contains(expected, add.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "node.duckdb")), "nothing is written with a broken configuration");
    }

    [Fact]
    public async Task Unknown_log_format_option_is_a_usage_error()
    {
        var result = await GenomeNodeProcess.RunAsync("dataset", "list", "--log-format", "xml", "--data", root.Combine("data"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'xml' not recognized", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("beacon", 99, "module 'beacon' is at schema version 99, this build (")]
    [InlineData("federation", 1, "it holds tables of a module 'federation' that this build (")]
    public async Task Database_from_a_newer_version_is_refused_and_left_unchanged(string module, int version, string expected)
    {
        var data = root.Combine("data");
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "kept", "--name", "Kept", "--tier", "public", "--data", data)).ExitCode);
        var database = Path.Combine(data, "node.duckdb");
        using (var connection = new DuckDBConnection($"Data Source={database}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO main.node_migrations (module, version, name, checksum, applied_by) VALUES ('{module}', {version}, 'future', 'abc', '9.9.9')");
            command.ExecuteNonQuery();
        }

        var before = Hash(database);

        var serve = await GenomeNodeProcess.RunAsync("serve", "--data", data, "--urls", "http://127.0.0.1:0");
        var add = await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "new", "--name", "New", "--tier", "public", "--data", data);

        foreach (var result in new[] { serve, add })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Single(result.Error.Split('\n'));
            Assert.Contains("was written by a newer genome-node (9.9.9)", result.Error, StringComparison.Ordinal);
            Assert.Contains(expected, result.Error, StringComparison.Ordinal);
            Assert.EndsWith("the database was left unchanged", result.Error, StringComparison.Ordinal);
        }

        Assert.Equal(before, Hash(database));
    }

    [Fact]
    public async Task Port_already_in_use_is_reported_in_one_line()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port;

        var result = await GenomeNodeProcess.RunAsync("serve", "--data", root.Combine("data"), "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches($"^error: .*127.0.0.1:{port}.*address already in use", result.Error);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
