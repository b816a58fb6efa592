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

    public void Dispose()
    {
        connection?.Dispose();
        Database.Dispose();
        directory.Dispose();
    }
}
