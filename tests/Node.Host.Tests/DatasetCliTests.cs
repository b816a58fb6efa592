using System.Text.Json;
using GenomeNode.Host.Admin;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>The dataset commands through the real binary, with no node running and with one serving the directory.</summary>
public sealed class DatasetCliTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-cli");

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task Add_list_remove_work_on_a_stopped_node()
    {
        var add = await Cli("dataset", "add", "--id", "fin-wgs", "--name", "Finnish WGS", "--tier", "controlled",
            "--description", "Pilot genomes", "--visa-value", "urn:fi:example:dac:fin-wgs");
        var addPublic = await Cli("dataset", "add", "--id", "open-panel", "--name", "Open panel", "--tier", "PUBLIC");
        var list = await Cli("dataset", "list", "--json");
        var remove = await Cli("dataset", "remove", "--id", "open-panel");
        var table = await Cli("dataset", "list");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("added dataset 'fin-wgs' (controlled, streaming c4gh-only)", add.Output);
        Assert.Equal(0, addPublic.ExitCode);
        Assert.Equal(
            [("fin-wgs", "controlled", "Pilot genomes"), ("open-panel", "public", null)],
            ParseList(list.Output).Select(d => (d.Id, d.Tier, d.Description)));
        Assert.Equal((0, "removed dataset 'open-panel'"), (remove.ExitCode, remove.Output));
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"^ID\s+TIER\s+DATA USE\s+VISA VALUE\s+NAME\nfin-wgs\s+controlled\s+-\s+urn:fi:example:dac:fin-wgs\s+Finnish WGS$", table.Output);
        Assert.Equal("urn:fi:example:dac:fin-wgs", ParseList(list.Output)[0].VisaValue);
        Assert.Empty(add.Error + list.Error + remove.Error);
    }

    [Fact]
    public async Task Add_list_remove_are_handed_to_the_node_serving_the_directory()
    {
        await using var node = await ServingNode.StartAsync(data.Path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(AdminChannel.PathIn(data.Path)));

        var add = await Cli("dataset", "add", "--id", "while-serving", "--name", "Added live", "--tier", "registered");
        var list = await Cli("dataset", "list", "--json");
        var duplicate = await Cli("dataset", "add", "--id", "while-serving", "--name", "Again", "--tier", "public");
        var removeDemo = await Cli("dataset", "remove", "--id", "demo");
        var listAfter = await Cli("dataset", "list", "--json");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal(["demo", "while-serving"], ParseList(list.Output).Select(d => d.Id));
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Equal("error: dataset 'while-serving' already exists", duplicate.Error);
        Assert.Equal(0, removeDemo.ExitCode);
        Assert.Equal(["while-serving"], ParseList(listAfter.Output).Select(d => d.Id));
        Assert.Contains("Admin operation dataset.add finished with exit code 0", node.Log, StringComparison.Ordinal);

        Assert.Equal(0, await node.StopAsync());
        Assert.False(File.Exists(AdminChannel.PathIn(data.Path)), "a stopped node removes its admin channel");

        // What the node wrote is in the file: the CLI now opens it directly and sees the same catalog.
        var direct = await Cli("dataset", "list", "--json");
        var registered = Assert.Single(ParseList(direct.Output));
        Assert.Equal(("while-serving", "registered"), (registered.Id, registered.Tier));
    }

    [Fact]
    public async Task Commands_still_work_after_the_serving_node_was_killed()
    {
        var node = await ServingNode.StartAsync(data.Path);
        await node.KillAsync();
        await node.DisposeAsync();
        Assert.True(File.Exists(AdminChannel.PathIn(data.Path)), "a killed node leaves its channel file behind");

        var add = await Cli("dataset", "add", "--id", "after-crash", "--name", "After crash", "--tier", "public");
        var list = await Cli("dataset", "list", "--json");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal(["after-crash", "demo"], ParseList(list.Output).Select(d => d.Id));
    }

    [Fact]
    public async Task A_visa_value_belongs_to_controlled_datasets_and_its_absence_is_pointed_out()
    {
        var withoutValue = await Cli("dataset", "add", "--id", "locked", "--name", "No grant yet", "--tier", "controlled");
        var onPublic = await Cli("dataset", "add", "--id", "open", "--name", "Open", "--tier", "public", "--visa-value", "urn:x:open");
        var withSpace = await Cli("dataset", "add", "--id", "spaced", "--name", "Spaced", "--tier", "controlled", "--visa-value", "urn:x: y");

        Assert.Equal((0, "added dataset 'locked' (controlled, streaming c4gh-only, without --visa-value: no passport can grant it)"), (withoutValue.ExitCode, withoutValue.Output));
        Assert.Equal(1, onPublic.ExitCode);
        Assert.Contains("only controlled datasets are granted by a ControlledAccessGrants visa value", onPublic.Error, StringComparison.Ordinal);
        Assert.Equal(1, withSpace.ExitCode);
        Assert.Contains("must be a URL or URN", withSpace.Error, StringComparison.Ordinal);
        var list = await Cli("dataset", "list", "--json");
        Assert.Equal(["locked"], ParseList(list.Output).Select(d => d.Id));
    }

    [Fact]
    public async Task Dataset_add_refuses_an_id_ending_in_a_newline()
    {
        var add = await Cli("dataset", "add", "--id", "x\n", "--name", "Newline", "--tier", "public");
        var list = await Cli("dataset", "list", "--json");

        Assert.Equal(1, add.ExitCode);
        Assert.Single(add.Error.Split('\n'));
        Assert.Contains("may hold only letters, digits", add.Error, StringComparison.Ordinal);
        Assert.Empty(ParseList(list.Output));
    }

    [Fact]
    public async Task Data_directory_comes_from_GENOMENODE_DATA_when_no_option_is_given()
    {
        var environment = new Dictionary<string, string> { ["GENOMENODE_DATA"] = data.Path };

        var add = await GenomeNodeProcess.RunAsync(environment, "dataset", "add", "--id", "env", "--name", "From env", "--tier", "public");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(File.Exists(data.Combine("node.duckdb")));
    }

    [Fact]
    public async Task Serve_writes_one_json_object_per_log_line_on_request()
    {
        await using var node = await ServingNode.StartAsync(data.Path, new Dictionary<string, string> { ["Node__LogFormat"] = "json" });
        await Cli("dataset", "list");
        await node.StopAsync();

        var lines = node.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Contains(events, e => e.GetProperty("EventId").GetInt32() == 3
            && e.GetProperty("Category").GetString() == "GenomeNode.Demo"
            && e.GetProperty("State").GetProperty("DatasetId").GetString() == "demo");
        Assert.All(events, e => Assert.True(e.TryGetProperty("Timestamp", out _)));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("serve", "--help")]
    [InlineData("dataset", "--help")]
    [InlineData("dataset", "add", "--help")]
    [InlineData("dataset", "list", "--help")]
    [InlineData("dataset", "remove", "--help")]
    [InlineData("dataset", "use", "--help")]
    [InlineData("register", "--help")]
    [InlineData("register", "reads", "--help")]
    [InlineData("register", "variants", "--help")]
    [InlineData("ontology", "--help")]
    [InlineData("ontology", "load", "--help")]
    [InlineData("ontology", "list", "--help")]
    public async Task Every_command_explains_itself_with_help(params string[] args)
    {
        var help = await GenomeNodeProcess.RunAsync(args);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Description:", help.Output, StringComparison.Ordinal);
        Assert.Contains("--data <DIR>", help.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"Description:\s*\n\s*\n", help.Output);
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);

    internal sealed record ListedDataset(string Id, string Name, string? Description, string Tier, bool Demo, string? VisaValue = null);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static List<ListedDataset> ParseList(string json) => JsonSerializer.Deserialize<List<ListedDataset>>(json, Json)!;
}
