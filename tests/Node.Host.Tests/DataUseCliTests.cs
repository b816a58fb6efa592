using System.Text.Json;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>`ontology load|list` and `dataset use` through the real binary.</summary>
public sealed class DataUseCliTests : IDisposable
{
    private static readonly string GoImport = Path.Combine(HostEndpointsTests.RepositoryRoot(), "specs", "ontologies", "go_import.obo");
    private readonly TemporaryDirectory data = new("genome-node-datause");

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task Ontologies_load_and_list_with_duo_and_the_ncit_sex_subset_present_from_the_first_start()
    {
        // The first start: a writing command creates the node (a read-only one on a fresh directory finds no node).
        await Cli("dataset", "add", "--id", "first", "--name", "First", "--tier", "public");
        var first = await Cli("ontology", "list", "--json");
        var load = await Cli("ontology", "load", GoImport);
        var list = await Cli("ontology", "list");

        Assert.Equal(["DUO", "NCIT"], Prefixes(first.Output));
        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.StartsWith("loaded GO from go_import.obo: 2443 terms, 4255 is_a edges", load.Output, StringComparison.Ordinal);
        Assert.Matches(@"\nGO\s+2443\s+obo\s+go_import\.obo", list.Output);
    }

    [Fact]
    public async Task Malformed_ontology_is_refused_and_the_loaded_one_kept()
    {
        await Cli("ontology", "load", GoImport);
        var cyclic = data.Combine("cyclic.obo");
        await File.WriteAllTextAsync(cyclic, "[Term]\nid: GO:0008150\nis_a: GO:0000002\n[Term]\nid: GO:0000002\nis_a: GO:0008150\n");

        var refused = await Cli("ontology", "load", cyclic);
        var missing = await Cli("ontology", "load", data.Combine("no-such.obo"));
        var list = await Cli("ontology", "list", "--json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("error: is_a cycle: GO:0000002 -> GO:0008150 -> GO:0000002; nothing was changed", refused.Error);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
        using var loaded = JsonDocument.Parse(list.Output);
        var go = loaded.RootElement.EnumerateArray().Single(o => o.GetProperty("prefix").GetString() == "GO");
        Assert.Equal(2443, go.GetProperty("termCount").GetInt32());
    }

    [Fact]
    public async Task Dataset_use_sets_conditions_and_refuses_bad_terms_naming_them()
    {
        await Cli("dataset", "add", "--id", "brca", "--name", "Breast cancer cohort", "--tier", "controlled");

        var set = await Cli("dataset", "use", "--id", "brca", "--duo", "DUO:0000007", "DUO:0000045", "--disease", "MONDO:0007254");
        var obsolete = await Cli("dataset", "use", "--id", "brca", "--duo", "DUO:0000005");
        var unknown = await Cli("dataset", "use", "--id", "brca", "--duo", "DUO:9999999");
        var category = await Cli("dataset", "use", "--id", "brca", "--duo", "DUO:0000017");
        var noDataset = await Cli("dataset", "use", "--id", "nope", "--duo", "DUO:0000042");
        var list = await Cli("dataset", "list");

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Equal("dataset 'brca' data use: DS[MONDO:0007254] NPU", set.Output);
        Assert.Equal((1, "error: DUO:0000005 (obsolete general research use and clinical care) is obsolete; use DUO:0000042 DUO:0000043 instead"),
            (obsolete.ExitCode, obsolete.Error));
        Assert.Equal((1, "error: unknown DUO term DUO:9999999"), (unknown.ExitCode, unknown.Error));
        Assert.Equal(1, category.ExitCode);
        Assert.Contains("DUO:0000017", category.Error, StringComparison.Ordinal);
        Assert.Equal((1, "error: no dataset has the id 'nope'"), (noDataset.ExitCode, noDataset.Error));
        Assert.Matches(@"\nbrca\s+controlled\s+DS\[MONDO:0007254\] NPU\s+-\s+Breast cancer cohort", list.Output);
    }

    [Fact]
    public async Task Dataset_use_and_ontology_load_are_handed_to_a_serving_node_and_removal_clears_conditions()
    {
        await using var node = await ServingNode.StartAsync(data.Path);

        var load = await Cli("ontology", "load", GoImport);
        var use = await Cli("dataset", "use", "--id", "demo", "--duo", "DUO:0000042", "DUO:0000019");
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        var served = await http.GetStringAsync(new Uri("/dataUse/datasets/demo", UriKind.Relative));
        var remove = await Cli("dataset", "remove", "--id", "demo");
        using var gone = await http.GetAsync(new Uri("/dataUse/datasets/demo", UriKind.Relative));

        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.True(use.ExitCode == 0, use.ToString());
        Assert.Contains("\"summary\":\"GRU PUB\"", served, StringComparison.Ordinal);
        Assert.Equal(0, remove.ExitCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("Admin operation ontology.load finished with exit code 0", node.Log, StringComparison.Ordinal);
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);

    private static List<string> Prefixes(string json) =>
        [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(o => o.GetProperty("prefix").GetString()!)];
}
