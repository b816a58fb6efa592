using System.Globalization;
using System.Text;
using System.Text.Json;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Writing operations handed to a serving node at the same time (docs/architecture.md, "Concurrent writers"): each
/// dataset holds exactly its own files and individuals, whatever else is being written, and removing one dataset
/// leaves the others whole.
/// </summary>
public sealed class ConcurrentWritersTests : IDisposable
{
    // Enough records that an ingest takes a few hundred milliseconds, so two handed over together overlap.
    private const int Records = 20_000;
    private const int Samples = 8;

    private readonly TemporaryDirectory data = new("genome-node-concurrent");
    private readonly TemporaryDirectory files = new("genome-node-concurrent-files");

    public void Dispose()
    {
        data.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task Concurrent_ingests_into_a_public_and_a_controlled_dataset_never_mix_and_removal_keeps_the_other()
    {
        await using var node = await ServingNode.StartAsync(data.Path);
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        Assert.Equal(0, (await Cli("dataset", "add", "--id", "open", "--name", "Open", "--tier", "public")).ExitCode);
        Assert.Equal(0, (await Cli("dataset", "add", "--id", "closed", "--name", "Closed", "--tier", "controlled",
            "--visa-value", "https://dac.example.fi/closed")).ExitCode);

        const int rounds = 3;
        for (var round = 0; round < rounds; round++)
        {
            // Public alleles are A>G on odd positions, controlled ones C>T on even positions, in disjoint windows per round.
            var open = WriteVcf($"open-{round}.vcf", "P", Window(round), odd: true);
            var closed = WriteVcf($"closed-{round}.vcf", "C", Window(round), odd: false);
            var results = await Task.WhenAll(
                Cli("ingest", "vcf", "--dataset", "open", open),
                Cli("ingest", "vcf", "--dataset", "closed", closed));
            Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));

            // The public dataset answers exactly its own files: every allele a public one, every carrier a P sample.
            Assert.Equal((round + 1) * Records, await CountAsync(http, "open", 0, Window(round + 1)));
            Assert.Equal(0, await CountAsync(http, "open", 0, Window(round + 1), alternate: "T"));
            var records = await RecordsAsync(http, "open", Window(round) + 1, Window(round) + 2_000);
            Assert.Equal(1_000, records.Count);
            Assert.All(records, record => Assert.True(record.Alternate == "G" && record.Carriers.All(c => c.StartsWith('P')), record.ToString()));
        }

        // Removing the controlled dataset leaves the public one whole, and the other way round.
        Assert.Equal(0, (await Cli("dataset", "remove", "--id", "closed")).ExitCode);
        Assert.Equal(rounds * Records, await CountAsync(http, "open", 0, Window(rounds)));
        Assert.Equal(0, (await Cli("dataset", "add", "--id", "closed", "--name", "Closed", "--tier", "public")).ExitCode);
        Assert.Equal(0, (await Cli("ingest", "vcf", "--dataset", "closed", files.Combine("closed-0.vcf"))).ExitCode);
        Assert.Equal(0, (await Cli("dataset", "remove", "--id", "open")).ExitCode);
        Assert.Equal(Records, await CountAsync(http, "closed", 0, Window(rounds), alternate: "T"));
        Assert.Equal(0, await CountAsync(http, "closed", 0, Window(rounds), alternate: "G"));
    }

    [Fact]
    public async Task Concurrent_ingests_into_one_dataset_give_every_carrier_its_own_individual()
    {
        await using var node = await ServingNode.StartAsync(data.Path);
        using var http = new HttpClient { BaseAddress = node.BaseAddress };
        Assert.Equal(0, (await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public")).ExitCode);

        // Two files of different people; the record at position p is carried only by the sample p % Samples names.
        var first = WriteVcf("first.vcf", "A", 0, odd: true);
        var second = WriteVcf("second.vcf", "B", 0, odd: false);
        var results = await Task.WhenAll(
            Cli("ingest", "vcf", "--dataset", "cohort", first),
            Cli("ingest", "vcf", "--dataset", "cohort", second));
        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));

        var records = await RecordsAsync(http, "cohort", 1, 1_000);
        // Two people sharing one sample index would make some carriers name the other file's person.
        Assert.Equal(1_000, records.Count);
        Assert.All(records, record =>
            Assert.Equal([ExpectedCarrier(record.Position, record.Alternate == "G" ? "A" : "B")], record.Carriers));
    }

    private static int Window(int round) => round * 2 * Records;

    private static string ExpectedCarrier(long position, string prefix) =>
        $"{prefix}{(position % Samples).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A VCF of <see cref="Records"/> single-carrier SNVs on chr1 from <paramref name="from"/> + 1 on.</summary>
    private string WriteVcf(string name, string samplePrefix, int from, bool odd)
    {
        var vcf = new StringBuilder("##fileformat=VCFv4.2\n##contig=<ID=chr1>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
        vcf.Append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
        for (var s = 0; s < Samples; s++)
        {
            vcf.Append(CultureInfo.InvariantCulture, $"\t{samplePrefix}{s}");
        }

        vcf.Append('\n');
        for (var i = 0; i < Records; i++)
        {
            long position = from + (2 * i) + (odd ? 1 : 2);
            vcf.Append(CultureInfo.InvariantCulture, $"chr1\t{position}\t.\t{(odd ? "A" : "C")}\t{(odd ? "G" : "T")}\t50\tPASS\t.\tGT");
            for (var s = 0; s < Samples; s++)
            {
                vcf.Append(s == position % Samples ? "\t0|1" : "\t0|0");
            }

            vcf.Append('\n');
        }

        var path = files.Combine(name);
        File.WriteAllText(path, vcf.ToString());
        return path;
    }

    private static async Task<long> CountAsync(HttpClient http, string dataset, long start, long end, string? alternate = null)
    {
        var query = $"api/g_variants?referenceName=1&start={start}&end={end}&datasetIds={dataset}&requestedGranularity=count" +
            (alternate is null ? "" : $"&alternateBases={alternate}");
        using var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri(query, UriKind.Relative)));
        var summary = answer.RootElement.GetProperty("responseSummary");
        return summary.TryGetProperty("numTotalResults", out var total) ? total.GetInt64() : 0;
    }

    private sealed record StoredRecord(long Position, string Alternate, IReadOnlyList<string> Carriers);

    /// <summary>The dataset's records over VCF positions [from, to], as an anonymous caller sees them.</summary>
    private static async Task<List<StoredRecord>> RecordsAsync(HttpClient http, string dataset, long from, long to)
    {
        var query = $"api/g_variants?referenceName=1&start={from - 1}&end={to}&datasetIds={dataset}&requestedGranularity=record&limit=1000";
        var body = await http.GetStringAsync(new Uri(query, UriKind.Relative));
        using var answer = JsonDocument.Parse(body);
        var sets = answer.RootElement.GetProperty("response").GetProperty("resultSets");
        var set = Assert.Single(sets.EnumerateArray());
        Assert.Equal(dataset, set.GetProperty("id").GetString());
        return set.GetProperty("results").EnumerateArray().Select(result =>
        {
            var location = result.GetProperty("variation").GetProperty("location").GetProperty("interval");
            var start = location.GetProperty("start").GetProperty("value").GetInt64();
            var alternate = result.GetProperty("variation").GetProperty("state").GetProperty("sequence").GetString()!;
            var carriers = result.TryGetProperty("caseLevelData", out var cases)
                ? cases.EnumerateArray().Select(c => c.GetProperty("individualId").GetString()!).ToList()
                : [];
            return new StoredRecord(start + 1, alternate, carriers);
        }).ToList();
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);
}
