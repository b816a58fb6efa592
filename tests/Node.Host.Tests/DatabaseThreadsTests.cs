using System.Globalization;
using GenomeNode.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Node.Host.Tests;

/// <summary><c>Node:DatabaseThreads</c>: DuckDB's worker threads while the node serves.</summary>
public sealed class DatabaseThreadsTests
{
    [Theory]
    [InlineData(null, 1)]
    [InlineData("3", 3)]
    public async Task A_serving_node_runs_duckdb_with_the_configured_threads(string? configured, long expected)
    {
        await using var factory = new NodeFactory();
        if (configured is not null)
        {
            factory.Settings["Node:DatabaseThreads"] = configured;
        }

        using var client = factory.CreateClient();
        (await client.GetAsync(new Uri("/health", UriKind.Relative))).EnsureSuccessStatusCode();

        using var connection = factory.Services.GetRequiredService<NodeDatabase>().OpenConnection();

        Assert.Equal(expected, Convert.ToInt64(connection.Scalar("SELECT current_setting('threads')"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Zero_leaves_duckdbs_default_of_one_thread_per_core()
    {
        await using var factory = new NodeFactory();
        factory.Settings["Node:DatabaseThreads"] = "0";
        using var client = factory.CreateClient();
        (await client.GetAsync(new Uri("/health", UriKind.Relative))).EnsureSuccessStatusCode();

        using var connection = factory.Services.GetRequiredService<NodeDatabase>().OpenConnection();

        Assert.Equal(Environment.ProcessorCount, Convert.ToInt64(connection.Scalar("SELECT current_setting('threads')"), CultureInfo.InvariantCulture));
    }
}
