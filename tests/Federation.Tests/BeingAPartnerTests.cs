using System.Text.Json.Nodes;
using GenomeNode.Beacon.Tests;

namespace GenomeNode.Federation.Tests;

/// <summary>
/// The node's own Beacon as a network sees it before admitting it: a base of one path segment; /info, /configuration,
/// /map, /entry_types and /filtering_terms valid against the v2 schemas (the ELIXIR/EGA Beacon Network validates each,
/// and takes the beacon's id from /info's meta.beaconId); and /info as EGA's verifier reads it (required members, no
/// others, https URLs, a known environment).
/// </summary>
public sealed class BeingAPartnerTests
{
    private static readonly HashSet<string> InfoMembers =
        ["alternativeUrl", "apiVersion", "createDateTime", "description", "environment", "id", "info", "name", "organization", "updateDateTime", "version", "welcomeUrl"];

    private static readonly HashSet<string> OrganizationMembers = ["address", "contactUrl", "description", "id", "info", "logoUrl", "name", "welcomeUrl"];

    [Fact]
    public async Task The_nodes_beacon_passes_what_a_network_checks_before_admitting_it()
    {
        await using var node = new NetworkNode(new Dictionary<string, string>
        {
            ["Beacon:Environment"] = "test",
            ["Beacon:WelcomeUrl"] = "https://genome.example.fi/beacon",
            ["Beacon:AlternativeUrl"] = "https://genome.example.fi/beacon-ui",
            ["Beacon:Organization:WelcomeUrl"] = "https://genome.example.fi",
            ["Beacon:Organization:LogoUrl"] = "https://genome.example.fi/logo.png",
        });
        using var client = node.CreateClient();

        var infoJson = await client.GetStringAsync(new Uri("/api/info", UriKind.Relative));
        BeaconSchemas.AssertValid(infoJson, BeaconSchemas.Framework + "responses/beaconInfoResponse.json");
        foreach (var (path, schema) in new[]
                 {
                     ("/api/configuration", "beaconConfigurationResponse"), ("/api/map", "beaconMapResponse"),
                     ("/api/entry_types", "beaconEntryTypesResponse"), ("/api/filtering_terms", "beaconFilteringTermsResponse"),
                 })
        {
            BeaconSchemas.AssertValid(await client.GetStringAsync(new Uri(path, UriKind.Relative)), $"{BeaconSchemas.Framework}responses/{schema}.json");
        }

        var info = JsonNode.Parse(infoJson)!;
        Assert.Equal(NetworkNode.BeaconId, (string?)info["meta"]!["beaconId"]);
        var results = info["response"]!.AsObject();
        Assert.All(results, member => Assert.Contains(member.Key, InfoMembers));
        foreach (var required in (string[])["id", "name", "description"])
        {
            Assert.False(string.IsNullOrEmpty((string?)results[required]), required);
        }

        Assert.Contains((string?)results["environment"], (string[])["prod", "test", "dev", "staging"]);
        var organization = results["organization"]!.AsObject();
        Assert.All(organization, member => Assert.Contains(member.Key, OrganizationMembers));
        Assert.False(string.IsNullOrEmpty((string?)organization["id"]));
        Assert.False(string.IsNullOrEmpty((string?)organization["name"]));
        foreach (var url in new[] { results["welcomeUrl"], results["alternativeUrl"], organization["welcomeUrl"], organization["logoUrl"] })
        {
            Assert.StartsWith("https://", (string?)url, StringComparison.Ordinal);
        }

        // The base a network registers is one path segment: every endpoint of the map hangs below /api.
        var map = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/map", UriKind.Relative)))!;
        Assert.All(map["response"]!["endpointSets"]!.AsObject(), set =>
            Assert.Matches("^https?://[^/]+/api/[a-z_]+$", (string?)set.Value!["rootUrl"]));
    }
}
