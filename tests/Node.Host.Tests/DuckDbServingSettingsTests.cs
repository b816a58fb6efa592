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
        var threads = await SettingOfAStartedNode("threads", "Node:DuckDbThreads", configured);

        Assert.Equal(expected, Convert.ToInt64(threads, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_serving_node_runs_DuckDBs_allocator_background_threads() =>
        Assert.Equal(true, await SettingOfAStartedNode("allocator_background_threads"));

    [Theory]
    [InlineData(null, null)]
    [InlineData("512", "512.0 MiB")]
    public async Task A_serving_node_gives_DuckDB_the_configured_memory_limit(string? configured, string? expected)
    {
        var limit = await SettingOfAStartedNode("memory_limit", "Node:DuckDbMemoryLimitMiB", configured);

        using var fresh = new DuckDBConnection("DataSource=:memory:"); // unset: DuckDB's own default
        Assert.Equal(expected ?? SettingOf(fresh, "memory_limit"), limit);
    }

    /// <summary>A DuckDB setting as a node started with <paramref name="key"/> = <paramref name="configured"/> has it.</summary>
    private static async Task<object?> SettingOfAStartedNode(string setting, string? key = null, string? configured = null)
    {
        await using var node = new NodeFactory();
        if (key is not null && configured is not null)
        {
            node.Settings[key] = configured;
        }

        using var client = node.CreateClient(); // starts the node
        using var scope = node.Services.CreateScope();
        return SettingOf(scope.ServiceProvider.GetRequiredService<DuckDBConnection>(), setting);
    }

    private static object? SettingOf(DuckDBConnection connection, string setting)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            connection.Open();
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT current_setting('{setting}')";
        return command.ExecuteScalar();
    }
}
