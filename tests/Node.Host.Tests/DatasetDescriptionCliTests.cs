using System.Net;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary><c>dataset update</c>: describing a dataset for the FAIR Data Point, through the real binary.</summary>
public sealed class DatasetDescriptionCliTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-describe");

    public void Dispose() => data.Dispose();

    private static readonly string[] Mandatory =
    [
        "--title", "en=Pilot genomes", "--description", "en=Whole genomes", "--creator", "Lab",
        "--contact-name", "Desk", "--contact-email", "desk@example.org", "--health-category", "genomic",
    ];

    [Fact]
    public async Task A_dataset_whose_id_does_not_follow_the_gdi_pattern_is_not_described_and_the_operator_is_told_why()
    {
        await Cli("dataset", "add", "--id", "pilot", "--name", "Pilot", "--tier", "public");

        var refused = await Cli(["dataset", "update", "--id", "pilot", .. Mandatory]);

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: not described: dataset id 'pilot' does not follow the GDI identifier pattern GDI-CC-ORG-NNN", refused.Error, StringComparison.Ordinal);
        Assert.Contains("e.g. GDI-FI-THL-001", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_mandatory_fields_are_all_named_and_nothing_is_stored()
    {
        await Cli("dataset", "add", "--id", "GDI-FI-THL-001", "--name", "Pilot", "--tier", "public");

        var refused = await Cli("dataset", "update", "--id", "GDI-FI-THL-001", "--title", "en=Only a title", "--contact-email", "mailto:desk@example.org");
        var badEmail = await Cli(["dataset", "update", "--id", "GDI-FI-THL-001", .. Mandatory.Select(a => a == "desk@example.org" ? "desk at example" : a)]);
        var noLanguage = await Cli("dataset", "update", "--id", "GDI-FI-THL-001", "--title", "Pilot genomes");
        var unknown = await Cli(["dataset", "update", "--id", "GDI-FI-THL-404", .. Mandatory]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(
            "error: dataset 'GDI-FI-THL-001' not described: a description in at least one language is required (--description en=TEXT); " +
            "at least one creator is required (--creator NAME); the contact point's name must not be empty; " +
            "at least one health category is required: genetic, epigenomic or genomic (--health-category)",
            refused.Error);
        Assert.Equal((1, "error: dataset 'GDI-FI-THL-001' not described: 'desk at example' is not an e-mail address (the contact point's)"),
            (badEmail.ExitCode, badEmail.Error));
        Assert.Equal((1, "error: --title 'Pilot genomes' needs a language: LANG=TEXT, e.g. en=Finnish genomes"), (noLanguage.ExitCode, noLanguage.Error));
        Assert.Equal((1, "error: no dataset has the id 'GDI-FI-THL-404'"), (unknown.ExitCode, unknown.Error));
        var nothing = await Cli("dataset", "update", "--id", "GDI-FI-THL-001", "--remove-description");
        Assert.Equal((0, "dataset 'GDI-FI-THL-001' had no description"), (nothing.ExitCode, nothing.Output));
    }

    [Fact]
    public async Task A_metadata_file_with_an_unknown_member_or_bad_json_is_refused_naming_the_file()
    {
        await Cli("dataset", "add", "--id", "GDI-FI-THL-001", "--name", "Pilot", "--tier", "public");
        var file = Path.Combine(data.Path, "describe.json");
        await File.WriteAllTextAsync(file, """{ "title": { "en": "x" }, "titel": { "en": "typo" } }""");

        var typo = await Cli("dataset", "update", "--id", "GDI-FI-THL-001", "--metadata", file);
        await File.WriteAllTextAsync(file, """{ "title": { "en": "x" }, """);
        var broken = await Cli("dataset", "update", "--id", "GDI-FI-THL-001", "--metadata", file);
        var missing = await Cli("dataset", "update", "--id", "GDI-FI-THL-001", "--metadata", Path.Combine(data.Path, "nowhere.json"));

        Assert.Equal(1, typo.ExitCode);
        Assert.StartsWith("error: describe.json: ", typo.Error, StringComparison.Ordinal);
        Assert.Contains("titel", typo.Error, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("error: describe.json: ", broken.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nowhere.json", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serving_node_lists_what_is_described_and_forgets_the_description_with_the_dataset()
    {
        await using var node = await ServingNode.StartAsync(data.Path);
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        await Cli("dataset", "add", "--id", "GDI-FI-THL-001", "--name", "Pilot", "--tier", "public");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/fdp/dataset/GDI-FI-THL-001")).StatusCode);

        var described = await Cli(["dataset", "update", "--id", "GDI-FI-THL-001", .. Mandatory, "--records", "42"]);
        var update = await Cli("dataset", "update", "--id", "GDI-FI-THL-001", "--title", "fi=Pilottigenomit");

        Assert.Equal((0,
            "described dataset 'GDI-FI-THL-001': the FAIR Data Point lists it (/fdp/dataset/GDI-FI-THL-001)\n" +
            "note: the GDI portal also shows a dataset's languages, formats, health data access body and number of records; not given: --language, --format, --hdab-name"),
            (described.ExitCode, described.Output));
        Assert.Equal(0, update.ExitCode);
        var turtle = await client.GetStringAsync("/fdp/dataset/GDI-FI-THL-001");
        Assert.Contains("dct:title \"Pilot genomes\"@en, \"Pilottigenomit\"@fi ;", turtle, StringComparison.Ordinal);
        Assert.Contains("healthdcatap:numberOfRecords \"42\"^^xsd:nonNegativeInteger ;", turtle, StringComparison.Ordinal);
        Assert.Contains("GDI-FI-THL-001", await client.GetStringAsync("/fdp/catalog/genomes"), StringComparison.Ordinal);

        Assert.Equal(0, (await Cli("dataset", "remove", "--id", "GDI-FI-THL-001")).ExitCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/fdp/dataset/GDI-FI-THL-001")).StatusCode);
        Assert.Equal(0, (await Cli("dataset", "add", "--id", "GDI-FI-THL-001", "--name", "Again", "--tier", "public")).ExitCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/fdp/dataset/GDI-FI-THL-001")).StatusCode);
        Assert.DoesNotContain("GDI-FI-THL-001", await client.GetStringAsync("/fdp/catalog/genomes"), StringComparison.Ordinal);

        var unlisted = await Cli(["dataset", "update", "--id", "GDI-FI-THL-001", .. Mandatory]);
        var removed = await Cli("dataset", "update", "--id", "GDI-FI-THL-001", "--remove-description");
        Assert.Equal(0, unlisted.ExitCode);
        Assert.Equal((0, "removed the description of dataset 'GDI-FI-THL-001': the FAIR Data Point no longer lists it"), (removed.ExitCode, removed.Output));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/fdp/dataset/GDI-FI-THL-001")).StatusCode);
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);
}
