using System.Text.RegularExpressions;

namespace GenomeNode.Beacon.Tests;

/// <summary>The README's example Beacon queries, run as written against a freshly seeded demo.</summary>
public sealed partial class ReadmeExampleTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [GeneratedRegex(@"^curl -s (?:-X POST )?'http://127\.0\.0\.1:8080(?<path>/api/[^']+)'(?: -H '[^']+' -d '(?<body>[^']+)')?$", RegexOptions.Multiline)]
    private static partial Regex Example();

    public static TheoryData<string, string> Examples()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var data = new TheoryData<string, string>();
        foreach (Match match in Example().Matches(readme))
        {
            data.Add(match.Groups["path"].Value, match.Groups["body"].Value);
        }

        return data;
    }

    [Fact]
    public void The_README_has_GET_and_POST_examples() =>
        Assert.True(Examples().Count >= 8 && Examples().Any(example => ((string)example[1]).Length > 0));

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task README_example_finds_the_demo_variants_and_answers_valid_Beacon_responses(string path, string body)
    {
        var (status, json) = body.Length == 0 ? await node.GetAsync(path) : await node.PostAsync(path, body);

        Assert.True(status == 200, $"{path}: {status} {json}");
        var response = BeaconNode.Parse(json);
        Assert.True((bool)response["responseSummary"]!["exists"]!, $"{path}: {json}");
        BeaconSchemas.AssertValid(json, response["response"]?["collections"] is not null
            ? BeaconSchemas.CollectionsResponse
            : BeaconSchemas.ForGranularity((string)response["meta"]!["returnedGranularity"]!));
        if ((string?)response["meta"]!["returnedGranularity"] == "count")
        {
            Assert.True((long)response["responseSummary"]!["numTotalResults"]! > 0);
        }
    }
}
