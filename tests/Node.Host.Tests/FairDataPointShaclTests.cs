using System.Net;
using System.Text.Json;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// A real node (the genome-node binary serving on loopback) with datasets described through the CLI: one fully,
/// bilingual, with text that needs escaping; one from a metadata file; one described but hidden from anonymous
/// callers; one not described; and the built-in demo.
/// </summary>
public sealed class DescribedNodeFixture : IAsyncLifetime, IDisposable
{
    public const string Full = "GDI-FI-THL-001";
    public const string FromFile = "GDI-FI-THL-002";
    public const string Hidden = "GDI-FI-THL-003";
    public const string Undescribed = "GDI-FI-THL-004";

    /// <summary>A title with every character class Turtle escapes or passes through: quotes, backslash, non-ASCII, astral.</summary>
    public const string TrickyTitle = "Suomalaiset \"pilotti\"-genomit \\ Åbo — 🧬 <b>&amp;</b> 'x'";

    public const string TrickyDescription = "Whole genomes,\nline two\twith a tab; a \"quote\" and a backslash \\n (not a newline); ääkköset";

    private readonly TemporaryDirectory data = new("genome-node-fdp");

    public ServingNode Node { get; private set; } = null!;

    public string Root => new Uri(Node.BaseAddress, "/fdp").ToString();

    public string DataDirectory => data.Path;

    public async Task InitializeAsync()
    {
        await Cli("dataset", "add", "--id", Full, "--name", "Pilot", "--tier", "controlled");
        await Cli("dataset", "update", "--id", Full,
            "--title", $"fi={TrickyTitle}", "--title", "en=Finnish pilot genomes",
            "--description", $"en={TrickyDescription}", "--description", "fi=Kokogenomit",
            "--keyword", "en=WGS", "--keyword", "en=cancer",
            "--creator", "THL Genomics", "--creator", "Helsinki Biobank",
            "--contact-name", "THL data desk", "--contact-email", "data@thl.example.fi", "--contact-url", "https://thl.example.fi/contact",
            "--health-category", "genomic", "--health-category", "genetic",
            "--language", "en", "--language", "fi", "--format", "VCF", "--format", "CRAM",
            "--hdab-name", "Findata", "--hdab-email", "info@findata.example.fi",
            "--records", "123456", "--individuals", "1000");

        await Cli("dataset", "add", "--id", FromFile, "--name", "Open panel", "--tier", "public");
        var file = Path.Combine(data.Path, "..", $"fdp-metadata-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {
              "title": { "en": "Open reference panel" },
              "description": { "en": "Allele frequencies of a reference panel." },
              "creators": [ "Example Genome Centre" ],
              "contactPoint": { "name": "Panel team", "email": "mailto:panel@genome.example.org" },
              "healthCategories": [ "genomic" ],
              "applicableLegislation": [ "EHDS", "GDPR" ]
            }
            """);
        try
        {
            await Cli("dataset", "update", "--id", FromFile, "--metadata", file);
        }
        finally
        {
            File.Delete(file);
        }

        await Cli("dataset", "add", "--id", Hidden, "--name", "Hidden", "--tier", "registered");
        await Cli("dataset", "update", "--id", Hidden, "--title", "en=Hidden cohort", "--description", "en=Must never be listed",
            "--creator", "Secret lab", "--contact-name", "Lab", "--contact-email", "lab@example.org", "--health-category", "genomic");
        await Cli("dataset", "add", "--id", Undescribed, "--name", "Not described", "--tier", "public");

        Node = await ServingNode.StartAsync(data.Path, new Dictionary<string, string>
        {
            [$"Beacon__Datasets__{Hidden}__MaxGranularity"] = "none",
            ["FairDataPoint__Publisher__Name"] = "Example Genome Centre",
            ["FairDataPoint__Publisher__Email"] = "fdp@genome.example.org",
            ["FairDataPoint__Title__en"] = "Example national genome catalogue",
            ["FairDataPoint__Title__fi"] = "Esimerkkikansallinen genomiluettelo",
            ["FairDataPoint__Description__en"] = "Genomic datasets held by the example node.",
        });
    }

    private async Task Cli(params string[] args)
    {
        var result = await GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"genome-node {string.Join(' ', args)}: {result}");
        }
    }

    public async Task DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }

        Dispose();
    }

    public void Dispose() => data.Dispose();
}

/// <summary>
/// Acceptance: the FAIR Data Point, harvested as the GDI portal's harvester does (breadth-first over ldp:contains,
/// Accept: text/turtle, each resource on its own) from a real node, validates against the GDI metadata SHACL shapes
/// with an independent validator (npm's rdf-validate-shacl with n3, on Debian's node), and stops validating when a
/// mandatory field is removed. The harvester and validator are tests/Node.Host.Tests/shacl/harvest.mjs.
/// </summary>
public sealed class FairDataPointShaclTests(DescribedNodeFixture fixture) : IClassFixture<DescribedNodeFixture>
{
    private const string Dct = "http://purl.org/dc/terms/";

    [Fact]
    public void The_harvest_validates_against_the_gdi_shapes_and_lists_only_described_visible_datasets()
    {
        var report = Harvest(fixture.Root);

        Assert.True(report.GetProperty("conforms").GetBoolean(), $"the harvest does not conform:\n{report}");
        var documents = report.GetProperty("documents").EnumerateArray().ToList();
        Assert.All(documents, d =>
        {
            Assert.True(d.GetProperty("conforms").GetBoolean(), d.ToString());
            Assert.True(d.GetProperty("jsonLdSameGraph").GetBoolean(), $"JSON-LD and Turtle differ for {d.GetProperty("url")}: {d}");
            Assert.Equal("text/turtle; charset=utf-8", d.GetProperty("contentType").GetString());
            Assert.Equal("application/ld+json; charset=utf-8", d.GetProperty("jsonLdContentType").GetString());
        });

        string Url(string path) => fixture.Root + path;
        Assert.Equal(
            [
                (fixture.Root, "fdp"),
                (Url("/catalog/genomes"), "catalog"),
                (Url($"/dataset/{DescribedNodeFixture.Full}"), "dataset"),
                (Url($"/dataset/{DescribedNodeFixture.FromFile}"), "dataset"),
                (Url($"/distribution/{DescribedNodeFixture.Full}/vcf"), "distribution"),
                (Url($"/distribution/{DescribedNodeFixture.Full}/cram"), "distribution"),
                (Url($"/distribution/{DescribedNodeFixture.FromFile}/data"), "distribution"),
            ],
            documents.Select(d => (d.GetProperty("url").GetString(), d.GetProperty("kind").GetString())));

        // The texts as an independent Turtle parser read them: what the operator gave, character for character.
        var full = documents.Single(d => d.GetProperty("url").GetString() == Url($"/dataset/{DescribedNodeFixture.Full}"));
        Assert.Equal(
            [("Finnish pilot genomes", "en"), (DescribedNodeFixture.TrickyTitle, "fi")],
            full.GetProperty("titles").EnumerateArray().Select(t => (t.GetProperty("value").GetString(), t.GetProperty("language").GetString())).Order());
        Assert.Contains(full.GetProperty("descriptions").EnumerateArray(),
            t => t.GetProperty("value").GetString() == DescribedNodeFixture.TrickyDescription && t.GetProperty("language").GetString() == "en");
    }

    [Fact]
    public async Task Hidden_undescribed_and_demo_datasets_answer_as_unknown_ids_in_both_formats()
    {
        using var client = new HttpClient { BaseAddress = fixture.Node.BaseAddress };
        var bodies = new List<string>();
        foreach (var id in new[] { DescribedNodeFixture.Hidden, DescribedNodeFixture.Undescribed, "demo", "GDI-FI-THL-999" })
        {
            foreach (var accept in new[] { "text/turtle", "application/ld+json" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/fdp/dataset/{id}");
                request.Headers.Accept.ParseAdd(accept);
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }

            using var distribution = await client.GetAsync($"/fdp/distribution/{id}/data");
            Assert.Equal(HttpStatusCode.NotFound, distribution.StatusCode);
        }

        Assert.Single(bodies.Distinct());
        var catalog = await client.GetStringAsync("/fdp/catalog/genomes");
        Assert.DoesNotContain(DescribedNodeFixture.Hidden, catalog, StringComparison.Ordinal);
        Assert.DoesNotContain("Must never be listed", catalog, StringComparison.Ordinal);
        Assert.DoesNotContain(DescribedNodeFixture.Undescribed, catalog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_negotiation_defaults_to_turtle_and_follows_quality()
    {
        using var client = new HttpClient { BaseAddress = fixture.Node.BaseAddress };
        async Task<string?> TypeFor(string? accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/fdp");
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Accept", response.Headers.Vary);
            return response.Content.Headers.ContentType?.MediaType;
        }

        Assert.Equal("text/turtle", await TypeFor(null));
        Assert.Equal("text/turtle", await TypeFor("*/*"));
        Assert.Equal("text/turtle", await TypeFor("text/html"));
        Assert.Equal("application/ld+json", await TypeFor("application/ld+json"));
        Assert.Equal("application/ld+json", await TypeFor("text/turtle;q=0.5, application/ld+json"));
        Assert.Equal("text/turtle", await TypeFor("application/ld+json;q=0.4, text/turtle;q=0.9"));
    }

    [Fact]
    public async Task Hostile_paths_and_accept_headers_never_get_a_server_error()
    {
        // Latin-1 header bytes, so that the non-ASCII Accept header reaches the node as bytes.
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1 };
        using var client = new HttpClient(handler) { BaseAddress = fixture.Node.BaseAddress };
        string[] paths =
        [
            "/fdp/dataset/%00", "/fdp/dataset/..%2F..%2Fetc", "/fdp/dataset/" + new string('A', 5000), "/fdp/dataset/GDI-FI-THL-001%0A",
            "/fdp/dataset/GDI-FI-THL-001%20", "/fdp/dataset/gdi-fi-thl-001", "/fdp/dataset/%F0%9F%A7%AC", "/fdp/dataset/%ED%A0%80",
            "/fdp/catalog/%00", "/fdp/catalog/GENOMES", "/fdp/distribution/GDI-FI-THL-001/..", "/fdp/distribution/GDI-FI-THL-001/VCF",
            "/fdp/distribution/GDI-FI-THL-001/vcf%00", "/fdp/nothing", "/fdp/dataset/",
        ];
        string[] accepts = ["", "text/turtle;q=abc", "application/ld+json;q=2", ";;;,,,", "*/*;q=0", new string('a', 8000), "text/turtle, ä/ö"];
        foreach (var path in paths)
        {
            foreach (var accept in accepts)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                using var response = await client.SendAsync(request);
                Assert.True((int)response.StatusCode < 500, $"{path} with Accept '{accept[..Math.Min(accept.Length, 40)]}' answered {(int)response.StatusCode}");
            }
        }

        // Exact ids only: another letter case or a suffix is another, unknown resource.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/fdp/dataset/gdi-fi-thl-001")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/fdp/distribution/GDI-FI-THL-001/VCF")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/fdp/distribution/GDI-FI-THL-001/vcf")).StatusCode);
    }

    public static TheoryData<string, string, string> Mutations => new()
    {
        { "title", """{"op":"drop","predicate":"http://purl.org/dc/terms/title"}""", Dct + "title" },
        { "description", """{"op":"drop","predicate":"http://purl.org/dc/terms/description"}""", Dct + "description" },
        { "identifier", """{"op":"drop","predicate":"http://purl.org/dc/terms/identifier"}""", Dct + "identifier" },
        { "access rights", """{"op":"drop","predicate":"http://purl.org/dc/terms/accessRights"}""", Dct + "accessRights" },
        { "applicable legislation", """{"op":"drop","predicate":"http://data.europa.eu/r5r/applicableLegislation"}""", "http://data.europa.eu/r5r/applicableLegislation" },
        { "health category", """{"op":"drop","predicate":"http://healthdataportal.eu/ns/health#healthCategory"}""", "http://healthdataportal.eu/ns/health#healthCategory" },
        { "theme", """{"op":"drop","predicate":"http://www.w3.org/ns/dcat#theme"}""", "http://www.w3.org/ns/dcat#theme" },
        { "creator", """{"op":"drop","predicate":"http://purl.org/dc/terms/creator"}""", Dct + "creator" },
        { "publisher", """{"op":"drop","predicate":"http://purl.org/dc/terms/publisher"}""", Dct + "publisher" },
        { "contact e-mail", """{"op":"drop","predicate":"http://www.w3.org/2006/vcard/ns#hasEmail"}""", "http://www.w3.org/2006/vcard/ns#hasEmail" },
        { "contact e-mail not mailto:", """{"op":"replace","from":"<mailto:data@","to":"<http://mail.example/data@"}""", "http://www.w3.org/2006/vcard/ns#hasEmail" },
        { "identifier not GDI", """{"op":"replace","from":"\"GDI-FI-THL-001\"","to":"\"demo\""}""", Dct + "identifier" },
        { "two publishers", """{"op":"append","turtle":"{DATASET} <http://purl.org/dc/terms/publisher> [ a <http://xmlns.com/foaf/0.1/Agent> ; <http://xmlns.com/foaf/0.1/name> \"Another\" ] ."}""", Dct + "publisher" },
        { "access rights outside the vocabulary", """{"op":"replace","from":"access-right/RESTRICTED","to":"access-right/SOMETIMES"}""", Dct + "accessRights" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void The_shapes_refuse_a_dataset_without_a_mandatory_field(string field, string mutation, string path)
    {
        var report = Harvest(fixture.Root, mutation);

        Assert.False(report.GetProperty("conforms").GetBoolean(), $"the shapes accepted the datasets without a valid {field}");
        var dataset = report.GetProperty("documents").EnumerateArray()
            .Single(d => d.GetProperty("url").GetString() == $"{fixture.Root}/dataset/{DescribedNodeFixture.Full}");
        Assert.False(dataset.GetProperty("conforms").GetBoolean());
        Assert.Contains(dataset.GetProperty("results").EnumerateArray(), r => r.GetProperty("path").GetString() == path);
        // Only the mutated documents fail: the rest of the harvest still conforms.
        Assert.All(report.GetProperty("documents").EnumerateArray().Where(d => !d.GetProperty("url").GetString()!.Contains("/dataset/", StringComparison.Ordinal)),
            d => Assert.True(d.GetProperty("conforms").GetBoolean(), d.ToString()));
    }

    /// <summary>Runs the harvester and validator (Debian's node, npm packages from shacl/package-lock.json).</summary>
    internal static JsonElement Harvest(string root, params string[] mutations)
    {
        var folder = Path.Combine(HostEndpointsTests.RepositoryRoot(), "tests", "Node.Host.Tests", "shacl");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "rdf-validate-shacl")),
            $"the SHACL validator is not installed: run ./test.sh (or npm ci in {folder})");
        var shapes = Directory.GetFiles(Path.Combine(HostEndpointsTests.RepositoryRoot(), "specs", "gdi-metadata", "shapes"), "*.ttl").Order().ToList();
        Assert.Equal(9, shapes.Count);
        using var manifest = new TemporaryDirectory("fdp-harvest");
        var manifestFile = Path.Combine(manifest.Path, "manifest.json");
        File.WriteAllText(manifestFile, $$"""
            {"root": {{JsonSerializer.Serialize(root)}}, "shapes": {{JsonSerializer.Serialize(shapes)}}, "mutations": [{{string.Join(',', mutations)}}]}
            """);
        var (exitCode, output, error) = ExternalTools.RunWithExitCode("node", null, Path.Combine(folder, "harvest.mjs"), manifestFile);
        Assert.True(exitCode == 0, $"harvest.mjs exited with {exitCode}: {error}");
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }
}
