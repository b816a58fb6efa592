using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The GDI User Portal's query, in the shape its dataset discovery service sends through a Beacon network
/// (BeaconIndividualsRequestMapper of gdi-userportal-dataset-discovery-service): POST /api/individuals with
/// individual-scope filters whose unused members are null, requestParameters as a map of strings, record granularity,
/// HIT result sets; the portal reads each result set's setType, id and resultsCount. The demo data (public) and the
/// same data as a registered dataset: an anonymous portal gets the public dataset's count and is told the registered
/// one was not queried; a portal user with Registered Access visas gets both counts (no records).
/// </summary>
public sealed class GdiPortalQueryTests : IAsyncLifetime, IDisposable
{
    private const string Subject = "portal-user@lifescience-ri.eu";
    private const string Registered = "GDI-FI-REG-001";

    private readonly NodeFactory factory = new();
    private WireMockServer trust = null!;
    private TestTokenIssuer broker = null!;
    private TestTokenIssuer committee = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        trust = WireMockServer.Start();
        broker = new TestTokenIssuer($"{trust.Url}/broker", $"{trust.Url}/broker/jwks");
        committee = new TestTokenIssuer($"{trust.Url}/dac", $"{trust.Url}/dac/jwks");
        foreach (var issuer in new[] { broker, committee })
        {
            trust.Given(Request.Create().WithPath(new Uri(issuer.JwksUrl).AbsolutePath).UsingGet())
                .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(issuer.Jwks()));
        }

        factory.Settings["Passport:AllowLoopbackHttp"] = "true";
        // A registered dataset whose granted callers see counts: what a national node shows bona fide researchers.
        factory.Settings["Beacon:GrantedGranularity:Registered"] = "count";
        factory.Settings["Passport:TrustedBrokers:0:Issuer"] = broker.Issuer;
        factory.Settings["Passport:TrustedBrokers:0:JwksUri"] = broker.JwksUrl;
        factory.Settings["Passport:TrustedVisaIssuers:0:Issuer"] = committee.Issuer;
        factory.Settings["Passport:TrustedVisaIssuers:0:Jku"] = committee.JwksUrl;
        factory.Settings["Passport:TrustedVisaIssuers:0:SubjectsOfBroker"] = broker.Issuer;
        factory.UseKestrel(0);
        factory.StartServer();
        client = factory.CreateClient();
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatasetCatalog>().AddAsync(new NewDataset(Registered, "Registered demo copy", AccessTier.Registered));
        scope.ServiceProvider.GetRequiredService<VcfIngester>().Ingest(new VcfIngestRequest(Registered, DemoFile("demo.vcf.gz"), "GRCh38"));
        scope.ServiceProvider.GetRequiredService<IndividualDocuments>().Attach(Registered, await File.ReadAllTextAsync(DemoFile("individuals.json")));
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
        trust.Stop();
    }

    public void Dispose()
    {
        broker.Dispose();
        committee.Dispose();
    }

    private static string DemoFile(string name) => Path.Combine(AppContext.BaseDirectory, "demo", name);

    /// <summary>The body as the portal's mapper builds it: a female filter (dropdown), an onset-age filter (free text), BRCA1 (entries).</summary>
    private static string PortalBody() => """
        {
          "meta": {"apiVersion": "2.0"},
          "query": {
            "includeResultsetResponses": "HIT",
            "requestedGranularity": "record",
            "testMode": false,
            "pagination": {"skip": 0, "limit": 1},
            "filters": [
              {"id": "NCIT:C16576", "operator": null, "value": null, "scope": "individual", "includeDescendantTerms": null, "similarity": null},
              {"id": "diseases.ageOfOnset.iso8601duration", "operator": "<", "value": "P50Y", "scope": "individual"}
            ],
            "requestParameters": {"geneId": "BRCA1", "assemblyId": "GRCh38"}
          }
        }
        """;

    /// <summary>
    /// Computed from the input files, not through the node: women with a disease whose onset is before 50 years who
    /// carry (0/1, 1/1, ...) a variant the VCF annotates with gene BRCA1.
    /// </summary>
    private static int ExpectedCount()
    {
        var carriers = new HashSet<string>(StringComparer.Ordinal);
        var lines = ExternalTools.Lines("bcftools", "query", "-i", "INFO/ANN~\"|BRCA1|\"", "-f", "[%SAMPLE\t%GT\n]", DemoFile("demo.vcf.gz"));
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            var parts = line.Split('\t');
            if (parts[1].Split('/', '|').Any(allele => allele is not ("0" or ".")))
            {
                carriers.Add(parts[0]);
            }
        }

        using var individuals = JsonDocument.Parse(File.ReadAllText(DemoFile("individuals.json")));
        return individuals.RootElement.EnumerateArray().Count(individual =>
            individual.GetProperty("sex").GetProperty("id").GetString() == "NCIT:C16576"
            && individual.TryGetProperty("diseases", out var diseases)
            && diseases.EnumerateArray().Any(d => d.TryGetProperty("ageOfOnset", out var onset)
                && int.Parse(onset.GetProperty("iso8601duration").GetString()!.TrimStart('P').TrimEnd('Y'), CultureInfo.InvariantCulture) < 50)
            && carriers.Contains(individual.GetProperty("id").GetString()!));
    }

    private async Task<JsonNode> PostAsync(string? passport)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/individuals")
        {
            Content = new StringContent(PortalBody(), Encoding.UTF8, "application/json"),
        };
        if (passport is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", passport);
        }

        using var response = await client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
        return JsonNode.Parse(json)!;
    }

    /// <summary>What the portal keeps of an answer: dataset id → resultsCount, of result sets with setType dataset and a count above 0.</summary>
    private static Dictionary<string, long> PortalReads(JsonNode answer) =>
        answer["response"]!["resultSets"]!.AsArray()
            .Where(set => (string?)set!["setType"] == "dataset" && (long?)set["resultsCount"] > 0)
            .ToDictionary(set => (string)set!["id"]!, set => (long)set!["resultsCount"]!);

    [Fact]
    public async Task An_anonymous_portal_gets_the_public_datasets_count_and_is_told_the_registered_one_was_not_queried()
    {
        var expected = ExpectedCount();
        Assert.True(expected > 0, "the demo data should hold women with an early-onset disease carrying a BRCA1 variant");

        var answer = await PostAsync(null);

        Assert.Equal(new Dictionary<string, long> { ["demo"] = expected }, PortalReads(answer));
        // Public data at record granularity: the page of records the request asked for (limit 1).
        Assert.Equal("record", (string?)answer["meta"]!["returnedGranularity"]);
        Assert.Single(answer["response"]!["resultSets"]![0]!["results"]!.AsArray());
        var notQueried = answer["info"]!["privacy"]!["notQueried"]!.AsArray().Select(n => (string)n!["datasetId"]!).ToList();
        Assert.Contains(Registered, notQueried);
    }

    [Fact]
    public async Task A_portal_user_with_registered_access_visas_gets_the_registered_datasets_count_without_records()
    {
        var expected = ExpectedCount();
        var passport = broker.Passport(Subject,
        [
            committee.Visa(Subject, "AcceptedTermsAndPolicies", "https://doi.org/10.1038/s41431-018-0219-y", by: "self"),
            committee.Visa(Subject, "ResearcherStatus", "https://doi.org/10.1038/s41431-018-0219-y", by: "so"),
        ]);

        var answer = await PostAsync(passport);

        Assert.Equal(new Dictionary<string, long> { ["demo"] = expected, [Registered] = expected }, PortalReads(answer));
        Assert.Equal("count", (string?)answer["meta"]!["returnedGranularity"]);
        Assert.All(answer["response"]!["resultSets"]!.AsArray(), set => Assert.Empty(set!["results"]!.AsArray()));
    }
}
