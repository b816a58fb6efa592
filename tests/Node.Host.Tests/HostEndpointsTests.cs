using System.Net;
using System.Text.Json;
using GenomeNode.Host.Demo;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Schema;

namespace GenomeNode.Node.Host.Tests;

public sealed class HostEndpointsTests(NodeFactory factory) : IClassFixture<NodeFactory>
{
    [Fact]
    public async Task Health_answers_200_with_the_duckdb_check_healthy()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        // Each module adds its own checks (the audit's, for one); this test is about the database's.
        var duckdb = Assert.Single(health.RootElement.GetProperty("checks").EnumerateArray(), check => check.GetProperty("name").GetString() == "duckdb");
        Assert.Equal("Healthy", duckdb.GetProperty("status").GetString());
        Assert.True(File.Exists(factory.Data.Combine("node.duckdb")));
    }

    [Fact]
    public async Task Health_reports_the_beacon_index_built_at_start_without_any_query()
    {
        using var client = factory.CreateClient();
        string? state = null;
        for (var attempt = 0; attempt < 100 && state != "in memory"; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 100);
            using var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            var index = Assert.Single(health.RootElement.GetProperty("checks").EnumerateArray(), check => check.GetProperty("name").GetString() == "beacon-index");
            Assert.Equal("Healthy", index.GetProperty("status").GetString());
            state = index.GetProperty("description").GetString();
        }

        Assert.Equal("in memory", state);
    }

    [Fact]
    public async Task Service_info_is_valid_against_the_ga4gh_service_info_schema()
    {
        using var client = factory.CreateClient();

        var body = await client.GetStringAsync(new Uri("/service-info", UriKind.Relative));

        var schema = JSchema.Parse(await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "schemas", "ga4gh-service-info-1-0-0-schema.json")));
        var document = JObject.Parse(body);
        Assert.True(document.IsValid(schema, out IList<string> errors), string.Join("\n", errors));
        Assert.Equal("fi.example.genome-node.test", (string?)document["id"]);
        Assert.Equal("Test genome centre", (string?)document["organization"]?["name"]);
        Assert.Equal("mailto:helpdesk@genome.example.fi", (string?)document["contactUrl"]);
        Assert.Equal("genome-node", (string?)document["type"]?["artifact"]);
        Assert.NotNull(document["services"] as JArray);
    }

    [Fact]
    public async Task Service_info_schema_check_rejects_a_document_missing_required_fields()
    {
        // Guards the test above: the vendored schema really is enforced.
        var schema = JSchema.Parse(await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "schemas", "ga4gh-service-info-1-0-0-schema.json")));

        Assert.False(JObject.Parse("""{"id":"x","name":"y","version":"1"}""").IsValid(schema));
    }

    [Fact]
    public async Task OpenApi_document_describes_the_node_endpoints()
    {
        using var client = factory.CreateClient();

        using var openApi = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        Assert.StartsWith("3.", openApi.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = openApi.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/service-info", out _));
        Assert.True(paths.TryGetProperty("/health", out _));
        Assert.Equal("Genome Node", openApi.RootElement.GetProperty("info").GetProperty("title").GetString());

        // A ticket's URLs are strings (data URLs and inline data: URIs), whatever type carries them in the node.
        var schemas = openApi.RootElement.GetProperty("components").GetProperty("schemas");
        var url = schemas.GetProperty("HtsgetUrl").GetProperty("properties").GetProperty("url");
        var described = url.TryGetProperty("$ref", out var reference)
            ? schemas.GetProperty(reference.GetString()!.Split('/')[^1])
            : url;
        Assert.Equal("string", described.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Docs_page_serves_the_api_reference_and_its_script_from_the_node_itself()
    {
        using var client = factory.CreateClient();

        var page = await client.GetStringAsync(new Uri("/docs/", UriKind.Relative));
        using var script = await client.GetAsync(new Uri("/docs/scalar.js", UriKind.Relative));

        Assert.Contains("Genome Node API reference", page, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [Fact]
    public async Task Empty_data_directory_gets_the_synthetic_demo_dataset_with_its_files()
    {
        using var client = factory.CreateClient(); // starts the host

        await using var scope = factory.Services.CreateAsyncScope();
        var datasets = await scope.ServiceProvider.GetRequiredService<DatasetCatalog>().ListAsync();

        var demo = Assert.Single(datasets);
        Assert.Equal(DemoDataset.Id, demo.Id);
        Assert.True(demo.IsDemo);
        Assert.Equal(AccessTier.Public, demo.Tier);
        Assert.Contains("SYNTHETIC", demo.Description, StringComparison.Ordinal);
        var dataUse = scope.ServiceProvider.GetRequiredService<GenomeNode.DataUseOntology.DataUse.DatasetDataUse>().Find(DemoDataset.Id);
        Assert.Equal("DUO:0000004", dataUse?.Permission); // NRES: synthetic data carries no restriction
        var objects = scope.ServiceProvider.GetRequiredService<GenomeNode.Htsget.Registration.HtsgetObjectStore>().List(DemoDataset.Id);
        Assert.Equal([("demo-reads", "BAM", "BAI"), ("demo-variants", "VCF", "TBI")],
            objects.Select(o => (o.ObjectId, o.Format, o.IndexFormat)).Order());
        Assert.Equal(
            ["demo.bam", "demo.bam.bai", "demo.vcf.gz", "demo.vcf.gz.tbi", "individuals.json"],
            DemoDataset.FileNames);
        foreach (var name in DemoDataset.FileNames)
        {
            var source = Path.Combine(RepositoryRoot(), "Node.Host", "Demo", "data", name);
            Assert.Equal(await File.ReadAllBytesAsync(source),
                await File.ReadAllBytesAsync(Path.Combine(DemoDataset.DirectoryIn(factory.Data.Path), name)));
        }
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GenomeNode.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (GenomeNode.slnx) is not above the test binaries");
    }
}
