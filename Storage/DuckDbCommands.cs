using System.Data.Common;
using DuckDB.NET.Data;

namespace GenomeNode.Storage;

/// <summary>The few ways the modules run SQL on a connection: positional parameters ($1, $2, ...), no string building.</summary>
public static class DuckDbCommands
{
    public static int Execute(this DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Each row <paramref name="map"/>ped, in the order the query gives them.</summary>
    public static List<T> Read<T>(this DuckDBConnection connection, string sql, Func<DbDataReader, T> map, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>The first column of the first row, or null when there is none.</summary>
    public static object? Scalar(this DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(parameter ?? DBNull.Value));
        }

        return command;
    }
}
