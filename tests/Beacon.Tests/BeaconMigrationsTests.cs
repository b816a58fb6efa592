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

        Assert.Equal(["beacon/0003_dataset_and_assembly_per_file", "beacon/0004_dictionary_compressed_strings", "beacon/0005_keys_and_allocators",
            "beacon/0006_claimed_counter_rows_instead_of_keys", "beacon/0007_annotation_text", "beacon/0008_entries", "beacon/0009_file_samples"], applied.Select(m => m.Label));
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

        Assert.Equal(["beacon/0004_dictionary_compressed_strings", "beacon/0005_keys_and_allocators",
            "beacon/0006_claimed_counter_rows_instead_of_keys", "beacon/0007_annotation_text", "beacon/0008_entries", "beacon/0009_file_samples"], applied.Select(m => m.Label));
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
    public void Beacon_keeps_no_key_or_index_whose_block_an_ingest_would_write()
    {
        // DuckDB writes every non-empty index into a 256 KB block of its own, and again when a row of its table changes;
        // files and individuals are guarded by claimed counter rows instead (VcfIngestTests, the concurrent ingests).
        using var database = new TestDatabase();

        Assert.Empty(Texts(database.Connection, """
            SELECT table_name || ' ' || constraint_type FROM duckdb_constraints()
            WHERE schema_name = 'beacon' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
            """));
        Assert.Empty(Texts(database.Connection, "SELECT index_name FROM duckdb_indexes() WHERE schema_name = 'beacon'"));
    }

    [Fact]
    public void Files_and_individuals_stored_before_0006_are_kept_and_every_dataset_with_files_has_its_counter_row()
    {
        var all = ModuleMigrations.FromAssembly(BeaconModule.Name, BeaconModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("store.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(m => m.Version <= 5)] }], "test", "store.duckdb");
        Execute(connection, """
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span) VALUES
                ('a', 1, 'a.vcf', 'x', 'GRCh38', 2, 0, 0, 0), ('sites', 2, 's.vcf', 'y', 'GRCh38', 0, 0, 0, 0);
            INSERT INTO beacon.individuals VALUES ('a', 0, 'S1', NULL), ('a', 1, 'S2', '{"id": "S2"}');
            INSERT INTO beacon.individual_counters VALUES ('a', 2);
            """);
        var files = Texts(connection, "SELECT concat_ws(' ', dataset_id, file_id, path, sha256, assembly, samples, ingested_at) FROM beacon.variant_files ORDER BY file_id");

        MigrationRunner.Apply(connection, [all], "test", "store.duckdb");

        Assert.Equal(files, Texts(connection, "SELECT concat_ws(' ', dataset_id, file_id, path, sha256, assembly, samples, ingested_at) FROM beacon.variant_files ORDER BY file_id"));
        Assert.Equal(["a 0 S1", "a 1 S2 {\"id\": \"S2\"}"], Texts(connection, "SELECT concat_ws(' ', dataset_id, sample_index, id, document) FROM beacon.individuals ORDER BY sample_index"));
        Assert.Equal(["a 2", "sites 0"], Texts(connection, "SELECT dataset_id || ' ' || next_index FROM beacon.individual_counters ORDER BY dataset_id"));
    }

    [Fact]
    public void Annotations_stored_before_0007_as_lists_are_read_back_the_same_from_their_texts()
    {
        var all = ModuleMigrations.FromAssembly(BeaconModule.Name, BeaconModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("store.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(m => m.Version <= 6)] }], "test", "store.duckdb");
        // Transcript HGVS as SnpEff (feature:c.) and VEP (HGVSc with its own id) give them, one without an id, one whose
        // ':' starts it, and percent-decoded values holding ',' and '%'; 200,000 more rows make several row groups.
        string[][] transcripts =
        [
            ["ENST00000357654.9:c.5503C>T", "ENST00000471181.7:c.5566C>T", "c.*812A>G"],
            [":c.1A>G", "NM_007294.4:c.68_69del:x", "ENST1.4:c.1,2%2Cdel%", "%,:c.3"],
            [],
        ];
        string[][] proteins = [["p.Arg1835Ter", "p.(Arg1856Ter)"], ["p.X,Y%", "%2C"], []];
        Execute(connection, """
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span)
            VALUES ('a', 1, 'a.vcf', 'x', 'GRCh38', 1, 200003, 200003, 1);
            """);
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO beacon.variants (file_id, chrom, start, "end", ref, alt, variant_type, allele_count, allele_number, het, het_bitmap,
                                             genes, transcript_hgvs, protein_hgvs)
                SELECT 1, '17', i, i + 1, 'G', 'A', 'SNP', 1, 2, CASE WHEN i = 1 THEN NULL ELSE [0] END, CASE WHEN i = 1 THEN '\x01'::BLOB END,
                       ['BRCA1'], [$1, $2, $3][i + 1], [$4, $5, $6][i + 1]
                FROM range(3) r(i)
                UNION ALL
                SELECT 1, '17', 1000 + i, 1001 + i, 'C', 'T', 'SNP', 1, 2, [0], NULL, ['TP53'], ['ENST' || (i % 3) || ':c.' || i || 'C>T'], ['p.X' || i]
                FROM range(200000) r(i)
                ORDER BY 3
                """;
            foreach (var list in transcripts.Concat(proteins))
            {
                insert.Parameters.Add(list.Length == 0 ? new DuckDBParameter(DBNull.Value) : new DuckDBParameter(list.ToList()));
            }

            insert.ExecuteNonQuery();
        }

        var before = Texts(connection, "SELECT concat_ws('|', rowid, start, het, hex(het_bitmap), genes) FROM beacon.variants ORDER BY rowid");

        var applied = MigrationRunner.Apply(connection, [all], "test", "store.duckdb");

        Assert.Equal(["beacon/0007_annotation_text", "beacon/0008_entries", "beacon/0009_file_samples"], applied.Select(m => m.Label));
        Assert.Equal(before, Texts(connection, "SELECT concat_ws('|', rowid, start, het, hex(het_bitmap), genes) FROM beacon.variants ORDER BY rowid"));
        var store = new VariantStore(connection);
        var read = store.Page(new RangeQuery(null, "17", 0, 3, null, VariantNarrowing.None), "a", 0, 10);
        Assert.Equal(transcripts.Select(list => string.Join(" ", list)), read.Select(variant => string.Join(" ", variant.TranscriptHgvs)));
        Assert.Equal(proteins.Select(list => string.Join(" ", list)), read.Select(variant => string.Join(" ", variant.ProteinHgvs)));
        Assert.Equal([0], read[1].Heterozygous);
        var late = store.Page(new RangeQuery(null, "17", 200_998, 200_999, null, VariantNarrowing.None), "a", 0, 10);
        Assert.Equal(["ENST0:c.199998C>T p.X199998"], late.Select(variant => $"{string.Join(" ", variant.TranscriptHgvs)} {string.Join(" ", variant.ProteinHgvs)}"));
        Execute(connection, "CHECKPOINT");
        Assert.Equal(["Dictionary"], Texts(connection, """
            SELECT DISTINCT compression FROM pragma_storage_info('beacon.variants') WHERE column_name = 'transcript_ids' AND segment_type = 'VARCHAR'
            """));
    }

    private static List<string> Texts(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
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
