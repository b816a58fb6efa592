using System.Net;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>The README's two ways of serving the demo, one after the other on one data directory.</summary>
public sealed class DemoSeedingTests : IDisposable
{
    private const string PublicTicket = "/htsget/reads/demo-reads?referenceName=chr17&start=43044000&end=43126000";

    private readonly TemporaryDirectory data = new("demo-seeding");

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task The_public_demo_still_streams_after_the_demo_environment_adds_its_controlled_copy()
    {
        await using (var plain = await ServingNode.StartAsync(data.Path))
        {
            using var client = new HttpClient { BaseAddress = plain.BaseAddress };
            await WaitForDatasetAsync(client, "\"demo\"");
            using var ticket = await client.GetAsync(new Uri(PublicTicket, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ticket.StatusCode);
            Assert.Equal(0, await plain.StopAsync());
        }

        // The Demo environment seeds the controlled copy from the same files beside the public demo.
        await using var demo = await ServingNode.StartAsync(data.Path, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Demo" });
        using var again = new HttpClient { BaseAddress = demo.BaseAddress };
        await WaitForDatasetAsync(again, "\"demo-controlled\"");
        using var after = await again.GetAsync(new Uri(PublicTicket, UriKind.Relative));
        Assert.True(after.StatusCode == HttpStatusCode.OK, $"{after.StatusCode}: {await after.Content.ReadAsStringAsync()}");
    }

    private static async Task WaitForDatasetAsync(HttpClient client, string quotedId)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var datasets = await client.GetAsync(new Uri("/api/datasets", UriKind.Relative));
            if (datasets.StatusCode == HttpStatusCode.OK && (await datasets.Content.ReadAsStringAsync()).Contains(quotedId, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"no dataset {quotedId} listed within 30 s");
    }
}
