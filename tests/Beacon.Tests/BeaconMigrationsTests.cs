using DuckDB.NET.Data;
using GenomeNode.Beacon.Requests;
using GenomeNode.Beacon.Store;
using GenomeNode.Storage;
using GenomeNode.Tests;

namespace GenomeNode.Beacon.Tests;

public sealed class BeaconMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_beacon_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(BeaconModule.Name, BeaconModule.Assembly);

    [Fact]
    public void Variants_stored_before_0003_keep_their_dataset_and_assembly_through_their_file()
    {
        var all = ModuleMigrations.FromAssembly(BeaconModule.Name, BeaconModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("store.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(m => m.Version <= 2)] }], "test", "store.duckdb");
        Execute(connection, """
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span) VALUES
                ('a', 1, 'a.vcf', 'x', 'GRCh38', 1, 2, 2, 1), ('b', 2, 'b.vcf', 'y', 'GRCh37', 1, 1, 1, 1);
            INSERT INTO beacon.variants (dataset_id, file_id, assembly, chrom, start, "end", ref, alt, variant_type, allele_count, allele_number, het)
            VALUES ('a', 1, 'GRCh38', '17', 100, 101, 'G', 'A', 'SNP', 1, 2, [0]), ('a', 1, 'GRCh38', '17', 200, 201, 'C', 'T', 'SNP', 1, 2, [0]),
                   ('b', 2, 'GRCh37', '17', 100, 101, 'G', 'A', 'SNP', 2, 2, NULL);
            """);

        var applied = MigrationRunner.Apply(connection, [all], "test", "store.duckdb");

        Assert.Equal(["beacon/0003_dataset_and_assembly_per_file", "beacon/0004_dictionary_compressed_strings", "beacon/0005_keys_and_allocators"], applied.Select(m => m.Label));
        var store = new VariantStore(connection);
        var point = new SequenceQuery(null, "17", 100, 101, "G", "A", null);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 1 }, store.Count(point, ["a", "b"]));
        Assert.Equal(new Dictionary<string, long> { ["b"] = 1 }, store.Count(point with { Assembly = "GRCh37" }, ["a", "b"]));
        var records = store.Page(new RangeQuery(null, "17", 0, int.MaxValue, null, VariantNarrowing.None), "a", 0, 10);
        Assert.Equal([("a", "GRCh38", 100), ("a", "GRCh38", 200)], records.Select(v => (v.DatasetId, v.Assembly, v.Start)));
    }

    [Fact]
    public void Variants_stored_before_0004_keep_their_order_and_are_rewritten_with_dictionary_compressed_strings()
    {
        var all = ModuleMigrations.FromAssembly(BeaconModule.Name, BeaconModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("store.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(m => m.Version <= 3)] }], "test", "store.duckdb");
        // Two row groups of mostly single-base alleles with one in ten a longer indel allele, as in real files: left to
        // choose, DuckDB compresses ref with FSST (checked by the test with the migration's compression clauses removed).
        const string rows = """
            INSERT INTO beacon.variants (file_id, chrom, start, "end", ref, alt, variant_type, vcf_id, allele_count, allele_number, het, genes)
            SELECT 1, CASE WHEN i < 150000 THEN '17' ELSE 'X' END, i, i + 1,
                   CASE WHEN i % 10 = 0 THEN translate(substr(md5(i::VARCHAR), 1, 2 + i % 11), '0123456789abcdef', 'ACGTACGTACGTACGT')
                        ELSE ['A', 'C', 'G', 'T'][i % 4 + 1] END,
                   ['C', 'G', 'T', 'A'][i % 4 + 1], CASE WHEN i % 10 = 0 THEN 'DEL' ELSE 'SNP' END, 'rs' || i, 1, 2, [i % 100],
                   CASE WHEN i % 7 = 0 THEN ['BRCA1'] END
            FROM range(200000) r(i)
            """;
        Execute(connection, rows);
        var before = Rows(connection);

        var applied = MigrationRunner.Apply(connection, [all], "test", "store.duckdb");

        Assert.Equal(["beacon/0004_dictionary_compressed_strings", "beacon/0005_keys_and_allocators"], applied.Select(m => m.Label));
        Assert.Equal(before, Rows(connection));
        Execute(connection, "CHECKPOINT");
        Assert.Equal(["Dictionary"], StringCompressions(connection, "chrom", "ref", "alt", "variant_type"));
    }

    [Fact]
    public void Files_and_individuals_stored_before_0005_keep_their_numbers_and_new_ones_follow_them()
    {
        var all = ModuleMigrations.FromAssembly(BeaconModule.Name, BeaconModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("store.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(m => m.Version <= 4)] }], "test", "store.duckdb");
        Execute(connection, """
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span) VALUES
                ('a', 1, 'a.vcf', 'x', 'GRCh38', 2, 0, 0, 0), ('b', 7, 'b.vcf', 'y', 'GRCh38', 1, 0, 0, 0);
            INSERT INTO beacon.individuals VALUES ('a', 0, 'S1', NULL), ('a', 1, 'S2', NULL), ('b', 0, 'S1', NULL);
            """);

        MigrationRunner.Apply(connection, [all], "test", "store.duckdb");

        Assert.Equal(8L, Scalar(connection, "SELECT nextval('beacon.variant_file_ids')"));
        Assert.Equal(2L, Scalar(connection, "SELECT next_index FROM beacon.individual_counters WHERE dataset_id = 'a'"));
        Assert.Equal(1L, Scalar(connection, "SELECT next_index FROM beacon.individual_counters WHERE dataset_id = 'b'"));
    }

    [Fact]
    public void A_database_where_two_ingests_took_one_file_id_is_refused_unchanged_saying_what_to_do()
    {
        var all = ModuleMigrations.FromAssembly(BeaconModule.Name, BeaconModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("store.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(m => m.Version <= 4)] }], "test", "store.duckdb");
        Execute(connection, """
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span) VALUES
                ('public', 1, 'a.vcf', 'x', 'GRCh38', 2, 0, 0, 0), ('controlled', 1, 'b.vcf', 'y', 'GRCh38', 1, 0, 0, 0);
            """);

        var refused = Assert.Throws<NodeStorageException>(() => MigrationRunner.Apply(connection, [all], "test", "store.duckdb"));

        Assert.Contains("two ingests with the same file_id", refused.Message, StringComparison.Ordinal);
        Assert.Contains("remove the datasets", refused.Message, StringComparison.Ordinal);
        Assert.Equal(4L, Scalar(connection, "SELECT max(version) FROM main.node_migrations WHERE module = 'beacon'"));
    }

    [Fact]
    public void The_store_refuses_a_second_file_with_a_taken_file_id_and_a_second_individual_with_a_taken_index()
    {
        using var database = new TestDatabase();
        Execute(database.Connection, """
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span)
            VALUES ('a', 1, 'a.vcf', 'x', 'GRCh38', 1, 0, 0, 0);
            INSERT INTO beacon.individuals VALUES ('a', 0, 'S1', NULL);
            """);

        Assert.Throws<DuckDBException>(() => Execute(database.Connection, """
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span)
            VALUES ('b', 1, 'b.vcf', 'y', 'GRCh38', 1, 0, 0, 0)
            """));
        Assert.Throws<DuckDBException>(() => Execute(database.Connection, "INSERT INTO beacon.individuals VALUES ('a', 0, 'S2', NULL)"));
        Assert.Throws<DuckDBException>(() => Execute(database.Connection, "INSERT INTO beacon.individuals VALUES ('a', 1, 'S1', NULL)"));
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Every row in table order (rowid), as text.
    private static List<string> Rows(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT concat_ws('|', rowid, file_id, chrom, start, \"end\", ref, alt, variant_type, vcf_id, het, genes) FROM beacon.variants ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static List<string> StringCompressions(DuckDBConnection connection, params string[] columns)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT DISTINCT compression FROM pragma_storage_info('beacon.variants')
            WHERE segment_type = 'VARCHAR' AND column_name IN ({string.Join(", ", columns.Select(c => $"'{c}'"))})
            """;
        using var reader = command.ExecuteReader();
        var methods = new List<string>();
        while (reader.Read())
        {
            methods.Add(reader.GetString(0));
        }

        return methods;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
