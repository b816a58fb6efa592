using System.Text.Json.Nodes;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>`ingest bff` and `ingest phenopacket` through the real binary, with and without a node serving the data directory.</summary>
public sealed class ImportCliTests : IDisposable
{
    private static readonly string Bff = Path.Combine(AppContext.BaseDirectory, "Data", "bff");
    private static readonly string Phenopackets = Path.Combine(AppContext.BaseDirectory, "Data", "phenopackets");

    private readonly TemporaryDirectory data = new("genome-node-import-cli");
    private readonly TemporaryDirectory files = new("genome-node-import-cli-files");

    public void Dispose()
    {
        data.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task A_BFF_export_is_imported_in_one_command_and_its_variants_answer_g_variants_of_a_node_started_later()
    {
        await Cli("dataset", "add", "--id", "fi-cohort", "--name", "FI cohort", "--tier", "public");

        var import = await Cli("ingest", "bff", "--dataset", "fi-cohort", Bff);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(
            $"imported {Bff} (bff) into dataset 'fi-cohort': {Count("individuals.json")} individuals, {Count("biosamples.json")} biosamples, " +
            $"{Count("runs.json")} runs, 1 analysis, 1 cohort, 1 dataset, {Count("genomicVariations.json")} genomic variations ({Count("individuals.json")} new individuals)",
            import.Output.Trim());
        Assert.Equal(Count("individuals.json"), Scalar("SELECT count(*) FROM beacon.individuals WHERE document IS NOT NULL"));
        Assert.Equal(Count("biosamples.json") + Count("runs.json") + 3, Scalar("SELECT count(*) FROM beacon.entries"));
        await using var node = await ServingNode.StartAsync(data.Path);
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        var answer = JsonNode.Parse(await http.GetStringAsync(new Uri(
            "api/g_variants?referenceName=13&start=32338000&referenceBases=AT&alternateBases=A&requestedGranularity=count", UriKind.Relative)))!;
        Assert.Equal(1, (int)answer["responseSummary"]!["numTotalResults"]!);
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    public async Task Phenopackets_are_imported_by_a_serving_node_handed_the_command()
    {
        await Cli("dataset", "add", "--id", "fi-cohort", "--name", "FI cohort", "--tier", "public");
        await using (var node = await ServingNode.StartAsync(data.Path))
        {
            var import = await Cli("ingest", "phenopacket", "--dataset", "fi-cohort", Phenopackets);

            Assert.True(import.ExitCode == 0, import.ToString());
            Assert.StartsWith($"imported {Phenopackets} (phenopacket) into dataset 'fi-cohort': 3 individuals, 2 biosamples", import.Output, StringComparison.Ordinal);
            Assert.Contains("Admin operation ingest.clinical finished with exit code 0", node.Log, StringComparison.Ordinal);
            Assert.Equal(0, await node.StopAsync());
        }

        Assert.Equal(3L, Scalar("SELECT count(*) FROM beacon.individuals"));
    }

    [Fact]
    public async Task A_refused_import_is_one_line_naming_file_and_fault_and_stores_nothing_and_lenient_takes_the_documented_deviations()
    {
        await Cli("dataset", "add", "--id", "fi-cohort", "--name", "FI cohort", "--tier", "public");
        File.WriteAllText(Path.Combine(files.Path, "individuals.json"), """
            [{"id": "FIN010", "sex": {"id": "NCIT:C16576"}, "diseases": [{"diseaseCode": {"id": "NCIT:C4872"}, "ageOfOnset": {"age": {"iso8601duration": "P41Y"}}}]}]
            """);

        var strict = await Cli("ingest", "bff", "--dataset", "fi-cohort", files.Path);
        var before = Scalar("SELECT count(*) FROM beacon.individuals");
        var lenient = await Cli("ingest", "bff", "--dataset", "fi-cohort", "--lenient", files.Path);

        Assert.Equal(1, strict.ExitCode);
        var line = strict.Error.Split('\n').Last(l => l.Length > 0);
        Assert.StartsWith("error: individuals.json[0] /diseases/0/ageOfOnset: required property 'iso8601duration' missing", line, StringComparison.Ordinal);
        Assert.EndsWith("; nothing was stored", line, StringComparison.Ordinal);
        Assert.Equal(0L, before);
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
        Assert.Contains("warning: individuals.json: 1 × a time element in the Phenopackets form", lenient.Output, StringComparison.Ordinal);
        Assert.Equal("P41Y", ScalarText("SELECT document->>'$.diseases[0].ageOfOnset.iso8601duration' FROM beacon.individuals"));
    }

    private static int Count(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Bff, file)))!.AsArray().Count;

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);

    private long Scalar(string sql) => TestDatabase.Scalar(data.Path, sql);

    private string ScalarText(string sql)
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={Path.Combine(data.Path, "node.duckdb")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
