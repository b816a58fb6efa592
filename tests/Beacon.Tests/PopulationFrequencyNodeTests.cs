using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// The demo (seeded) and 14 of its samples in two more datasets, registered and public: 7 men and 2 women with their
/// documents, 5 samples without one, and 3 women imported with documents only (no sample). Anonymous callers get
/// records of the registered one (its ceiling raised to record, range queries allowed), under the registered tier's
/// other default privacy rules.
/// </summary>
public sealed class PopulationNode : IAsyncLifetime
{
    public const string Registered = "mixed-registered";
    public const string Public = "mixed-public";

    public BeaconNode Node { get; } = new();

    public string MixedVcf { get; private set; } = "";

    /// <summary>The samples given documents: 7 men and 2 women.</summary>
    public IReadOnlySet<string> Documented { get; private set; } = new HashSet<string>();

    public async Task InitializeAsync()
    {
        var sexes = PopulationFrequencyNodeTests.DemoSexes();
        var samples = PopulationFrequencyNodeTests.SampleNames(Tools.DemoVcf);
        var men = samples.Where(s => sexes[s] == "NCIT:C20197").Take(7).ToList();
        var women = samples.Where(s => sexes[s] == "NCIT:C16576").Take(2).ToList();
        var undocumented = samples.Except(men).Except(women).Take(5).ToList();
        Documented = men.Concat(women).ToHashSet(StringComparer.Ordinal);
        MixedVcf = Node.Data.Combine("mixed.vcf.gz");
        Tools.Shell($"bcftools view -s {string.Join(',', men.Concat(women).Concat(undocumented))} -Oz -o {Tools.Quote(MixedVcf)} {Tools.Quote(Tools.DemoVcf)}");
        var documents = new JsonArray(
            [
                .. JsonNode.Parse(File.ReadAllText(PopulationFrequencyNodeTests.DemoIndividuals))!.AsArray()
                    .Where(i => Documented.Contains((string)i!["id"]!)).Select(i => i!.DeepClone()),
                .. Enumerable.Range(1, 3).Select(i => JsonNode.Parse($$$"""{"id": "IMPORTED-{{{i}}}", "sex": {"id": "NCIT:C16576", "label": "female"}}""")),
            ]);

        await using (var first = Node.Sharing())
        {
            _ = first.Server;
            foreach (var (id, tier) in new[] { (Registered, AccessTier.Registered), (Public, AccessTier.Public) })
            {
                await first.AddDatasetAsync(id, tier, MixedVcf);
                using var scope = first.Services.CreateScope();
                scope.ServiceProvider.GetRequiredService<IndividualDocuments>().Attach(id, documents.ToJsonString());
            }
        }

        Node.Settings[$"Beacon:Datasets:{Registered}:MaxGranularity"] = "record";
        // Range queries, so that an answer holds enough variants not to be answered as none (counts below 5 are).
        Node.Settings[$"Privacy:Datasets:{Registered}:AnonymousQueries:0"] = "range";
        _ = Node.Server;
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// Frequencies per population in g_variants records, against counts this test takes from the VCF's genotypes
/// (<c>bcftools norm -m -any</c> splits records per ALT, <c>bcftools query</c> prints the calls) and the individuals'
/// sex in the demo's individuals.json.
/// </summary>
public sealed class PopulationFrequencyNodeTests(PopulationNode fixture) : IClassFixture<PopulationNode>
{
    private const string MaleTerm = "NCIT:C20197";
    private const string FemaleTerm = "NCIT:C16576";

    private readonly BeaconNode node = fixture.Node;

    public static string DemoIndividuals => Path.Combine(AppContext.BaseDirectory, "demo", "individuals.json");

    /// <summary>Each demo individual's sex term, from individuals.json.</summary>
    public static Dictionary<string, string> DemoSexes()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DemoIndividuals));
        return document.RootElement.EnumerateArray()
            .ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("sex").GetProperty("id").GetString()!, StringComparer.Ordinal);
    }

    public static List<string> SampleNames(string vcf) =>
        [.. Tools.Shell($"bcftools query -l {Tools.Quote(vcf)}").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>One ALT allele of a VCF record with each sample's call: copies of this ALT, alleles called, ploidy.</summary>
    private sealed record Allele(string Id, string Chromosome, long Pos, string Ref, string Alt, (int Copies, int Called, int Ploidy)[] Calls)
    {
        /// <summary>Every sample called, with two alleles.</summary>
        public bool AllDiploid => Calls.All(c => c.Ploidy == 2 && c.Called == 2);

        /// <summary>AC, AN, heterozygous and homozygous samples among those <paramref name="member"/> selects.</summary>
        public (long Count, long Number, long Heterozygous, long Homozygous) Counts(Func<int, bool> member)
        {
            var members = Calls.Where((_, i) => member(i)).ToList();
            return (members.Sum(c => c.Copies), members.Sum(c => c.Called),
                members.Count(c => c.Ploidy == 2 && c.Copies == 1), members.Count(c => c.Copies >= 2 && c.Copies == c.Called));
        }
    }

    private static List<Allele> Alleles(string vcf)
    {
        var lines = Tools.Shell($"bcftools norm -m -any {Tools.Quote(vcf)} 2>/dev/null | bcftools query -f '%CHROM\\t%POS\\t%REF\\t%ALT[\\t%GT]\\n'");
        var alleles = new List<Allele>();
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            var calls = f.Skip(4).Select(gt =>
            {
                var called = gt.Split('/', '|');
                return (called.Count(a => a == "1"), called.Count(a => a != "."), called.Length);
            }).ToArray();
            var chromosome = f[0].StartsWith("chr", StringComparison.Ordinal) ? f[0][3..] : f[0];
            var pos = long.Parse(f[1], CultureInfo.InvariantCulture);
            alleles.Add(new Allele(VariantId(chromosome, pos - 1, f[2], f[3]), chromosome, pos, f[2], f[3], calls));
        }

        return alleles;
    }

    /// <summary>The record id the node gives an allele: common suffix, then common prefix trimmed; '-' for an empty allele.</summary>
    private static string VariantId(string chromosome, long start, string reference, string alternate)
    {
        while (reference.Length > 0 && alternate.Length > 0 && reference[^1] == alternate[^1])
        {
            (reference, alternate) = (reference[..^1], alternate[..^1]);
        }

        var prefix = 0;
        while (prefix < reference.Length && prefix < alternate.Length && reference[prefix] == alternate[prefix])
        {
            prefix++;
        }

        string Allele(string bases) => bases.Length == prefix ? "-" : bases[prefix..];
        return string.Create(CultureInfo.InvariantCulture, $"{chromosome}:{start + prefix}:{Allele(reference)}:{Allele(alternate)}");
    }

    private async Task<JsonNode> Query(string query, bool validate = false)
    {
        var (status, json) = await node.GetAsync("/api/g_variants?" + query);
        Assert.True(status == 200, $"{query}: {status} {json}");
        if (validate)
        {
            BeaconSchemas.AssertValid(json, BeaconSchemas.ForGranularity("record"));
        }

        return BeaconNode.Parse(json);
    }

    private static List<JsonNode> Records(JsonNode response) =>
        [.. response["response"]!["resultSets"]!.AsArray().SelectMany(set => set!["results"]!.AsArray()).Select(r => r!)];

    /// <summary>A record's frequencies by population, from its one frequencyInPopulations entry.</summary>
    private static Dictionary<string, JsonNode> Frequencies(JsonNode record) =>
        FrequencyList(record).ToDictionary(f => (string)f["population"]!, StringComparer.Ordinal);

    /// <summary>The populations of a record's frequencies, in order.</summary>
    private static List<string> Populations(JsonNode record) => [.. FrequencyList(record).Select(f => (string)f["population"]!)];

    private static IEnumerable<JsonNode> FrequencyList(JsonNode record) =>
        Assert.Single(record["frequencyInPopulations"]!.AsArray())!["frequencies"]!.AsArray().Select(f => f!);

    private static void AssertCounts((long Count, long Number, long Heterozygous, long Homozygous) expected, JsonNode frequency, string what)
    {
        Assert.True(expected.Count == (long)frequency["alleleCount"]!, $"{what}: allele count {frequency}, expected {expected}");
        Assert.True(expected.Number == (long)frequency["alleleNumber"]!, $"{what}: allele number {frequency}, expected {expected}");
        Assert.True(expected.Heterozygous == (long)frequency["alleleCountHeterozygous"]!, $"{what}: heterozygous {frequency}, expected {expected}");
        Assert.True(expected.Homozygous == (long)frequency["alleleCountHomozygous"]!, $"{what}: homozygous {frequency}, expected {expected}");
        Assert.Equal(0, (long)frequency["alleleCountHemizygous"]!);
        Assert.Equal(Math.Round((double)expected.Count / expected.Number, 6), (double)frequency["alleleFrequency"]!);
    }

    [Fact]
    public async Task Demo_records_give_FI_FI_M_and_FI_F_as_counted_from_the_genotypes_and_the_individuals_sex()
    {
        var sexes = DemoSexes();
        var samples = SampleNames(Tools.DemoVcf);
        bool Male(int i) => sexes[samples[i]] == MaleTerm;
        bool Female(int i) => sexes[samples[i]] == FemaleTerm;
        var oracle = Alleles(Tools.DemoVcf).ToDictionary(a => a.Id, StringComparer.Ordinal);

        // TP53 and BRCA1 (900 records), each in one range query.
        var records = Records(await Query("referenceName=17&start=7668401&end=7687550&datasetIds=demo&requestedGranularity=record&limit=1000", validate: true))
            .Concat(Records(await Query("referenceName=17&start=43044294&end=43125483&datasetIds=demo&requestedGranularity=record&limit=1000")))
            .ToList();

        int bySex = 0, everyoneOnly = 0;
        foreach (var record in records)
        {
            var id = (string)record["variantInternalId"]!;
            var allele = oracle[id];
            var frequencies = Frequencies(record);
            AssertCounts(allele.Counts(_ => true), frequencies["FI"], $"{id} FI");
            if (allele.AllDiploid)
            {
                Assert.Equal(["FI", "FI_M", "FI_F"], Populations(record));
                AssertCounts(allele.Counts(Male), frequencies["FI_M"], $"{id} FI_M");
                AssertCounts(allele.Counts(Female), frequencies["FI_F"], $"{id} FI_F");
                bySex++;
            }
            else
            {
                // A missing call somewhere: who it was is not stored, so the subpopulations' allele numbers are not known.
                Assert.Equal(["FI"], Populations(record));
                everyoneOnly++;
            }
        }

        Assert.True(records.Count >= 900, $"{records.Count} records");
        Assert.True(bySex > 400 && everyoneOnly > 100, $"{bySex} records with every sample called, {everyoneOnly} without");
    }

    [Fact]
    public async Task The_demo_example_variant_is_carried_by_five_of_the_23_women_and_one_of_the_27_men()
    {
        var record = Assert.Single(Records(await Query(
            "referenceName=17&start=43045711&referenceBases=G&alternateBases=A&datasetIds=demo&requestedGranularity=record", validate: true)));

        var frequencies = Frequencies(record);

        Assert.Equal(["FI", "FI_M", "FI_F"], Populations(record));
        AssertCounts((6, 100, 6, 0), frequencies["FI"], "FI");
        AssertCounts((1, 54, 1, 0), frequencies["FI_M"], "FI_M");
        AssertCounts((5, 46, 5, 0), frequencies["FI_F"], "FI_F");
        var entry = record["frequencyInPopulations"]![0]!;
        Assert.Equal("Genome Node dataset demo", (string?)entry["source"]);
        Assert.Equal("genotypes of dataset demo", (string?)entry["sourceReference"]);
    }

    /// <summary>A biallelic record of the mixed VCF on which every sample is called diploid and at least 5 carry the ALT.</summary>
    private Allele CommonFullyCalledAllele() =>
        Alleles(fixture.MixedVcf).First(a => a.AllDiploid && !a.Alt.Contains(',', StringComparison.Ordinal) && a.Calls.Count(c => c.Copies > 0) >= 5 &&
            a.Ref.Length == 1 && a.Alt.Length == 1);

    [Fact]
    public async Task Imported_individuals_without_a_sample_are_not_counted_in_allele_numbers()
    {
        var allele = CommonFullyCalledAllele();
        var sexes = DemoSexes();
        var samples = SampleNames(fixture.MixedVcf);
        // 5 samples have no document; the 3 imported women no sample.
        bool Male(int i) => fixture.Documented.Contains(samples[i]) && sexes[samples[i]] == MaleTerm;
        bool Female(int i) => fixture.Documented.Contains(samples[i]) && sexes[samples[i]] == FemaleTerm;

        var record = Assert.Single(Records(await Query(
            $"referenceName={allele.Chromosome}&start={allele.Pos - 1}&referenceBases={allele.Ref}&alternateBases={allele.Alt}" +
            $"&datasetIds={PopulationNode.Public}&requestedGranularity=record", validate: true)));

        var frequencies = Frequencies(record);
        Assert.Equal(["FI", "FI_M", "FI_F"], Populations(record));
        AssertCounts(allele.Counts(_ => true), frequencies["FI"], "FI");
        AssertCounts(allele.Counts(Male), frequencies["FI_M"], "FI_M");
        AssertCounts(allele.Counts(Female), frequencies["FI_F"], "FI_F");
        Assert.Equal(28, (long)frequencies["FI"]["alleleNumber"]!);
        Assert.Equal(4, (long)frequencies["FI_F"]["alleleNumber"]!);
    }

    [Fact]
    public async Task Callers_without_the_grant_are_not_given_populations_smaller_than_the_minimum_count()
    {
        // A range around a common allele: the registered tier answers fewer than 5 matching variants as none.
        var allele = CommonFullyCalledAllele();
        var range = $"referenceName={allele.Chromosome}&start={allele.Pos - 20000}&end={allele.Pos + 20000}&requestedGranularity=record&limit=1000";

        var response = await Query($"{range}&datasetIds={PopulationNode.Registered}", validate: true);

        // Registered tier, anonymous caller: populations of fewer than 5 genotyped members are left out (2 women); the
        // 7 men stay, as everyone minus them is 7 individuals too.
        Assert.Equal("record", (string?)response["meta"]!["returnedGranularity"]);
        var records = Records(response);
        Assert.All(records, r => Assert.DoesNotContain("FI_F", Populations(r)));
        Assert.Equal(["FI", "FI_M"], Populations(records.Single(r => (string)r["variantInternalId"]! == allele.Id)));
        var open = Records(await Query($"{range}&datasetIds={PopulationNode.Public}"));
        Assert.Equal(["FI", "FI_M", "FI_F"], Populations(open.Single(r => (string)r["variantInternalId"]! == allele.Id)));
    }
}
