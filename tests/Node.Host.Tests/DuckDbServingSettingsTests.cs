using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// A serving node runs DuckDB with the worker threads <c>Node:DuckDbThreads</c> names (one unless told), the memory limit
/// <c>Node:DuckDbMemoryLimitMiB</c> names (DuckDB's own unless told), and its allocator's background threads, which give
/// freed memory back to the system.
/// </summary>
public sealed class DuckDbServingSettingsTests
{
    [Theory]
    [InlineData(null, 1L)]
    [InlineData("3", 3L)]
    public async Task A_serving_node_runs_DuckDB_with_the_configured_threads(string? configured, long expected)
    {
        await using var node = new NodeFactory();
        if (configured is not null)
        {
            node.Settings["Node:DuckDbThreads"] = configured;
        }

        using var client = node.CreateClient(); // starts the node
        using var scope = node.Services.CreateScope();
        using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
        command.CommandText = "SELECT current_setting('threads')";

        Assert.Equal(expected, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_serving_node_runs_DuckDBs_allocator_background_threads()
    {
        await using var node = new NodeFactory();
        using var client = node.CreateClient(); // starts the node
        using var scope = node.Services.CreateScope();
        using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
        command.CommandText = "SELECT current_setting('allocator_background_threads')";

        Assert.Equal(true, command.ExecuteScalar());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("512", "512.0 MiB")]
    public async Task A_serving_node_gives_DuckDB_the_configured_memory_limit(string? configured, string? expected)
    {
        await using var node = new NodeFactory();
        if (configured is not null)
        {
            node.Settings["Node:DuckDbMemoryLimitMiB"] = configured;
        }

        using var client = node.CreateClient(); // starts the node
        using var scope = node.Services.CreateScope();
        using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
        command.CommandText = "SELECT current_setting('memory_limit')";

        Assert.Equal(expected ?? DuckDbsDefaultMemoryLimit(), command.ExecuteScalar());
    }

    private static string DuckDbsDefaultMemoryLimit()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_setting('memory_limit')";
        return (string)command.ExecuteScalar()!;
    }
}
