namespace GenomeNode.Beacon.Tests;

public sealed class FrameworkEndpointTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [Theory]
    [InlineData("/api", "responses/beaconInfoResponse.json")]
    [InlineData("/api/info", "responses/beaconInfoResponse.json")]
    [InlineData("/api/service-info", "responses/ga4gh-service-info-1-0-0-schema.json")]
    [InlineData("/api/configuration", "responses/beaconConfigurationResponse.json")]
    [InlineData("/api/map", "responses/beaconMapResponse.json")]
    [InlineData("/api/entry_types", "responses/beaconEntryTypesResponse.json")]
    [InlineData("/api/filtering_terms", "responses/beaconFilteringTermsResponse.json")]
    public async Task Framework_endpoint_answers_valid_against_its_response_schema(string path, string schema)
    {
        var (status, json) = await node.GetAsync(path);

        Assert.Equal(200, status);
        BeaconSchemas.AssertValid(json, BeaconSchemas.Framework + schema);
    }

    [Fact]
    public async Task Info_names_the_configured_beacon_and_organisation()
    {
        var info = BeaconNode.Parse((await node.GetAsync("/api/info")).Json);

        Assert.Equal("fi.example.genome-node.beacon.test", (string?)info["meta"]!["beaconId"]);
        Assert.Equal("fi.example.genome-node.beacon.test", (string?)info["response"]!["id"]);
        Assert.Equal("Test Beacon", (string?)info["response"]!["name"]);
        Assert.Equal("fi.example", (string?)info["response"]!["organization"]!["id"]);
        Assert.Equal("Test genome centre", (string?)info["response"]!["organization"]!["name"]);
    }

    [Fact]
    public async Task Map_points_at_the_g_variants_endpoints_of_this_node()
    {
        var map = BeaconNode.Parse((await node.GetAsync("/api/map")).Json);
        var set = map["response"]!["endpointSets"]!["genomicVariant"]!;

        Assert.EndsWith("/api/g_variants", (string?)set["rootUrl"], StringComparison.Ordinal);
        var (status, _) = await node.GetAsync(new Uri((string)set["rootUrl"]!).AbsolutePath + "?referenceName=17&start=1&end=2");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Node_service_info_lists_the_beacon_api()
    {
        var serviceInfo = BeaconNode.Parse((await node.GetAsync("/service-info")).Json);

        Assert.Contains(serviceInfo["services"]!.AsArray(), api => (string?)api!["type"]!["artifact"] == "beacon" && (string?)api["url"] == "/api");
    }
}
