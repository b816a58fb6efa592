using DuckDB.NET.Data;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Beacon.Store;
using GenomeNode.Storage;
using GenomeNode.Tests;

namespace GenomeNode.Beacon.Tests;

/// <summary>Who each ingested VCF genotyped, as the frequencies per population need to know it.</summary>
public sealed class FileSamplesTests : IDisposable
{
    private const string Header =
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000000>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";

    private readonly TestDatabase database = new();
    private readonly TemporaryDirectory files = new("genome-node-file-samples");

    public void Dispose()
    {
        database.Dispose();
        files.Dispose();
    }

    private void Ingest(string name, params string[] samples)
    {
        var path = files.Combine(name);
        var columns = samples.Length == 0 ? "" : "\tFORMAT\t" + string.Join('\t', samples);
        var calls = samples.Length == 0 ? "\tAC=1;AN=4" : "\t.\tGT" + string.Concat(samples.Select(_ => "\t0/1"));
        File.WriteAllText(path, $"{Header}{columns}\nchr1\t{100 + name.Length}\t.\tA\tG\t50\tPASS{calls}\n");
        new VcfIngester(database.Connection).Ingest(new VcfIngestRequest("d", path, "GRCh38"));
    }

    [Fact]
    public void Each_file_records_the_sample_index_of_each_of_its_columns_and_a_sites_only_file_none()
    {
        Ingest("a.vcf", "S1", "S2", "S3");
        Ingest("bb.vcf", "S3", "S4", "S1");
        Ingest("ccc.vcf");

        var samples = new VariantStore(database.Connection).FileSamples("d");

        Assert.Equal([(3, "0,1,2"), (3, "2,3,0"), (0, "")], samples.Select(f => (f.Samples, string.Join(',', f.SampleIndexes!))));
    }

    [Fact]
    public void A_file_ingested_before_samples_were_recorded_keeps_its_row_with_its_samples_unknown()
    {
        var all = ModuleMigrations.FromAssembly(BeaconModule.Name, BeaconModule.Assembly);
        using var directory = new TemporaryDirectory();
        using var connection = new DuckDBConnection($"Data Source={directory.Combine("store.duckdb")}");
        connection.Open();
        MigrationRunner.Apply(connection, [all with { Migrations = [.. all.Migrations.Where(m => m.Version <= 8)] }], "test", "store.duckdb");
        connection.Execute("""
            INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span)
            VALUES ('d', 1, 'a.vcf', 'x', 'GRCh38', 2, 0, 0, 0)
            """);

        MigrationRunner.Apply(connection, [all], "test", "store.duckdb");

        var file = Assert.Single(new VariantStore(connection).FileSamples("d"));
        Assert.Equal(new VariantFileSamples(2, null), file);
    }
}
