using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Tests;

/// <summary>A node with one VCF, written out by the test class's fixture, ingested into one public dataset.</summary>
public abstract class OneVcfNode(string datasetId, string vcfText) : IAsyncLifetime
{
    public BeaconNode Node { get; } = new();

    public async Task InitializeAsync()
    {
        var vcf = Node.Data.Combine(datasetId + ".vcf");
        await File.WriteAllTextAsync(vcf, vcfText);
        _ = Node.Server;
        await Node.AddDatasetAsync(datasetId, AccessTier.Public, vcf);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
