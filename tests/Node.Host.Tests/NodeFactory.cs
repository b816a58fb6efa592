using GenomeNode.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GenomeNode.Node.Host.Tests;

/// <summary>The real node host (same composition as <c>genome-node serve</c>) on a fresh data directory.</summary>
public sealed class NodeFactory : WebApplicationFactory<GenomeNode.Host.Program>
{
    public TemporaryDirectory Data { get; } = new("genome-node-host");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Node:DataDirectory", Data.Path);
        builder.UseSetting("Node:Id", "fi.example.genome-node.test");
        builder.UseSetting("Node:Organization:Name", "Test genome centre");
        builder.UseSetting("Node:Organization:Url", "https://genome.example.fi");
        builder.UseSetting("Node:ContactUrl", "mailto:helpdesk@genome.example.fi");
        // Only used when a test asks for a real Kestrel: never collide with a node on the default port.
        builder.UseSetting("urls", "http://127.0.0.1:0");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Data.Dispose();
    }
}
