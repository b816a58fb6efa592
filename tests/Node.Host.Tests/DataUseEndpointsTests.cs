using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Node.Host.Tests;

/// <summary>The /dataUse API over the real host.</summary>
public sealed class DataUseEndpointsTests(NodeFactory factory) : IClassFixture<NodeFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var client = factory.CreateClient(); // starts the host: migrations, DUO, demo
        await using var scope = factory.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
        if (await catalog.FindAsync("brca") is null)
        {
            await catalog.AddAsync(new NewDataset("brca", "Breast cancer cohort", AccessTier.Controlled));
            var dataUse = scope.ServiceProvider.GetRequiredService<DatasetDataUse>();
            dataUse.Replace("brca", dataUse.Interpret(["DUO:0000007", "DUO:0000046"], ["NCIT:C4872"]));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Terms_list_duo_with_kinds_labels_and_parents()
    {
        using var client = factory.CreateClient();

        var terms = await client.GetFromJsonAsync<List<DuoTermView>>(new Uri("/dataUse/terms", UriKind.Relative));

        var ds = Assert.Single(terms!, t => t.Id == "DUO:0000007");
        Assert.Equal(("DS", "disease specific research", "permission", false), (ds.Shorthand, ds.Label, ds.Kind, ds.Obsolete));
        Assert.Equal(["DUO:0000006"], ds.Parents);
        Assert.Equal("modifier", terms!.Single(t => t.Id == "DUO:0000045").Kind);
        Assert.True(terms!.Single(t => t.Id == "DUO:0000005").Obsolete);
        // Every DUO class of the release (duo.owl also declares the IAO, OBI, BFO and MONDO classes it refers to).
        var derived = File.ReadLines(Path.Combine(HostEndpointsTests.RepositoryRoot(), "specs", "duo", "duo-terms-with-parents.derived.csv"))
            .Count(line => line.StartsWith("DUO:", StringComparison.Ordinal));
        Assert.Equal(derived, terms!.Count);
    }

    [Fact]
    public async Task A_dataset_view_follows_dataset_use_after_it_was_answered()
    {
        using var client = factory.CreateClient();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatasetCatalog>().AddAsync(new NewDataset("reused", "Reused", AccessTier.Public));
        }

        await UseAsync("reused", "DUO:0000004");
        Assert.Equal("NRES", await SummaryAsync(client, "reused"));

        await UseAsync("reused", "DUO:0000042");
        Assert.Equal("GRU", await SummaryAsync(client, "reused"));
    }

    /// <summary>As <c>dataset use</c> does: the dataset's conditions replaced through the dataset lifecycle.</summary>
    private async Task UseAsync(string datasetId, string term)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var dataUse = scope.ServiceProvider.GetRequiredService<DatasetDataUse>();
        var conditions = dataUse.Interpret([term], []);
        scope.ServiceProvider.GetRequiredService<DatasetCatalog>().WriteData(datasetId, () =>
        {
            dataUse.ReplaceInTransaction(datasetId, conditions);
            return conditions;
        });
    }

    private static async Task<string?> SummaryAsync(HttpClient client, string datasetId)
    {
        using var view = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/dataUse/datasets/{datasetId}", UriKind.Relative)));
        return view.RootElement.GetProperty("summary").GetString();
    }

    [Fact]
    public async Task Dataset_conditions_are_shown_in_beacon_duoDataUse_form()
    {
        using var client = factory.CreateClient();

        using var view = JsonDocument.Parse(await client.GetStringAsync(new Uri("/dataUse/datasets/brca", UriKind.Relative)));

        var duo = view.RootElement.GetProperty("duoDataUse");
        Assert.Equal("DUO:0000007", duo[0].GetProperty("id").GetString());
        Assert.Equal("2021-02-23", duo[0].GetProperty("version").GetString());
        Assert.Equal("NCIT:C4872", duo[0].GetProperty("modifiers")[0].GetProperty("id").GetString());
        Assert.Equal("DUO:0000046", duo[1].GetProperty("id").GetString());
        Assert.Equal("DS[NCIT:C4872] NCU", view.RootElement.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Matching_a_purpose_against_a_dataset_gives_the_decision_and_reasons()
    {
        using var client = factory.CreateClient();

        var approve = await Match(client, """{"purpose":{"diseases":["NCIT:C4872"]},"datasetId":"brca"}""");
        var deny = await Match(client, """{"purpose":{"diseases":["NCIT:C4872"],"commercial":true},"datasetId":"brca"}""");
        var abstain = await Match(client, """{"purpose":{"generalResearch":true},"conditions":{"duo":["DUO:0000042","DUO:0000021"]}}""");

        Assert.Equal("APPROVE", approve.GetProperty("decision").GetString());
        Assert.Equal("DENY", deny.GetProperty("decision").GetString());
        Assert.Contains(deny.GetProperty("reasons").EnumerateArray(),
            r => r.GetProperty("rule").GetString() == "NCU" && r.GetProperty("decision").GetString() == "DENY");
        Assert.Equal("ABSTAIN", abstain.GetProperty("decision").GetString());
        Assert.Contains(abstain.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("rule").GetString() == "IRB");
    }

    [Fact]
    public async Task Disease_hierarchy_of_a_loaded_ontology_is_used()
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<OntologyStore>();
            store.Replace(OntologyFiles.Parse(new MemoryStream(Encoding.UTF8.GetBytes(
                "[Term]\nid: TD:1\nname: cancer\n[Term]\nid: TD:2\nname: breast cancer\nis_a: TD:1\n")), "tiny.obo", null, new HashSet<string>()), "tiny.obo");
        }

        using var client = factory.CreateClient();

        var narrower = await Match(client, """{"purpose":{"diseases":["TD:2"]},"conditions":{"duo":["DUO:0000007"],"diseases":["TD:1"]}}""");
        var broader = await Match(client, """{"purpose":{"diseases":["TD:1"]},"conditions":{"duo":["DUO:0000007"],"diseases":["TD:2"]}}""");

        Assert.Equal("APPROVE", narrower.GetProperty("decision").GetString());
        Assert.Equal("DENY", broader.GetProperty("decision").GetString());
    }

    [Theory]
    [InlineData("""{"datasetId":"brca"}""", "purpose")]
    [InlineData("""{"purpose":{"generalResearch":true}}""", "datasetId")]
    [InlineData("""{"purpose":{"generalResearch":true},"datasetId":"brca","conditions":{"duo":["DUO:0000042"]}}""", "datasetId")]
    [InlineData("""{"purpose":{},"datasetId":"brca"}""", "purpose")]
    [InlineData("""{"purpose":{"generalResearch":true},"conditions":{"duo":["DUO:0000005"]}}""", "conditions")]
    [InlineData("""{"purpose":{"generalResearch":true},"conditions":{"duo":["DUO:0000007"]}}""", "conditions")]
    public async Task Malformed_match_requests_get_400_problem_details_naming_the_field(string body, string field)
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/dataUse/match", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("""{"purpose":{"generalResearch":true},"datasetId":"nowhere","datasetId":"brca"}""", "datasetId")]
    [InlineData("""{"purpose":{"generalResearch":true},"datasetId":"brca","DatasetId":"brca"}""", "DatasetId")]
    [InlineData("""{"purpose":{"diseases":["NCIT:C4872"],"diseases":[]},"datasetId":"brca"}""", "purpose.diseases")]
    [InlineData("""{"purpose":{"generalResearch":true},"datasetId":"br\ud800"}""", "datasetId")]
    [InlineData("""{"purpose":{"diseases":["\udc00"]},"datasetId":"brca"}""", "purpose.diseases[0]")]
    public async Task A_match_body_repeating_a_member_or_holding_text_that_is_not_unicode_is_a_400_naming_it(string body, string field)
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/dataUse/match", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    [Theory]
    [InlineData("""{"purpose":{"generalResearch":true},"conditions":{"duo":[null]}}""", "conditions.duo")]
    [InlineData("""{"purpose":{"generalResearch":true},"conditions":{"duo":["DUO:0000007"],"diseases":["NCIT:C4872",null]}}""", "conditions.diseases")]
    [InlineData("""{"purpose":{"diseases":[null]},"datasetId":"brca"}""", "purpose.diseases")]
    public async Task A_null_in_a_list_of_terms_is_a_400_naming_the_list(string body, string field)
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/dataUse/match", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    [Theory]
    [InlineData("""{"purpose":""")]
    [InlineData("""{"purpose":{"generalResearch":"yes"},"datasetId":"brca"}""")]
    [InlineData("[1,2]")]
    public async Task Unparseable_json_gets_400_without_a_stack_trace(string body)
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(new Uri("/dataUse/match", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_dataset_gets_404()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsJsonAsync(new Uri("/dataUse/match", UriKind.Relative),
            new { purpose = new { generalResearch = true }, datasetId = "nowhere" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no data-use conditions are recorded for dataset 'nowhere'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> Match(HttpClient client, string body)
    {
        using var response = await client.PostAsync(new Uri("/dataUse/match", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
