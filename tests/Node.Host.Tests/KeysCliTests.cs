using System.Text.Json;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary><c>genome-node keys list|rotate</c> through the real binary, with no node running and with one serving.</summary>
public sealed class KeysCliTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-keys");

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task Rotate_and_list_work_on_a_stopped_node()
    {
        var rotate = await Cli("keys", "rotate");
        var list = await Cli("keys", "list", "--json");
        var table = await Cli("keys", "list");

        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        var keys = ParseList(list.Output);
        Assert.Equal(2, keys.Count);
        Assert.Equal([true, false], keys.Select(k => k.Current));
        Assert.Contains($"signing with key {keys[0].Kid} from now on; key {keys[1].Kid} is retired", rotate.Output, StringComparison.Ordinal);
        // The retired key signed nothing: it is no longer published.
        Assert.False(keys[1].Published);
        Assert.NotNull(keys[1].Retired);
        Assert.Equal(0, table.ExitCode);
        Assert.Matches($@"^KID\s+CREATED\s+RETIRED\s+PUBLISHED UNTIL\n{keys[0].Kid}\s+\S+Z\s+-\s+current\n{keys[1].Kid}\s+\S+Z\s+\S+Z\s+no longer published$", table.Output);
    }

    [Fact]
    public async Task A_rotation_is_handed_to_the_serving_node_which_signs_with_the_new_key_at_once()
    {
        await using (var node = await ServingNode.StartAsync(data.Path))
        {
            // The node made its first key when it started.
            var before = ParseList((await Cli("keys", "list", "--json")).Output);
            var first = Assert.Single(before);

            var rotate = await Cli("keys", "rotate");
            var after = ParseList((await Cli("keys", "list", "--json")).Output);

            Assert.True(rotate.ExitCode == 0, rotate.ToString());
            Assert.Equal(2, after.Count);
            Assert.Equal(first.Kid, after[1].Kid);
            // The serving node's own ring answered: it signs with the key the list names current.
            Assert.StartsWith($"signing with key {after[0].Kid} from now on; key {first.Kid} is retired", rotate.Output, StringComparison.Ordinal);
            Assert.Contains("Admin operation keys.rotate finished with exit code 0", node.Log, StringComparison.Ordinal);
            Assert.Equal(0, await node.StopAsync());
        }

        var direct = ParseList((await Cli("keys", "list", "--json")).Output);
        Assert.Equal(2, direct.Count);
        Assert.True(direct[0].Current);
    }

    [Fact]
    public async Task Keys_list_on_a_directory_without_a_node_creates_nothing()
    {
        var list = await Cli("keys", "list");

        Assert.Equal(1, list.ExitCode);
        Assert.Contains("no node at", list.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(data.Combine("node.duckdb")));
    }

    [Theory]
    [InlineData("keys", "--help")]
    [InlineData("keys", "list", "--help")]
    [InlineData("keys", "rotate", "--help")]
    public async Task Every_keys_command_explains_itself_with_help(params string[] args)
    {
        var help = await GenomeNodeProcess.RunAsync(args);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Description:", help.Output, StringComparison.Ordinal);
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);

    private sealed record ListedKey(string Kid, DateTimeOffset Created, DateTimeOffset? Retired, DateTimeOffset? PublishedUntil, bool Current, bool Published);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static List<ListedKey> ParseList(string json) => JsonSerializer.Deserialize<List<ListedKey>>(json, Json)!;
}
