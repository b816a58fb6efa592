using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Import;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests.Filters;

/// <summary>
/// A node with three datasets of imported entries: public, controlled (anonymous callers may learn it exists, at
/// boolean) and controlled with its anonymous ceiling set to none (hidden from them).
/// </summary>
public sealed class FilteringTermsNode : IAsyncLifetime
{
    public BeaconNode Node { get; } = new();

    public async Task InitializeAsync()
    {
        // A per-dataset setting names an existing dataset when a node starts: a first node adds and fills them.
        await using (var first = Node.Sharing())
        {
            _ = first.Server;
            await AddAsync(first, "open", AccessTier.Public,
                Individual("o-1", """{"id": "o-1", "sex": {"id": "NCIT:C16576", "label": "female"}, "diseases": [{"diseaseCode": {"id": "HP:0003002", "label": "Breast carcinoma"}, "ageOfOnset": {"iso8601duration": "P45Y"}}]}"""),
                new ImportedEntry(EntryType.Run, "o-run", "o-1", null, null, """{"id": "o-run", "individualId": "o-1", "libraryStrategy": "WGS"}""", "test"));
            await AddAsync(first, "listed", AccessTier.Controlled,
                Individual("l-1", """{"id": "l-1", "sex": {"id": "NCIT:C20197", "label": "male"}, "karyotypicSex": "XY"}"""));
            await AddAsync(first, "secret", AccessTier.Controlled,
                Individual("s-1", """{"id": "s-1", "sex": {"id": "NCIT:C45908"}, "diseases": [{"diseaseCode": {"id": "ORPHA:99999", "label": "Secret syndrome"}}], "karyotypicSex": "XXY", "heightInCm": 180}"""));
        }

        Node.Settings["Beacon:Datasets:secret:MaxGranularity"] = "none";
        _ = Node.Server;
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();

    private static ImportedEntry Individual(string id, string document) => new(EntryType.Individual, id, null, null, null, document, "test");

    private static async Task AddAsync(BeaconNode node, string id, AccessTier tier, params ImportedEntry[] entries)
    {
        using var scope = node.Services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
        await catalog.AddAsync(new NewDataset(id, id, tier));
        var batch = new ClinicalBatch();
        batch.Entries.AddRange(entries);
        var writer = scope.ServiceProvider.GetRequiredService<EntryWriter>();
        catalog.WriteData(id, () => writer.WriteInTransaction(id, batch));
    }
}

public sealed class FilteringTermsEndpointTests(FilteringTermsNode fixture) : IClassFixture<FilteringTermsNode>
{
    private const string Schema = BeaconSchemas.Framework + "responses/beaconFilteringTermsResponse.json";

    private BeaconNode Node => fixture.Node;

    private async Task<JsonNode> TermsAsync(string query = "")
    {
        var (status, json) = await Node.GetAsync("/api/filtering_terms" + query);
        Assert.True(status == 200, json);
        BeaconSchemas.AssertValid(json, Schema);
        return BeaconNode.Parse(json);
    }

    private static List<JsonNode> Terms(JsonNode response) => [.. response["response"]!["filteringTerms"]!.AsArray().Select(term => term!)];

    private static JsonNode Term(JsonNode response, string id) => Assert.Single(Terms(response), term => (string?)term["id"] == id);

    [Fact]
    public async Task The_terms_of_the_datasets_a_caller_may_learn_of_are_listed_with_types_labels_and_scopes()
    {
        var response = await TermsAsync();

        var female = Term(response, "NCIT:C16576");
        Assert.Equal("ontologyTerm", (string?)female["type"]);
        Assert.Equal("Female", (string?)female["label"]); // the shipped NCIt subset's label, before the document's
        Assert.Equal(["individual"], female["scopes"]!.AsArray().Select(scope => (string?)scope));
        Assert.Equal("Breast carcinoma", (string?)Term(response, "HP:0003002")["label"]); // no HPO loaded: the document's label
        Assert.Equal("Male", (string?)Term(response, "NCIT:C20197")["label"]);
        var age = Term(response, "diseases.ageOfOnset.iso8601duration");
        Assert.Equal("alphanumeric", (string?)age["type"]);
        Assert.Equal("custom", (string?)Term(response, "libraryStrategy:WGS")["type"]);
        Assert.Equal(["run"], Term(response, "libraryStrategy:WGS")["scopes"]!.AsArray().Select(scope => (string?)scope));
        // Only the controlled dataset anonymous callers may learn of has it.
        Assert.Equal("custom", (string?)Term(response, "karyotypicSex:XY")["type"]);
    }

    [Fact]
    public async Task A_hidden_datasets_terms_never_appear()
    {
        var json = (await TermsAsync()).ToJsonString();

        foreach (var secret in new[] { "NCIT:C45908", "ORPHA:99999", "Secret syndrome", "karyotypicSex:XXY", "heightInCm" })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resources_describe_the_loaded_ontologies_the_terms_come_from()
    {
        var resources = (await TermsAsync())["response"]!["resources"]!.AsArray();

        var ncit = Assert.Single(resources, resource => (string?)resource!["nameSpacePrefix"] == "NCIT")!;
        Assert.Equal("ncit", (string?)ncit["id"]);
        Assert.Equal("genome-node/ncit_sex/1", (string?)ncit["version"]);
        Assert.Equal("http://purl.obolibrary.org/obo/NCIT_", (string?)ncit["iriPrefix"]);
        // DUO is loaded but no data term is DUO's; HP is in the data but no HPO is loaded.
        Assert.DoesNotContain(resources, resource => (string?)resource!["nameSpacePrefix"] is "DUO" or "HP");
    }

    [Fact]
    public async Task Skip_and_limit_page_the_terms()
    {
        var all = Terms(await TermsAsync()).Select(term => (string?)term["id"]).ToList();

        var page = Terms(await TermsAsync("?skip=2&limit=3")).Select(term => (string?)term["id"]).ToList();
        var rest = Terms(await TermsAsync($"?skip={all.Count - 1}&limit=0")).Select(term => (string?)term["id"]).ToList();

        Assert.True(all.Count > 5);
        Assert.Equal(all.Skip(2).Take(3), page);
        Assert.Equal([all[^1]], rest);
    }

    [Theory]
    [InlineData("?limit=-1", "limit")]
    [InlineData("?skip=ten", "skip")]
    [InlineData("?limit=1&limit=2", "limit")]
    public async Task Paging_that_is_not_a_whole_number_is_a_beacon_error(string query, string parameter)
    {
        var (status, json) = await Node.GetAsync("/api/filtering_terms" + query);

        Assert.Equal(400, status);
        BeaconSchemas.AssertValid(json, BeaconSchemas.ErrorResponse);
        Assert.StartsWith($"{parameter}: ", (string?)BeaconNode.Parse(json)["error"]!["errorMessage"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_is_not_accepted_is_refused_not_answered_as_anonymous()
    {
        using var client = Node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        using var response = await client.GetAsync(new Uri("/api/filtering_terms", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        BeaconSchemas.AssertValid(await response.Content.ReadAsStringAsync(), BeaconSchemas.ErrorResponse);
    }
}
