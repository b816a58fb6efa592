using System.Text.Json.Nodes;
using GenomeNode.Host.Cli;

namespace GenomeNode.Committee.Tests;

/// <summary><c>genome-node committee api-key add|list|revoke</c> against a serving node (through its admin channel).</summary>
public sealed class ApiKeyCliTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private CommitteeNode Node => fixture.Node;

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await NodeCommandLine.RunAsync([.. args, "--data", Node.Data.Path], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_key_is_printed_once_stored_hashed_listed_and_revoked()
    {
        var (exit, output, error) = await RunAsync("committee", "api-key", "add", "--comment", "portal test", "--role", "user-owner");
        Assert.True(exit == 0, error);
        var key = output.Split('\n')[0].Trim();
        Assert.True(key.Length >= 43, output);

        var (status, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/users/create", "bot",
            new JsonObject { ["userid"] = "cli-user", ["name"] = "C", ["email"] = "c@example.org" }, key: key);
        Assert.Equal(200, status);
        Assert.True(json!["success"]!.GetValue<bool>());
        Assert.Equal(0L, Convert.ToInt64(Database.Scalar(Node, $"SELECT count(*) FROM committee.api_keys WHERE key_sha256 = '{key}'"), System.Globalization.CultureInfo.InvariantCulture));

        (exit, output, _) = await RunAsync("committee", "api-key", "list", "--json");
        Assert.Equal(0, exit);
        var listed = JsonNode.Parse(output)!.AsArray().Single(k => k!["comment"]!.GetValue<string>() == "portal test")!;
        Assert.DoesNotContain(key, output, StringComparison.Ordinal);

        (exit, _, error) = await RunAsync("committee", "api-key", "revoke", listed["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, error);
        (status, _) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/my-applications", "cli-user", key: key);
        Assert.Equal(401, status);

        (exit, _, error) = await RunAsync("committee", "api-key", "add", "--comment", "x", "--role", "owner");
        Assert.NotEqual(0, exit);
        Assert.Contains("owner", error, StringComparison.Ordinal);
    }
}
