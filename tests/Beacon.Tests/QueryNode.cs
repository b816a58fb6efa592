using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// A node with the demo (public) and a synthetic annotated VCF ingested three times: as a public dataset, a
/// registered one whose anonymous ceiling is configured to count, and a controlled one (anonymous ceiling boolean).
/// </summary>
public sealed class QueryNode : IAsyncLifetime
{
    private static readonly string[] EveryQueryKind = ["sequence", "hgvs", "range", "bracket", "gene", "filters"];

    public BeaconNode Node { get; } = new();

    public string SyntheticVcf { get; private set; } = "";

    public async Task InitializeAsync()
    {
        SyntheticVcf = Tools.SyntheticVcf(Node.Data.Combine("synthetic.vcf.gz"), 3000, 40, seed: 7, annotated: true);
        // A per-dataset setting must name an existing dataset when a node starts: a first node seeds the demo and
        // ingests the datasets, the node under test starts on its data directory with the setting.
        await using (var first = Node.Sharing())
        {
            _ = first.Server; // start the host: migrations and the demo seeding
            await first.AddDatasetAsync("syn", AccessTier.Public, SyntheticVcf);
            await first.AddDatasetAsync("reg", AccessTier.Registered, SyntheticVcf);
            await first.AddDatasetAsync("ctrl", AccessTier.Controlled, SyntheticVcf);
        }

        Node.Settings["Beacon:Datasets:reg:MaxGranularity"] = "count";
        // These tests are about answers and granularity ceilings: every query shape, exact counts and no budget on the
        // registered and controlled datasets. The privacy rules' defaults have their own tests (PrivacyTests).
        foreach (var tier in new[] { "Registered", "Controlled" })
        {
            foreach (var (kind, i) in EveryQueryKind.Select((kind, i) => (kind, i)))
            {
                Node.Settings[$"Privacy:{tier}:AnonymousQueries:{i}"] = kind;
            }

            Node.Settings[$"Privacy:{tier}:MinimumCount"] = "0";
        }

        Node.Settings["Privacy:Budget:Anonymous"] = "0";
        _ = Node.Server;
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
