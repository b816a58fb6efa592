using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// A node with the demo (public) and a synthetic annotated VCF ingested three times: as a public dataset, a
/// registered one whose anonymous ceiling is configured to count, and a controlled one (anonymous ceiling boolean).
/// </summary>
public sealed class QueryNode : IAsyncLifetime
{
    public BeaconNode Node { get; } = new();

    public string SyntheticVcf { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Node.Settings["Beacon:Datasets:reg:MaxGranularity"] = "count";
        SyntheticVcf = Tools.SyntheticVcf(Node.Data.Combine("synthetic.vcf.gz"), 3000, 40, seed: 7, annotated: true);
        _ = Node.Server; // start the host: migrations and the demo seeding
        await Node.AddDatasetAsync("syn", AccessTier.Public, SyntheticVcf);
        await Node.AddDatasetAsync("reg", AccessTier.Registered, SyntheticVcf);
        await Node.AddDatasetAsync("ctrl", AccessTier.Controlled, SyntheticVcf);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
