using System.Net;
using System.Text.Json;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Issue 14, finding 4: per-dataset settings apply whatever the letter case of the id they are written under (as
/// configuration compares keys), and a setting that names no dataset stops the node instead of protecting nothing.
/// </summary>
public sealed class PerDatasetSettingsTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-settings");

    public void Dispose() => data.Dispose();

    [Theory]
    [InlineData("hidden")]
    [InlineData("HIDDEN")]
    [InlineData("Hidden")]
    public async Task A_setting_hides_its_dataset_whatever_the_letter_case_of_its_key(string key)
    {
        await PreparedData.AddDatasetsAsync(data.Path,
            new NewDataset("Hidden", "Hidden", AccessTier.Controlled, VisaValue: "https://dac.example.fi/hidden"),
            new NewDataset("Open", "Open", AccessTier.Public));
        await using var node = new NodeFactory();
        node.Settings["Node:DataDirectory"] = data.Path;
        node.Settings[$"Beacon:Datasets:{key}:MaxGranularity"] = "none";
        using var client = node.CreateClient();

        using var named = await client.GetAsync(new Uri(
            "/api/g_variants?referenceName=1&start=99&referenceBases=A&alternateBases=G&datasetIds=Hidden&requestedGranularity=record", UriKind.Relative));
        var answer = await client.GetStringAsync(new Uri(
            "/api/g_variants?referenceName=1&start=99&referenceBases=A&alternateBases=G&requestedGranularity=record&includeResultsetResponses=ALL", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, named.StatusCode);
        using (var refusal = JsonDocument.Parse(await named.Content.ReadAsStringAsync()))
        {
            Assert.Equal("datasetIds: no dataset 'Hidden' can be queried here",
                refusal.RootElement.GetProperty("error").GetProperty("errorMessage").GetString());
        }

        using var document = JsonDocument.Parse(answer);
        var sets = document.RootElement.GetProperty("response").GetProperty("resultSets").EnumerateArray().Select(set => set.GetProperty("id").GetString());
        Assert.Equal(["Open"], sets);
    }

    [Fact]
    public async Task A_setting_that_names_no_dataset_stops_the_node_with_one_line_naming_the_key()
    {
        Assert.Equal(0, (await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "Hidden", "--name", "Hidden", "--tier", "controlled", "--data", data.Path)).ExitCode);

        var result = await GenomeNodeProcess.RunAsync(
            "serve", "--data", data.Path, "--urls", "http://127.0.0.1:0", "--Beacon:Datasets:hiden:MaxGranularity=none");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "error: invalid configuration: Beacon:Datasets:hiden names no dataset of this node (ids compare ignoring letter case); correct the id or remove the setting",
            result.Error.Split('\n').Last(line => line.Length > 0));
    }
}
