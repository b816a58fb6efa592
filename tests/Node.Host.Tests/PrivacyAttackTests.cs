using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using GenomeNode.Tests;
using Xunit.Abstractions;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Published attacks on Beacons run against a real <c>genome-node serve</c> on a synthetic controlled dataset of 50
/// individuals, with the default privacy rules, and with them switched off (so that each test can fail).
/// </summary>
public sealed class PrivacyAttackTests(ITestOutputHelper output)
{
    private const int Individuals = 50;

    private static readonly string[] Bases = ["A", "C", "G", "T"];

    /// <summary>Every privacy rule off for controlled datasets: all shapes, exact counts, rare alleles shown, no budget.</summary>
    private static readonly Dictionary<string, string> ControlsOff = new()
    {
        ["Privacy__Controlled__AnonymousQueries__0"] = "sequence",
        ["Privacy__Controlled__AnonymousQueries__1"] = "range",
        ["Privacy__Controlled__AnonymousQueries__2"] = "bracket",
        ["Privacy__Controlled__AnonymousQueries__3"] = "gene",
        ["Privacy__Controlled__AnonymousQueries__4"] = "hgvs",
        ["Privacy__Controlled__MinimumCount"] = "0",
        ["Privacy__Controlled__RareAlleles"] = "show",
        ["Privacy__Budget__Anonymous"] = "0",
    };

    [Fact]
    public async Task Bisection_with_range_queries_recovers_no_variant_of_a_controlled_dataset()
    {
        using var root = new TemporaryDirectory("genome-node-attack");
        var vcf = await ControlledDatasetAsync(root);
        var stored = Alleles(vcf).Where(a => a.Chromosome == "chr1").Select(a => (a.Position, a.Alt)).ToHashSet();

        await using (var node = await ServingNode.StartAsync(root.Combine("data")))
        {
            var (recovered, queries) = await BisectAsync(node, limit: 5);
            output.WriteLine($"defaults: {recovered.Count} variants recovered in {queries} queries");
            Assert.Empty(recovered);
        }

        // The same attack with the rules off finds stored variants: the test above can fail.
        await using (var open = await ServingNode.StartAsync(root.Combine("data"), ControlsOff))
        {
            var (recovered, queries) = await BisectAsync(open, limit: 5);
            output.WriteLine($"controls off: {recovered.Count} variants recovered in {queries} queries ({(double)queries / recovered.Count:0} per variant)");
            Assert.Equal(5, recovered.Count);
            Assert.All(recovered, variant => Assert.Contains(variant, stored));
        }
    }

    [Fact]
    public async Task A_likelihood_ratio_membership_test_does_not_reach_95_percent_before_the_budget_is_spent()
    {
        using var root = new TemporaryDirectory("genome-node-attack");
        var vcf = await ControlledDatasetAsync(root);
        // The attacker knows the genome of SYN00001, a member, and the alleles' frequencies in the population.
        var target = Alleles(vcf).Where(a => a.TargetCarries).OrderBy(a => a.Frequency).ToList();
        Assert.True(target.Count > 50, $"the member carries only {target.Count} alternate alleles");

        await using (var node = await ServingNode.StartAsync(root.Combine("data")))
        {
            var attack = await LikelihoodRatioAttackAsync(node, target);
            output.WriteLine($"defaults: {attack.Queries} queries, log-likelihood ratio {attack.Statistic:0.000}, reached 95 %: {attack.Reached}, budget spent: {attack.BudgetSpent}");
            Assert.False(attack.Reached);
            Assert.True(attack.BudgetSpent, "the attack ran out of alleles before its budget");
        }

        await using (var open = await ServingNode.StartAsync(root.Combine("data"), ControlsOff))
        {
            var attack = await LikelihoodRatioAttackAsync(open, target);
            output.WriteLine($"controls off: {attack.Queries} queries, log-likelihood ratio {attack.Statistic:0.000}, reached 95 %: {attack.Reached}");
            Assert.True(attack.Reached);
        }
    }

    /// <summary>
    /// Shringarpure and Bustamante's likelihood-ratio test, asked by the strongest attacker the rules allow: the
    /// member's alleles, rarest first; a "no" is ignored (an allele the rules hide would count against membership),
    /// each "yes" adds log(1 / P(yes | not a member)) with P(yes | not a member) = 1 - (1 - f)^(2N). Membership is
    /// called at 95 % (even prior odds) once the sum reaches ln 19. Stops there, when the budget is spent, or when the
    /// alleles run out.
    /// </summary>
    private static async Task<(int Queries, double Statistic, bool Reached, bool BudgetSpent)> LikelihoodRatioAttackAsync(
        ServingNode node, IReadOnlyList<Allele> alleles)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        var statistic = 0.0;
        var queries = 0;
        foreach (var allele in alleles)
        {
            var (status, answer) = await GetAsync(client,
                $"/api/g_variants?referenceName={allele.Chromosome}&start={allele.Position - 1}&referenceBases={allele.Ref}&alternateBases={allele.Alt}&datasetIds=ctrl");
            if (status == 429)
            {
                return (queries, statistic, false, true);
            }

            Assert.Equal(200, status);
            queries++;
            if ((bool)answer["responseSummary"]!["exists"]!)
            {
                statistic -= Math.Log(1 - Math.Pow(1 - allele.Frequency, 2 * Individuals));
                if (statistic >= Math.Log(19))
                {
                    return (queries, statistic, true, false);
                }
            }
        }

        return (queries, statistic, false, false);
    }

    /// <summary>
    /// Bisection over chromosome 1 with boolean range queries down to single bases, then the allele by sequence queries
    /// (about 40 queries per variant); stops after <paramref name="limit"/> variants or at the first refusal.
    /// </summary>
    private static async Task<(List<(int Position, string Alt)> Recovered, int Queries)> BisectAsync(ServingNode node, int limit)
    {
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        var recovered = new List<(int, string)>();
        var queries = 0;
        var refused = false;

        async Task<bool?> AnyIn(long start, long end)
        {
            queries++;
            var (status, answer) = await GetAsync(client, $"/api/g_variants?referenceName=1&start={start}&end={end}&datasetIds=ctrl");
            return status == 200 ? (bool)answer["responseSummary"]!["exists"]! : null;
        }

        async Task Search(long start, long end)
        {
            if (refused || recovered.Count >= limit)
            {
                return;
            }

            switch (await AnyIn(start, end))
            {
                case null:
                    refused = true;
                    return;
                case false:
                    return;
            }

            if (end - start > 1)
            {
                var middle = (start + end) / 2;
                await Search(start, middle);
                await Search(middle, end);
                return;
            }

            foreach (var reference in Bases)
            {
                foreach (var alternate in Bases.Where(b => b != reference))
                {
                    queries++;
                    var (status, answer) = await GetAsync(client,
                        $"/api/g_variants?referenceName=1&start={start}&referenceBases={reference}&alternateBases={alternate}&datasetIds=ctrl");
                    if (status == 200 && (bool)answer["responseSummary"]!["exists"]!)
                    {
                        recovered.Add(((int)start + 1, alternate));
                    }
                }
            }
        }

        await Search(0, 250_000_000);
        return (recovered, queries);
    }

    private static async Task<(int Status, JsonNode Answer)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!);
    }

    /// <summary>A synthetic cohort of 50 individuals in a controlled dataset of a fresh data directory; returns the VCF.</summary>
    internal static async Task<string> ControlledDatasetAsync(TemporaryDirectory root, int variants = 3000)
    {
        var vcf = root.Combine("cohort.vcf.gz");
        Shell($"python3 '{Path.Combine(AppContext.BaseDirectory, "bench", "synthetic-vcf.py")}' {variants} {Individuals} --seed 29 --chromosomes 1,2 | bgzip > '{vcf}'");
        var data = root.Combine("data");
        var add = await GenomeNodeProcess.RunAsync("dataset", "add", "--id", "ctrl", "--name", "Cohort", "--tier", "controlled", "--data", data);
        Assert.True(add.ExitCode == 0, add.ToString());
        var ingest = await GenomeNodeProcess.RunAsync("ingest", "vcf", "--data", data, "--dataset", "ctrl", vcf);
        Assert.True(ingest.ExitCode == 0, ingest.ToString());
        return vcf;
    }

    private sealed record Allele(string Chromosome, int Position, string Ref, string Alt, double Frequency, bool TargetCarries);

    /// <summary>The VCF's biallelic SNVs with their allele frequency and whether SYN00001 carries the ALT.</summary>
    private static List<Allele> Alleles(string vcf) =>
        [.. Shell($"bcftools query -i 'TYPE=\"snp\" && N_ALT=1' -s SYN00001 -f '%CHROM\\t%POS\\t%REF\\t%ALT\\t%AC\\t%AN[\\t%GT]\\n' '{vcf}'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(f => int.Parse(f[4], CultureInfo.InvariantCulture) > 0)
            .Select(f => new Allele(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), f[2], f[3],
                double.Parse(f[4], CultureInfo.InvariantCulture) / double.Parse(f[5], CultureInfo.InvariantCulture), f[6].Contains('1', StringComparison.Ordinal)))];

    private static string Shell(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", "set -o pipefail; " + command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var text = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command}: {error}");
        return text;
    }
}
