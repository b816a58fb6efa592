using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Tests;

/// <summary>A real node database in a temporary data directory, migrated as the node migrates it.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly TemporaryDirectory directory = new("genome-node-db");

    private DuckDBConnection? connection;

    public TestDatabase()
    {
        Database = new NodeDatabase(directory.Path);
        Database.Open(TestModules.Migrations, "test");
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

    public void Dispose()
    {
        connection?.Dispose();
        Database.Dispose();
        directory.Dispose();
    }
}
