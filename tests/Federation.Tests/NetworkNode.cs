using GenomeNode.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GenomeNode.Federation.Tests;

/// <summary>The real node host (as <c>genome-node serve</c> composes it) on a fresh data directory with the demo seeded, and extra settings.</summary>
public sealed class NetworkNode(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<GenomeNode.Host.Program>
{
    private readonly TemporaryDirectory data = new("genome-node-federation");

    public const string BeaconId = "fi.example.genome-node.beacon.test";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Node:DataDirectory", data.Path);
        builder.UseSetting("Beacon:Id", BeaconId);
        builder.UseSetting("Beacon:Name", "Test Beacon");
        builder.UseSetting("Beacon:Organization:Id", "fi.example");
        builder.UseSetting("Beacon:Organization:Name", "Test genome centre");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            data.Dispose();
        }
    }
}
