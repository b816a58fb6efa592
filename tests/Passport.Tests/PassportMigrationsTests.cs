using DuckDB.NET.Data;
using GenomeNode.Storage;
using GenomeNode.Tests;

namespace GenomeNode.Passport.Tests;

public sealed class PassportMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_passport_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(PassportModule.Name, PassportModule.Assembly);

    [Fact]
    public void Audit_rows_written_before_0004_are_numbered_in_the_order_they_were_appended_and_the_counter_follows_them()
    {
        var all = ModuleMigrations.FromAssembly(PassportModule.Name, PassportModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("node.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(m => m.Version <= 3)] }], "test", "node.duckdb");
        // Appended in this order, with clocks that do not agree with it (rows are numbered as appended, not by time).
        connection.Execute("""
            INSERT INTO passport.access_decisions (decided_at, client_address, resource, dataset_id, allowed, access, reason) VALUES
                (TIMESTAMPTZ '2026-01-01 10:00:02+00', '10.0.0.1', 'beacon:g_variants', 'a', true, 'boolean', 'first'),
                (TIMESTAMPTZ '2026-01-01 10:00:01+00', '10.0.0.2', 'beacon:g_variants', 'a', false, 'none', 'second'),
                (TIMESTAMPTZ '2026-01-01 10:00:03+00', '10.0.0.3', 'htsget:reads/x', 'b', true, 'stream', 'third');
            """);

        var applied = MigrationRunner.Apply(connection, [all], "test", "node.duckdb");

        Assert.Contains("passport/0004_audit_details_and_order", applied.Select(m => m.Label));
        Assert.Equal([("first", 1L, 0.0), ("second", 2L, 0.0), ("third", 3L, 0.0)], connection.Read(
            "SELECT reason, seq, cost FROM passport.access_decisions ORDER BY seq",
            reader => (reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2))));
        Assert.Equal(3L, connection.Scalar("SELECT last_seq FROM passport.access_decision_sequence"));
    }
}
