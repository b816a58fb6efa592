using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Committee.Tests;

/// <summary>Reads the serving node's database through its own connection (the node holds the file).</summary>
internal static class Database
{
    public static object? Scalar(CommitteeNode node, string sql)
    {
        using var scope = node.Services.CreateScope();
        using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }
}
