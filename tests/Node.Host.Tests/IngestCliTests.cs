using System.Globalization;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>`ingest vcf` through the real binary, with and without a node serving the data directory.</summary>
public sealed class IngestCliTests : IDisposable
{
    private const string Vcf =
        "##fileformat=VCFv4.2\n##contig=<ID=chr17>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP1\tP2\n" +
        "chr17\t1000\t.\tA\tG,AT\t50\tPASS\t.\tGT\t0/1\t1/2\n" +
        "chr17\t2000\t.\tCT\tC\t50\tPASS\t.\tGT\t0/0\t1/1\n";

    private readonly TemporaryDirectory data = new("genome-node-ingest");
    private readonly TemporaryDirectory files = new("genome-node-ingest-files");

    public void Dispose()
    {
        data.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task A_VCF_is_ingested_without_a_running_node_and_again_replaces_itself()
    {
        File.WriteAllText(files.Combine("calls.vcf"), Vcf);
        await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public");

        var first = await Cli("ingest", "vcf", "--dataset", "cohort", files.Combine("calls.vcf"));
        var again = await Cli("ingest", "vcf", "--dataset", "cohort", "--assembly", "GRCh38", files.Combine("calls.vcf"));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.StartsWith($"ingested {files.Combine("calls.vcf")} into dataset 'cohort' (GRCh38): 2 records, 3 variants, 2 samples", first.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.EndsWith("replaced the earlier ingest of the same file", again.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(3L, Scalar("SELECT count(*) FROM beacon.variants"));
        Assert.Equal(2L, Scalar("SELECT count(*) FROM beacon.individuals"));
    }

    [Fact]
    public async Task Refusals_are_one_line_with_the_reason_and_store_nothing()
    {
        File.WriteAllText(files.Combine("bad.vcf"), Vcf + "chr17\t3000\t.\tA\tG\t50\tPASS\t.\tGT\t0/3\t0/0\n");
        File.WriteAllText(files.Combine("good.vcf"), Vcf);
        await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public");

        var malformed = await Cli("ingest", "vcf", "--dataset", "cohort", files.Combine("bad.vcf"));
        var noDataset = await Cli("ingest", "vcf", "--dataset", "nowhere", files.Combine("good.vcf"));
        var assembly = await Cli("ingest", "vcf", "--dataset", "cohort", "--assembly", "CHM13", files.Combine("good.vcf"));
        var missing = await Cli("ingest", "vcf", "--dataset", "cohort", files.Combine("absent.vcf"));

        Assert.Equal(1, malformed.ExitCode);
        Assert.Equal(
            $"error: {files.Combine("bad.vcf")}:7: genotype '0/3' names allele 3 but the record has 1 ALT alleles; nothing was stored",
            malformed.Error.Split('\n').Last(line => line.Length > 0));
        Assert.Equal((1, "error: no dataset has the id 'nowhere'"), (noDataset.ExitCode, noDataset.Error.Split('\n').Last(line => line.Length > 0)));
        Assert.Equal(2, assembly.ExitCode);
        Assert.Contains("unknown assembly 'CHM13'", assembly.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(0L, Scalar("SELECT count(*) FROM beacon.variants"));
    }

    [Fact]
    public async Task Ingest_is_handed_to_a_serving_node_and_its_beacon_answers_at_once()
    {
        File.WriteAllText(files.Combine("calls.vcf"), Vcf);
        await using (var node = await ServingNode.StartAsync(data.Path))
        {
            using var http = new HttpClient { BaseAddress = node.BaseAddress };
            const string query = "api/g_variants?referenceName=17&start=1999&referenceBases=CT&alternateBases=C&requestedGranularity=count";
            Assert.Contains("\"exists\":false", await http.GetStringAsync(new Uri(query, UriKind.Relative)), StringComparison.Ordinal);

            var add = await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public");
            var ingest = await Cli("ingest", "vcf", "--dataset", "cohort", files.Combine("calls.vcf"));

            Assert.True(add.ExitCode == 0 && ingest.ExitCode == 0, ingest.ToString());
            Assert.Contains("Admin operation ingest.vcf finished with exit code 0", node.Log, StringComparison.Ordinal);
            var answer = await http.GetStringAsync(new Uri(query, UriKind.Relative));
            Assert.True(answer.Contains("\"numTotalResults\":1", StringComparison.Ordinal), answer);
            Assert.Equal(0, await node.StopAsync());
        }

        Assert.Equal(3L, Scalar("SELECT count(*) FROM beacon.variants JOIN beacon.variant_files USING (file_id) WHERE dataset_id = 'cohort'"));
    }

    [Fact]
    public async Task A_killed_ingest_leaves_the_previous_state()
    {
        File.WriteAllText(files.Combine("calls.vcf"), Vcf);
        await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public");
        Assert.Equal(0, (await Cli("ingest", "vcf", "--dataset", "cohort", files.Combine("calls.vcf"))).ExitCode);
        var big = files.Combine("big.vcf");
        using (var writer = new StreamWriter(big))
        {
            await writer.WriteAsync("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP1\tP3\n");
            for (var pos = 1; pos <= 4_000_000; pos++)
            {
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"chr1\t{pos}\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\n"));
            }
        }

        // Killed once it reports progress, that is in the middle of its transaction.
        using var ingest = GenomeNodeProcess.Start(null, "ingest", "vcf", "--dataset", "cohort", big, "--data", data.Path);
        var progress = await ingest.StandardError.ReadLineAsync();
        Assert.False(ingest.HasExited, $"the ingest finished before it could be killed: {progress}");
        Assert.StartsWith("ingest: ", progress, StringComparison.Ordinal);
        ingest.Kill();
        await ingest.WaitForExitAsync();

        Assert.Equal(3L, Scalar("SELECT count(*) FROM beacon.variants"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM beacon.variant_files"));
        Assert.Equal(2L, Scalar("SELECT count(*) FROM beacon.individuals"));
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);

    private long Scalar(string sql) => TestDatabase.Scalar(data.Path, sql);
}
