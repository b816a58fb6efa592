using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Node.Host.Tests;

/// <summary>A serving node runs DuckDB with the worker threads <c>Node:DuckDbThreads</c> names, one unless told.</summary>
public sealed class DuckDbThreadsTests
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
}
