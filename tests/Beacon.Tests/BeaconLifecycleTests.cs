using DuckDB.NET.Data;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Beacon.Store;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>A catalog whose changes Beacon's module takes part in, as in the node.</summary>
internal static class BeaconLifecycle
{
    public static DatasetCatalog Catalog(DuckDBConnection connection) =>
        new(connection, [new BeaconDatasetData(new VariantIndex(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>()), new GenomeNode.Beacon.Entries.EntryIndex(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>()))]);
}

/// <summary>Beacon's part of the dataset lifecycle, against a real, migrated DuckDB file.</summary>
public sealed class BeaconLifecycleTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly TemporaryDirectory files = new("genome-node-lifecycle");

    public void Dispose()
    {
        database.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task An_added_dataset_has_the_counter_row_its_ingests_claim_and_a_removed_one_leaves_none()
    {
        var catalog = BeaconLifecycle.Catalog(database.Connection);

        await catalog.AddAsync(new NewDataset("cohort", "Cohort", AccessTier.Public));
        Assert.Equal(["cohort 0"], Counters());

        var vcf = Path.Combine(files.Path, "two.vcf");
        File.WriteAllText(vcf, "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\nchr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\n");
        catalog.WriteData("cohort", () => new VcfIngester(database.Connection).IngestInTransaction(new VcfIngestRequest("cohort", vcf, "GRCh38")));
        Assert.Equal(["cohort 2"], Counters());

        await catalog.RemoveAsync("cohort");
        Assert.Empty(Counters());
    }

    private List<string> Counters()
    {
        using var command = database.Connection.CreateCommand();
        command.CommandText = "SELECT dataset_id || ' ' || next_index FROM beacon.individual_counters ORDER BY dataset_id";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
