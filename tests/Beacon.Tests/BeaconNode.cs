using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// The real node host (same composition as <c>genome-node serve</c>) on a fresh data directory, with the demo dataset
/// seeded (its VCF ingested) and further datasets added by the tests through the node's own services.
/// </summary>
public sealed class BeaconNode : WebApplicationFactory<GenomeNode.Host.Program>
{
    private readonly bool ownsData;

    public BeaconNode()
    {
        Data = new("genome-node-beacon");
        ownsData = true;
    }

    /// <summary>A node on the data directory of an earlier node (which keeps and disposes it).</summary>
    private BeaconNode(TemporaryDirectory data)
    {
        Data = data;
    }

    /// <summary>Another node on this node's data directory, for a fixture that prepares data before this node starts.</summary>
    public BeaconNode Sharing() => new(Data);

    public TemporaryDirectory Data { get; }

    /// <summary>Extra configuration, applied before the host starts.</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Node:DataDirectory", Data.Path);
        builder.UseSetting("Node:Organization:Name", "Test genome centre");
        builder.UseSetting("Node:Organization:Url", "https://genome.example.fi");
        builder.UseSetting("Beacon:Id", "fi.example.genome-node.beacon.test");
        builder.UseSetting("Beacon:Name", "Test Beacon");
        builder.UseSetting("Beacon:Organization:Id", "fi.example");
        builder.UseSetting("Beacon:Organization:Name", "Test genome centre");
        builder.UseSetting("Beacon:Organization:WelcomeUrl", "https://genome.example.fi");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Adds a dataset and ingests a VCF into it, as the CLI would.</summary>
    public async Task<VcfIngestResult> AddDatasetAsync(string id, AccessTier tier, string vcf, string assembly = "GRCh38")
    {
        using var scope = Services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
        if (await catalog.FindAsync(id) is null)
        {
            await catalog.AddAsync(new NewDataset(id, id, tier));
        }

        return scope.ServiceProvider.GetRequiredService<VcfIngester>().Ingest(new VcfIngestRequest(id, vcf, assembly));
    }

    public async Task<(int Status, string Json)> GetAsync(string url)
    {
        using var client = CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Json)> PostAsync(string url, string body)
    {
        using var client = CreateClient();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(url, UriKind.Relative), content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Json)> PostAsync(string url, JsonNode body) => await PostAsync(url, body.ToJsonString());

    public static JsonNode Parse(string json) => JsonNode.Parse(json) ?? throw new JsonException("empty response");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsData)
        {
            Data.Dispose();
        }
    }
}
