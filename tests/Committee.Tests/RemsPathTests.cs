using System.Text.Json.Nodes;

namespace GenomeNode.Committee.Tests;

/// <summary>The REMS API and its visas' jku follow the one setting Passport:RemsPath.</summary>
public sealed class RemsPathTests
{
    [Fact]
    public async Task The_REMS_API_is_mounted_where_Passport_RemsPath_says()
    {
        await using var node = await CommitteeNode.StartAsync(new Dictionary<string, string?> { ["Passport:RemsPath"] = "/access" });
        var (status, json) = await node.JsonAsync(HttpMethod.Get, $"/access/api/catalogue-items?resource={CommitteeNode.Brca}", "path-user");
        Assert.Equal(200, status);
        Assert.Single(json!.AsArray());
        (status, _) = await node.JsonAsync(HttpMethod.Get, $"/rems/api/catalogue-items?resource={CommitteeNode.Brca}", "path-user");
        Assert.Equal(404, status);

        var item = json[0]!["id"]!.GetValue<long>();
        (_, json) = await node.JsonAsync(HttpMethod.Post, "/access/api/applications/create", "path-user",
            new JsonObject { ["catalogue-item-ids"] = new JsonArray(item) });
        Assert.True(json!["success"]!.GetValue<bool>());
        using var jwk = await node.Http.GetAsync(new Uri("/access/api/jwk", UriKind.Relative));
        Assert.Equal(200, (int)jwk.StatusCode);
    }
}
