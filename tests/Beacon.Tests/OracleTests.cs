using System.Globalization;
using System.Text.Json.Nodes;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// A node with a synthetic multi-sample VCF and real VCFs from Debian's python-pysam-tests and htslib-test ingested,
/// one dataset each (the demo is there too).
/// </summary>
public sealed class OracleNode : IAsyncLifetime
{
    public BeaconNode Node { get; } = new();

    /// <summary>Dataset id to the VCF it was ingested from.</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Files["synthetic"] = Tools.SyntheticVcf(Node.Data.Combine("synthetic.vcf.gz"), 2500, 30, seed: 11, annotated: true);
        Files["pysam-ex1"] = Tools.PysamFile("pysam_data/ex1.vcf.gz");
        Files["pysam-gnomad"] = Tools.PysamFile("cbcf_data/gnomad.vcf.gz");
        Files["htslib-merge-a"] = Tools.HtslibFile("bcf-sr/merge.noidx.a.vcf");
        Files["htslib-merge-c"] = Tools.HtslibFile("bcf-sr/merge.noidx.c.vcf");
        Files["htslib-merge-b"] = Tools.HtslibFile("bcf-sr/merge.noidx.b.vcf");
        _ = Node.Server;
        foreach (var (id, path) in Files)
        {
            await Node.AddDatasetAsync(id, AccessTier.Public, path);
        }

        Files["demo"] = Tools.DemoVcf;
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// Existence, allele counts and carrier counts of random sequence, range and gene queries equal what bcftools computes
/// on the same files: <c>bcftools norm -m -any</c> splits the records per ALT and <c>bcftools query</c> prints their
/// genotypes; the test counts ALT copies, called alleles and carrying samples itself.
/// </summary>
public sealed class OracleTests(OracleNode fixture) : IClassFixture<OracleNode>
{
    private readonly BeaconNode node = fixture.Node;

    public static TheoryData<string> Datasets => ["synthetic", "pysam-ex1", "pysam-gnomad", "htslib-merge-c", "htslib-merge-b", "htslib-merge-a", "demo"];

    /// <summary>One ALT allele as bcftools reports it, with the store's span computed from the VCF coordinates.</summary>
    private sealed record Expected(string Chromosome, long Pos, string Ref, string Alt, long Start, long End, int AlleleCount, int AlleleNumber, int Carriers)
    {
        public string Key => $"{Chromosome}:{Start}:{End}:{CanonicalRef}:{CanonicalAlt}";

        public string CanonicalRef { get; init; } = "";

        public string CanonicalAlt { get; init; } = "";
    }

    private List<Expected> Oracle(string dataset)
    {
        // A sites-only VCF has no genotypes to count: its INFO AC (split per ALT by bcftools norm) and AN are the counts.
        var file = Tools.Quote(fixture.Files[dataset]);
        var sitesOnly = Tools.Shell($"bcftools query -l {file}").Trim().Length == 0;
        var lines = Tools.Shell(
            $"bcftools norm -m -any {file} 2>/dev/null | bcftools query -f '%CHROM\\t%POS\\t%REF\\t%ALT{(sitesOnly ? "\\t%INFO/AC\\t%INFO/AN" : "[\\t%GT]")}\\n'");
        var expected = new List<Expected>();
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            var alt = f[3];
            if (alt is "*" or "." or "<*>" or "<NON_REF>" || alt.StartsWith('<') || alt.Contains('[', StringComparison.Ordinal) || alt.Contains(']', StringComparison.Ordinal))
            {
                continue;
            }

            var pos = long.Parse(f[1], CultureInfo.InvariantCulture);
            var (start, end, r, a) = Trim(pos - 1, f[2].ToUpperInvariant(), alt.ToUpperInvariant());
            if (r.Length == 0 && a.Length == 0)
            {
                continue;
            }

            int count = 0, number = 0, carriers = 0;
            if (sitesOnly)
            {
                var counted = f[4] != "." && f[5] != ".";
                count = counted ? int.Parse(f[4], CultureInfo.InvariantCulture) : 0;
                number = counted ? int.Parse(f[5], CultureInfo.InvariantCulture) : 0;
            }

            foreach (var genotype in sitesOnly ? [] : f.Skip(4))
            {
                var alleles = genotype.Split('/', '|');
                var copies = alleles.Count(x => x == "1");
                count += copies;
                number += alleles.Count(x => x != ".");
                carriers += copies > 0 ? 1 : 0;
            }

            expected.Add(new Expected(Chromosome(f[0]), pos, f[2], alt, start, end, count, number, carriers) { CanonicalRef = r, CanonicalAlt = a });
        }

        Assert.NotEmpty(expected);
        return expected;
    }

    // The DESIGN's normalisation: common suffix, then common prefix removed; 0-based start moves by the prefix.
    private static (long Start, long End, string Ref, string Alt) Trim(long start, string reference, string alternate)
    {
        while (reference.Length > 0 && alternate.Length > 0 && reference[^1] == alternate[^1])
        {
            reference = reference[..^1];
            alternate = alternate[..^1];
        }

        var prefix = 0;
        while (prefix < reference.Length && prefix < alternate.Length && reference[prefix] == alternate[prefix])
        {
            prefix++;
        }

        return (start + prefix, start + reference.Length, reference[prefix..], alternate[prefix..]);
    }

    private static string Chromosome(string name)
    {
        var n = name.StartsWith("chr", StringComparison.OrdinalIgnoreCase) && name.Length > 3 ? name[3..] : name;
        return n is "M" or "m" ? "MT" : n;
    }

    private async Task<JsonNode> Query(string query)
    {
        var (status, json) = await node.GetAsync("/api/g_variants?" + query);
        Assert.True(status == 200, $"{query}: {status} {json}");
        return BeaconNode.Parse(json);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public async Task Random_sequence_queries_in_VCF_notation_match_bcftools_counts(string dataset)
    {
        var expected = Oracle(dataset);
        var byKey = expected.ToLookup(e => e.Key);
        var random = new Random(dataset.GetHashCode(StringComparison.Ordinal) & 0x7fff);
        var picks = Enumerable.Range(0, Math.Min(60, expected.Count)).Select(_ => expected[random.Next(expected.Count)]).ToList();
        var queries = picks.Select(e => (e.Chromosome, e.Pos, e.Ref, e.Alt)).ToList();
        // Absent alleles next to present ones: another ALT base, and the same change one base later.
        foreach (var e in picks.Take(20))
        {
            var other = "ACGT".First(b => !e.Alt.StartsWith(b) && !e.Ref.StartsWith(b));
            queries.Add((e.Chromosome, e.Pos, e.Ref, other + e.Alt[1..]));
            queries.Add((e.Chromosome, e.Pos + 1, e.Ref, e.Alt));
        }

        var checkedHits = 0;
        foreach (var (chromosome, pos, reference, alternate) in queries)
        {
            var (start, end, r, a) = Trim(pos - 1, reference.ToUpperInvariant(), alternate.ToUpperInvariant());
            var matches = byKey[$"{chromosome}:{start}:{end}:{r}:{a}"].ToList();
            var response = await Query(
                $"referenceName={chromosome}&start={pos - 1}&referenceBases={reference}&alternateBases={alternate}&datasetIds={dataset}&requestedGranularity=record&limit=100");
            var what = $"{dataset} {chromosome}:{pos} {reference}>{alternate}";
            Assert.True(matches.Count > 0 == (bool)response["responseSummary"]!["exists"]!, what);
            var results = response["response"]!["resultSets"]!.AsArray().SelectMany(set => set!["results"]!.AsArray()).ToList();
            Assert.True(matches.Count == results.Count, $"{what}: {results.Count} results, bcftools {matches.Count}");
            // No called allele, no frequency: a record then carries no frequencyInPopulations.
            var frequencies = results.Select(v => v!["frequencyInPopulations"]?[0]!["frequencies"]![0]!).ToList();
            Assert.True(matches.Sum(m => m.AlleleCount) == frequencies.Sum(f => (int?)f?["alleleCount"] ?? 0), $"{what}: allele count");
            Assert.True(matches.Sum(m => m.AlleleNumber) == frequencies.Sum(f => (int?)f?["alleleNumber"] ?? 0), $"{what}: allele number");
            Assert.All(frequencies, f => Assert.True(f is null || (int)f["alleleNumber"]! > 0, $"{what}: a frequency without called alleles"));
            Assert.True(matches.Sum(m => m.Carriers) == results.Sum(v => v!["caseLevelData"]?.AsArray().Count ?? 0), $"{what}: carriers");
            // Count granularity is answered from the in-memory index, record granularity from DuckDB: both agree with bcftools.
            var count = await Query(
                $"referenceName={chromosome}&start={pos - 1}&referenceBases={reference}&alternateBases={alternate}&datasetIds={dataset}&requestedGranularity=count");
            Assert.True(matches.Count == ((long?)count["responseSummary"]!["numTotalResults"] ?? 0), $"{what}: count from the index");
            checkedHits += matches.Count > 0 ? 1 : 0;
        }

        Assert.True(checkedHits >= Math.Min(60, expected.Count) / 2);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public async Task Random_range_queries_count_the_alleles_bcftools_places_in_the_window(string dataset)
    {
        var expected = Oracle(dataset);
        var random = new Random((dataset.GetHashCode(StringComparison.Ordinal) & 0x7fff) + 1);
        var nonEmpty = 0;
        for (var i = 0; i < 40; i++)
        {
            var anchor = expected[random.Next(expected.Count)];
            var start = Math.Max(0, anchor.Start - random.Next(0, 3000));
            var end = start + 1 + random.Next(0, i % 4 == 0 ? 5 : 20000);
            var inWindow = expected.Where(e => e.Chromosome == anchor.Chromosome && e.Start < end && Math.Max(e.End, e.Start + 1) > start).ToList();
            var response = await Query($"referenceName={anchor.Chromosome}&start={start}&end={end}&datasetIds={dataset}&requestedGranularity=count");
            var total = (long?)response["responseSummary"]!["numTotalResults"] ?? 0;
            Assert.True(inWindow.Count == total, $"{dataset} {anchor.Chromosome}:[{start},{end}): {total}, bcftools {inWindow.Count}");
            Assert.Equal(inWindow.Count > 0, (bool)response["responseSummary"]!["exists"]!);
            nonEmpty += inWindow.Count > 0 ? 1 : 0;
        }

        Assert.True(nonEmpty >= 20);
    }

    [Theory]
    [InlineData("synthetic")]
    [InlineData("demo")]
    public async Task Gene_queries_count_the_alleles_whose_annotation_names_the_gene(string dataset)
    {
        var file = Tools.Quote(fixture.Files[dataset]);
        var genes = Tools.Shell($"bcftools query -f '%INFO/ANN\\n' {file} | cut -d'|' -f4 | sort -u")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(g => g != ".").ToList();
        Assert.True(genes.Count >= 5, string.Join(',', genes));
        foreach (var gene in genes.Take(25))
        {
            var expected = int.Parse(Tools.Shell(
                $"bcftools norm -m -any {file} 2>/dev/null | bcftools view -H -i 'INFO/ANN~\"|{gene}|\"' | wc -l").Trim(), CultureInfo.InvariantCulture);
            var response = await Query($"geneId={gene}&datasetIds={dataset}&requestedGranularity=count");
            Assert.True(expected == ((long?)response["responseSummary"]!["numTotalResults"] ?? 0), $"{dataset} gene {gene}: bcftools {expected}");
        }
    }
}
