using DuckDB.NET.Data;
using GenomeNode.Host.Hosting;
using GenomeNode.Host.Storage;
using Microsoft.Extensions.Options;

namespace GenomeNode.Tests;

/// <summary>A real node database in a temporary data directory, migrated as the node migrates it.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly TemporaryDirectory directory = new("genome-node-db");

    private DuckDBConnection? connection;

    public TestDatabase()
    {
        Database = new NodeDatabase(Options.Create(new NodeOptions { DataDirectory = directory.Path }));
        Database.Open(NodeComposition.Migrations, "test");
    }

    /// <summary>One open connection for the test, closed with the database.</summary>
    public DuckDBConnection Connection => connection ??= Database.OpenConnection();

    public NodeDatabase Database { get; }

    public string DataDirectory => directory.Path;

    public DuckDBConnection OpenConnection() => Database.OpenConnection();

    /// <summary>
    /// The single value <paramref name="sql"/> selects from the node database in <paramref name="dataDirectory"/>,
    /// read the way an operator would after a command ran: a fresh connection, closed at once.
    /// </summary>
    public static long Scalar(string dataDirectory, string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={Path.Combine(dataDirectory, NodeDatabase.FileName)}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Adds datasets to the node database in <paramref name="dataDirectory"/> before a node is started on it, as an
    /// operator's <c>dataset add</c> without a serving node does (per-dataset settings must name existing datasets).
    /// </summary>
    public static async Task AddDatasetsAsync(string dataDirectory, params GenomeNode.Passport.Datasets.NewDataset[] datasets)
    {
        using var database = new NodeDatabase(Options.Create(new NodeOptions { DataDirectory = dataDirectory }));
        database.Open(NodeComposition.Migrations, "test");
        using var connection = database.OpenConnection();
        var catalog = new GenomeNode.Passport.Datasets.DatasetCatalog(connection);
        foreach (var dataset in datasets)
        {
            await catalog.AddAsync(dataset);
        }
    }

    public void Dispose()
    {
        connection?.Dispose();
        Database.Dispose();
        directory.Dispose();
    }
}
