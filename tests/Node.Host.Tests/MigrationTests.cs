using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using GenomeNode.Host.Hosting;
using GenomeNode.Storage;
using GenomeNode.Tests;
using Microsoft.Extensions.Options;

namespace GenomeNode.Node.Host.Tests;

public sealed class MigrationTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-migrations");

    public void Dispose() => data.Dispose();

    [Fact]
    public void Starting_twice_applies_everything_once_and_then_changes_nothing()
    {
        string first;
        using (var database = Open())
        {
            var applied = database.Open(NodeComposition.Migrations, "test");
            Assert.Equal(NodeComposition.Migrations.Sum(m => m.Migrations.Count), applied.Count);
            first = Snapshot(database);
        }

        using (var database = Open())
        {
            Assert.Empty(database.Open(NodeComposition.Migrations, "test"));
            Assert.Equal(first, Snapshot(database));
        }
    }

    [Fact]
    public void A_node_killed_right_after_migrating_leaves_a_database_that_opens()
    {
        using var crashed = new TemporaryDirectory("genome-node-crashed");
        using (var database = Open())
        {
            database.Open(NodeComposition.Migrations, "test");
            // The files as a SIGKILL would leave them: the database still open, its WAL (if any) beside it.
            foreach (var file in Directory.EnumerateFiles(data.Path, NodeDatabase.FileName + "*"))
            {
                File.Copy(file, Path.Combine(crashed.Path, Path.GetFileName(file)));
            }
        }

        using var reopened = new NodeDatabase(crashed.Path);
        Assert.Empty(reopened.Open(NodeComposition.Migrations, "test"));
    }

    [Fact]
    public void Every_module_has_numbered_migrations_and_its_own_schema()
    {
        Assert.Equal(["ontology", "passport", "committee", "htsget", "beacon", "broker"], NodeComposition.Migrations.Select(m => m.Module));
        using var database = Open();
        database.Open(NodeComposition.Migrations, "test");

        var schemas = Query(database, """
            SELECT schema_name FROM duckdb_schemas()
            WHERE database_name = current_database() AND NOT internal AND schema_name <> 'main' ORDER BY schema_name
            """);
        Assert.Equal("beacon\nbroker\ncommittee\nhtsget\nontology\npassport", schemas);
        Assert.Equal("main.node_migrations", Query(database,
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"));
        foreach (var module in NodeComposition.Migrations)
        {
            Assert.Equal(Enumerable.Range(1, module.Migrations.Count), module.Migrations.Select(m => m.Version));
        }
    }

    [Fact]
    public void A_failing_migration_rolls_back_everything_pending_with_it()
    {
        using (var database = Open())
        {
            database.Open(NodeComposition.Migrations, "test");
        }

        var broken = new ModuleMigrations("trial",
        [
            new Migration("trial", 1, "create_schema", "CREATE SCHEMA trial; CREATE TABLE trial.kept (x INTEGER);"),
            new Migration("trial", 2, "broken", "CREATE TABLE trial.broken (x NO_SUCH_TYPE);"),
        ]);
        using (var database = Open())
        {
            var failure = Assert.Throws<NodeStorageException>(() => database.Open([.. NodeComposition.Migrations, broken], "test"));
            Assert.StartsWith("migration trial/0002_broken failed, nothing was changed:", failure.Message, StringComparison.Ordinal);
        }

        using (var database = Open())
        {
            database.Open(NodeComposition.Migrations, "test");
            Assert.Equal("0", Query(database, "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'trial'"));
            Assert.Equal("0", Query(database, $"SELECT count(*) FROM {MigrationRunner.TableName} WHERE module = 'trial'"));
        }
    }

    [Fact]
    public void A_migration_edited_after_it_was_applied_is_refused()
    {
        using (var database = Open())
        {
            database.Open(NodeComposition.Migrations, "0.1.0");
        }

        var edited = NodeComposition.Migrations
            .Select(module => module.Module != "passport" ? module : module with
            {
                Migrations = [.. module.Migrations.Select(m => m with { Sql = m.Sql + "\n-- edited" })],
            })
            .ToList();
        using var reopened = Open();

        var failure = Assert.Throws<NodeStorageException>(() => reopened.Open(edited, "0.2.0"));

        Assert.Contains("migration passport/0001_dataset_catalog was applied by genome-node 0.1.0 with different contents",
            failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gaps_in_a_modules_numbering_are_a_build_error() =>
        Assert.Throws<InvalidOperationException>(() => ModuleMigrations.FromAssembly("gappy", new GappyAssembly()));

    [Fact]
    public void Only_resources_named_exactly_like_a_migration_are_migrations()
    {
        var migrations = ModuleMigrations.FromAssembly("lookalikes", new ResourceAssembly(
            "Migrations/0001_first.sql", "Migrations/0002_second.sql\n", "Migrations/\u0660\u0660\u0660\u0662_arabic_digits.sql"));

        Assert.Equal(["lookalikes/0001_first"], migrations.Migrations.Select(migration => migration.Label));
    }

    private NodeDatabase Open() => new(data.Path);

    /// <summary>Everything a migration could change: the migrations table and every table and column.</summary>
    private static string Snapshot(NodeDatabase database) =>
        Query(database, $"SELECT module, version, name, checksum, applied_by, applied_at FROM {MigrationRunner.TableName} ORDER BY ALL")
        + "\n" + Query(database, """
            SELECT schema_name, table_name, column_name, data_type, column_default FROM duckdb_columns()
            WHERE database_name = current_database() ORDER BY ALL
            """);

    private static string Query(NodeDatabase database, string sql)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount)
                .Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return string.Join('\n', rows);
    }

    /// <summary>An assembly holding the given resources, each with a trivial script.</summary>
    private sealed class ResourceAssembly(params string[] names) : System.Reflection.Assembly
    {
        public override string[] GetManifestResourceNames() => names;

        public override Stream? GetManifestResourceStream(string name) =>
            names.Contains(name) ? new MemoryStream(Encoding.UTF8.GetBytes("SELECT 1;")) : null;
    }

    /// <summary>An assembly whose migrations skip version 2.</summary>
    private sealed class GappyAssembly : System.Reflection.Assembly
    {
        private static readonly Dictionary<string, string> Resources = new()
        {
            ["Migrations/0001_first.sql"] = "SELECT 1;",
            ["Migrations/0003_third.sql"] = "SELECT 3;",
        };

        public override string[] GetManifestResourceNames() => [.. Resources.Keys];

        public override Stream? GetManifestResourceStream(string name) =>
            Resources.TryGetValue(name, out var sql) ? new MemoryStream(Encoding.UTF8.GetBytes(sql)) : null;
    }
}
