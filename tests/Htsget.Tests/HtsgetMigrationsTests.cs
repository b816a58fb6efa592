using DuckDB.NET.Data;
using GenomeNode.Storage;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests;

public sealed class HtsgetMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_htsget_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(HtsgetModule.Name, HtsgetModule.Assembly);

    [Fact]
    public void Objects_registered_before_the_counts_were_stored_get_their_counts_on_upgrade()
    {
        var all = ModuleMigrations.FromAssembly(HtsgetModule.Name, HtsgetModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("node.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(migration => migration.Version <= 2)] }], "test", "node.duckdb");
        Execute(connection, """
            INSERT INTO htsget.objects (object_id, dataset_id, kind, format, path, size, sha256, modified_at, index_path,
                index_format, header_end, ends_with_eof)
            VALUES ('old', 'ds', 'reads', 'BAM', '/data/old.bam', 100, 'ab', now(), '/data/old.bam.bai', 'BAI', 0, true);
            INSERT INTO htsget."references" VALUES ('old', 0, 'chr1', 1000), ('old', 1, 'chr2', 2000);
            INSERT INTO htsget.blocks (object_id, "offset", compressed_size) VALUES ('old', 0, 50), ('old', 50, 22), ('old', 72, 28);
            """);

        MigrationRunner.Apply(connection, [all], "test", "node.duckdb");

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT reference_count, block_count FROM htsget.objects WHERE object_id = 'old'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((2, 3L), (reader.GetInt32(0), reader.GetInt64(1)));
    }

    [Fact]
    public void Registrations_of_before_several_formats_per_id_keep_their_rows_under_their_format()
    {
        var all = ModuleMigrations.FromAssembly(HtsgetModule.Name, HtsgetModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("node.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(migration => migration.Version <= 4)] }], "test", "node.duckdb");
        Execute(connection, """
            INSERT INTO htsget.objects (object_id, dataset_id, kind, format, path, size, sha256, modified_at, index_path,
                index_format, header_end, ends_with_eof)
            VALUES ('old', 'ds', 'reads', 'CRAM', '/data/old.cram', 100, 'ab', now(), '/data/old.cram.crai', 'CRAI', 0, true);
            INSERT INTO htsget."references" VALUES ('old', 0, 'chr1', 1000);
            INSERT INTO htsget.blocks (object_id, "offset", compressed_size) VALUES ('old', 0, 50), ('old', 50, 22);
            INSERT INTO htsget.crai VALUES ('old', 0, 1, 10, 50, 0, 22);
            """);

        MigrationRunner.Apply(connection, [all], "test", "node.duckdb");

        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT string_agg(DISTINCT format) FROM htsget.blocks), (SELECT format FROM htsget."references"),
                (SELECT format FROM htsget.crai), (SELECT count(*) FROM htsget.objects WHERE object_id = 'old' AND format = 'CRAM')
            """;
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(("CRAM", "CRAM", "CRAM", 1L), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        // Keyed by (object id, format): a second format of the id lands, the same one twice does not.
        Execute(connection, """
            INSERT INTO htsget.objects (object_id, dataset_id, kind, format, path, size, sha256, modified_at, index_path,
                index_format, header_end, ends_with_eof)
            VALUES ('old', 'ds', 'reads', 'BAM', '/data/old.bam', 100, 'cd', now(), '/data/old.bam.bai', 'BAI', 0, true);
            """);
        Assert.ThrowsAny<DuckDBException>(() => Execute(connection, """
            INSERT INTO htsget.objects (object_id, dataset_id, kind, format, path, size, sha256, modified_at, index_path,
                index_format, header_end, ends_with_eof)
            VALUES ('old', 'ds', 'reads', 'BAM', '/data/other.bam', 100, 'ef', now(), '/data/other.bam.bai', 'BAI', 0, true);
            """));
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
