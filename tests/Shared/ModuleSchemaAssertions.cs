using System.Globalization;
using System.Reflection;
using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Tests;

/// <summary>Checks that a module's migrations apply on their own and create tables only in the module's schema.</summary>
public static class ModuleSchemaAssertions
{
    public static void MigrationsStayInOwnSchema(string module, Assembly assembly)
    {
        var migrations = ModuleMigrations.FromAssembly(module, assembly);
        Assert.NotEmpty(migrations.Migrations);

        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("module.duckdb")}");
        connection.Open();
        var applied = MigrationRunner.Apply(connection, [migrations], "test", "module.duckdb");
        Assert.Equal(migrations.Migrations.Count, applied.Count);

        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT schema_name FROM duckdb_schemas()
            WHERE database_name = current_database() AND NOT internal AND schema_name <> 'main'
            UNION ALL
            SELECT DISTINCT schema_name FROM duckdb_tables()
            WHERE database_name = current_database() AND NOT (schema_name = 'main' AND table_name = 'node_migrations')
            """;
        using var reader = command.ExecuteReader();
        var schemas = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            schemas.Add(reader.GetString(0));
        }

        Assert.Equal([module], schemas.Order(StringComparer.Ordinal));
        Assert.Equal(migrations.LatestVersion.ToString(CultureInfo.InvariantCulture),
            Scalar(connection, $"SELECT max(version) FROM {MigrationRunner.TableName} WHERE module = '{module}'"));
    }

    private static string Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }
}
