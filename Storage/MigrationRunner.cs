using System.Globalization;
using DuckDB.NET.Data;

namespace GenomeNode.Storage;

/// <summary>
/// Brings a node database up to the schema this build knows, module by module, recording every applied script
/// in <c>main.node_migrations</c>. A database that records scripts this build does not know is refused untouched.
/// </summary>
public static class MigrationRunner
{
    public const string TableName = "main.node_migrations";

    private sealed record AppliedMigration(string Module, int Version, string Checksum, string AppliedBy);

    /// <summary>Applies what is pending, all in one transaction, and returns it (empty when up to date).</summary>
    public static IReadOnlyList<Migration> Apply(
        DuckDBConnection connection, IReadOnlyList<ModuleMigrations> modules, string nodeVersion, string databaseLabel)
    {
        var pending = Pending(connection, modules, nodeVersion, databaseLabel);
        if (pending.Count == 0)
        {
            return [];
        }

        using var transaction = connection.BeginTransaction();
        connection.Execute($"""
            CREATE TABLE IF NOT EXISTS {TableName} (
                module     VARCHAR NOT NULL,
                version    INTEGER NOT NULL,
                name       VARCHAR NOT NULL,
                checksum   VARCHAR NOT NULL,
                applied_by VARCHAR NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
                PRIMARY KEY (module, version)
            )
            """);
        foreach (var migration in pending)
        {
            try
            {
                connection.Execute(migration.Sql);
            }
            catch (DuckDBException ex)
            {
                transaction.Rollback();
                throw new NodeStorageException(
                    $"migration {migration.Label} failed, nothing was changed: {ex.Message}", ex);
            }

            using var record = connection.CreateCommand();
            record.CommandText =
                $"INSERT INTO {TableName} (module, version, name, checksum, applied_by) VALUES ($1, $2, $3, $4, $5)";
            record.Parameters.Add(new DuckDBParameter(migration.Module));
            record.Parameters.Add(new DuckDBParameter(migration.Version));
            record.Parameters.Add(new DuckDBParameter(migration.Name));
            record.Parameters.Add(new DuckDBParameter(migration.Checksum));
            record.Parameters.Add(new DuckDBParameter(nodeVersion));
            record.ExecuteNonQuery();
        }

        transaction.Commit();

        // Write the new schema into the database file now: DuckDB 1.5 cannot replay an ALTER TABLE of a table with a
        // function default (e.g. current_timestamp) from the WAL, so a node killed before its next checkpoint would
        // leave a database that no longer opens.
        connection.Execute("CHECKPOINT");
        return pending;
    }

    /// <summary>
    /// The migrations this build would apply, without applying any; refuses a database written by a newer build.
    /// Reads only, so it works on a database opened read-only.
    /// </summary>
    public static IReadOnlyList<Migration> Pending(
        DuckDBConnection connection, IReadOnlyList<ModuleMigrations> modules, string nodeVersion, string databaseLabel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(modules);
        var applied = ReadApplied(connection);
        EnsureNotNewer(applied, modules, nodeVersion, databaseLabel);
        return modules
            .SelectMany(module => module.Migrations)
            .Where(migration => !applied.ContainsKey((migration.Module, migration.Version)))
            .ToList();
    }

    private static Dictionary<(string Module, int Version), AppliedMigration> ReadApplied(DuckDBConnection connection)
    {
        var applied = new Dictionary<(string, int), AppliedMigration>();
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = """
                SELECT count(*) FROM duckdb_tables()
                WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'node_migrations'
                """;
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return applied;
            }
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT module, version, checksum, applied_by FROM {TableName}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new AppliedMigration(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3));
            applied[(row.Module, row.Version)] = row;
        }

        return applied;
    }

    private static void EnsureNotNewer(
        Dictionary<(string Module, int Version), AppliedMigration> applied,
        IReadOnlyList<ModuleMigrations> modules,
        string nodeVersion,
        string databaseLabel)
    {
        var known = modules.ToDictionary(module => module.Module);
        foreach (var group in applied.Values.GroupBy(row => row.Module))
        {
            var newest = group.MaxBy(row => row.Version)!;
            if (!known.TryGetValue(group.Key, out var module))
            {
                throw Newer(databaseLabel, newest,
                    $"it holds tables of a module '{group.Key}' that this build ({nodeVersion}) does not have");
            }

            if (newest.Version > module.LatestVersion)
            {
                throw Newer(databaseLabel, newest,
                    $"module '{group.Key}' is at schema version {newest.Version}, this build ({nodeVersion}) knows versions up to {module.LatestVersion}");
            }

            foreach (var row in group)
            {
                var script = module.Migrations[row.Version - 1];
                if (!string.Equals(script.Checksum, row.Checksum, StringComparison.Ordinal))
                {
                    throw new NodeStorageException(
                        $"{databaseLabel}: migration {script.Label} was applied by genome-node {row.AppliedBy} with different " +
                        $"contents than this build ({nodeVersion}) has; refusing to touch the database");
                }
            }
        }
    }

    private static NodeStorageException Newer(string databaseLabel, AppliedMigration newest, string detail) =>
        new($"{databaseLabel} was written by a newer genome-node ({newest.AppliedBy}): {detail}. " +
            "Upgrade genome-node or use another data directory; the database was left unchanged");
}
