using GenomeNode.Beacon.Requests;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests;

/// <summary>The in-memory index answers exact allele counts as DuckDB does, and follows ingests.</summary>
public sealed class VariantIndexTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [Fact]
    public async Task Index_counts_equal_DuckDB_counts_for_stored_and_absent_alleles_and_follow_a_new_ingest()
    {
        var vcf = Tools.SyntheticVcf(node.Data.Combine("index.vcf.gz"), 1500, 12, seed: 21, annotated: false);
        await node.AddDatasetAsync("indexed", AccessTier.Public, vcf);
        var index = node.Services.GetRequiredService<VariantIndex>();
        index.Build();
        var alleles = Tools.Shell($"bcftools norm -m -any {Tools.Quote(vcf)} 2>/dev/null | bcftools query -f '%CHROM\\t%POS\\t%REF\\t%ALT\\n'")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
        var random = new Random(5);
        string[] datasets = ["indexed", "demo"];
        var compared = 0;
        using (var scope = node.Services.CreateScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<VariantStore>();
            foreach (var f in Enumerable.Range(0, 150).Select(_ => alleles[random.Next(alleles.Count)]))
            {
                var position = int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture);
                foreach (var alternate in new[] { f[3], f[3] + "A", "N" + f[3] })
                {
                    if (Alleles.Normalise(position - 1, f[2], alternate) is not { } allele)
                    {
                        continue;
                    }

                    var query = new SequenceQuery(null, ReferenceNames.Canonical(f[0]), allele.Start, allele.End, allele.Ref, allele.Alt, null);
                    var fromIndex = index.TryCount(null, query.Chromosome, allele.Start, allele.End, allele.Ref, allele.Alt, datasets);
                    Assert.NotNull(fromIndex);
                    Assert.Equal(store.Count(query, datasets).OrderBy(p => p.Key), fromIndex.OrderBy(p => p.Key));
                    compared += fromIndex.Count;
                }
            }
        }

        Assert.True(compared >= 150);

        // A new file invalidates the index; rebuilt, it holds the new allele.
        var extra = node.Data.Combine("extra.vcf");
        File.WriteAllText(extra, "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n22\t123456\t.\tAT\tA\t.\t.\t.\n");
        await node.AddDatasetAsync("indexed", AccessTier.Public, extra);
        Assert.Null(index.TryCount(null, "22", 123456, 123457, "T", "", datasets));
        index.Build();
        Assert.Equal(1, index.TryCount(null, "22", 123456, 123457, "T", "", datasets)!["indexed"]);
        Assert.Equal(1, index.TryCount("GRCh38", "22", 123456, 123457, "T", "", datasets)!["indexed"]);
        Assert.Empty(index.TryCount("GRCh37", "22", 123456, 123457, "T", "", datasets)!);
    }
}

/// <summary>Range and bracket counts from the index equal DuckDB's, long variants reaching into a window included.</summary>
public sealed class VariantIndexRangeTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [Fact]
    public async Task Index_range_and_bracket_counts_equal_DuckDB_counts()
    {
        var vcf = Tools.SyntheticVcf(node.Data.Combine("ranges.vcf.gz"), 3000, 8, seed: 33, annotated: false);
        await node.AddDatasetAsync("ranged", AccessTier.Public, vcf);
        var deletion = node.Data.Combine("long-deletion.vcf");
        File.WriteAllText(deletion, "##fileformat=VCFv4.2\n##INFO=<ID=END,Number=1,Type=Integer,Description=\"End\">\n" +
            "##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" +
            "1\t1000\t.\tN\t<DEL>\t.\t.\tSVTYPE=DEL;END=9000000\n");
        await node.AddDatasetAsync("ranged", AccessTier.Public, deletion);
        var index = node.Services.GetRequiredService<VariantIndex>();
        index.Build();
        string[] datasets = ["ranged", "demo"];
        var positions = Tools.Shell($"bcftools query -f '%CHROM\\t%POS\\n' {Tools.Quote(vcf)}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t'))
            .Select(f => (Chromosome: ReferenceNames.Canonical(f[0]), Position: long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var random = new Random(8);
        var compared = 0;
        using var scope = node.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<VariantStore>();
        for (var i = 0; i < 300; i++)
        {
            var (chromosome, position) = positions[random.Next(positions.Count)];
            var start = Math.Max(0, position - random.Next(0, 3000));
            var end = start + random.Next(1, 20000);
            string? assembly = (i % 3) switch { 0 => null, 1 => "GRCh38", _ => "GRCh37" };
            VariantQuery query = i % 2 == 0
                ? new RangeQuery(assembly, chromosome, start, end, null, VariantNarrowing.None)
                : new BracketQuery(assembly, chromosome, start, end, start, end + random.Next(0, 5000), null, VariantNarrowing.None);
            var fromIndex = index.TryCount(query, datasets);
            Assert.NotNull(fromIndex);
            Assert.Equal(store.Count(query, datasets).OrderBy(p => p.Key), fromIndex.OrderBy(p => p.Key));
            compared += fromIndex.Values.Count(count => count > 0);
        }

        // Windows that begin exactly where stored variants end (no overlap) or one base before (overlap).
        foreach (var (chromosome, position) in positions.Take(100))
        {
            foreach (var query in new VariantQuery[]
                     {
                         new RangeQuery(null, chromosome, position, position + 10, null, VariantNarrowing.None),
                         new RangeQuery(null, chromosome, position - 1, position, null, VariantNarrowing.None),
                         new BracketQuery(null, chromosome, position - 1, position - 1, position, position, null, VariantNarrowing.None),
                     })
            {
                Assert.Equal(store.Count(query, datasets).OrderBy(p => p.Key), index.TryCount(query, datasets)!.OrderBy(p => p.Key));
            }
        }

        // The deletion from 1,000 to 9,000,000 overlaps a window far to its right.
        var window = new RangeQuery(null, "1", 8_000_000, 8_000_010, null, VariantNarrowing.None);
        Assert.Equal(store.Count(window, datasets).OrderBy(p => p.Key), index.TryCount(window, datasets)!.OrderBy(p => p.Key));
        Assert.True(index.TryCount(window, datasets)!.GetValueOrDefault("ranged") >= 1);
        Assert.True(compared >= 100, $"only {compared} windows matched anything");
    }
}

/// <summary>Gene counts from the index equal DuckDB's, by type and assembly.</summary>
public sealed class VariantIndexGeneTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [Fact]
    public async Task Index_gene_counts_equal_DuckDB_counts()
    {
        var vcf = Tools.SyntheticVcf(node.Data.Combine("genes.vcf.gz"), 2000, 6, seed: 44, annotated: true);
        await node.AddDatasetAsync("annotated", AccessTier.Public, vcf);
        await node.AddDatasetAsync("annotated37", AccessTier.Public, vcf, assembly: "GRCh37");
        var index = node.Services.GetRequiredService<VariantIndex>();
        index.Build();
        string[] datasets = ["annotated", "annotated37", "demo"];
        using var scope = node.Services.CreateScope();
        var connection = scope.ServiceProvider.GetRequiredService<DuckDB.NET.Data.DuckDBConnection>();
        var genes = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT DISTINCT unnest(genes) AS gene FROM beacon.variants ORDER BY gene LIMIT 60";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                genes.Add(reader.GetString(0));
            }
        }

        Assert.True(genes.Count >= 10, $"only {genes.Count} genes");
        genes.Add("NO_SUCH_GENE");
        var store = scope.ServiceProvider.GetRequiredService<VariantStore>();
        var compared = 0;
        foreach (var gene in genes)
        {
            foreach (var types in new IReadOnlyList<string>?[] { null, ["SNP"], ["DEL", "INS"] })
            {
                foreach (var assembly in new[] { null, "GRCh38", "GRCh37" })
                {
                    var query = new GeneQuery(assembly, gene, VariantNarrowing.None with { VariantTypes = types });
                    var fromIndex = index.TryCount(query, datasets);
                    Assert.NotNull(fromIndex);
                    Assert.Equal(store.Count(query, datasets).OrderBy(p => p.Key), fromIndex.OrderBy(p => p.Key));
                    compared += fromIndex.Count;
                }
            }
        }

        Assert.True(compared >= 100, $"only {compared} answers had a match");
    }
}

/// <summary>What the index holds beside the alleles (individual ids, the longest span) follows every data change.</summary>
public sealed class VariantIndexCacheTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    private const string Header = "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";

    [Fact]
    public async Task Record_answers_name_individuals_and_find_long_variants_added_after_an_earlier_answer()
    {
        var first = node.Data.Combine("cache-first.vcf");
        File.WriteAllText(first, $"{Header}\tALICE\n22\t1000\t.\tA\tG\t.\t.\t.\tGT\t0|1\n");
        await node.AddDatasetAsync("cached", AccessTier.Public, first);
        Assert.Equal(["ALICE"], await CarriersAsync("referenceName=22&start=999&referenceBases=A&alternateBases=G"));
        Assert.Equal(["22:999:A:G"], await RangeIdsAsync());

        // A second file brings a new individual and a deletion spanning into the window from far to its left.
        var second = node.Data.Combine("cache-second.vcf");
        File.WriteAllText(second, $"{Header}\tBOB\n22\t500\t.\t{new string('C', 600)}\tC\t.\t.\t.\tGT\t1|0\n22\t2000\t.\tT\tC\t.\t.\t.\tGT\t0|1\n");
        await node.AddDatasetAsync("cached", AccessTier.Public, second);

        Assert.Equal(["BOB"], await CarriersAsync("referenceName=22&start=1999&referenceBases=T&alternateBases=C"));
        Assert.Equal([$"22:499:{new string('C', 599)}:-", "22:999:A:G"], await RangeIdsAsync());
    }

    private async Task<List<string?>> CarriersAsync(string query)
    {
        var (status, json) = await node.GetAsync($"/api/g_variants?{query}&datasetIds=cached&requestedGranularity=record");
        Assert.Equal(200, status);
        var variant = System.Text.Json.Nodes.JsonNode.Parse(json)!["response"]!["resultSets"]![0]!["results"]![0]!;
        return variant["caseLevelData"]!.AsArray().Select(c => (string?)c!["individualId"]).ToList();
    }

    private async Task<List<string?>> RangeIdsAsync()
    {
        var (status, json) = await node.GetAsync("/api/g_variants?referenceName=22&start=990&end=1010&datasetIds=cached&requestedGranularity=record");
        Assert.Equal(200, status);
        return System.Text.Json.Nodes.JsonNode.Parse(json)!["response"]!["resultSets"]![0]!["results"]!.AsArray()
            .Select(v => (string?)v!["variantInternalId"]).ToList();
    }
}

/// <summary>The catalog held in memory follows every change at once (it was once cached for two seconds).</summary>
public sealed class CatalogSnapshotTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [Fact]
    public async Task A_dataset_added_after_an_answer_is_queried_by_the_next_request()
    {
        const string Query = "/api/g_variants?referenceName=22&start=4999&referenceBases=A&alternateBases=G&datasetIds=late&requestedGranularity=count";
        var (before, _) = await node.GetAsync(Query);
        Assert.Equal(400, before);

        var vcf = node.Data.Combine("late.vcf");
        File.WriteAllText(vcf, "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n22\t5000\t.\tA\tG\t.\t.\t.\n");
        await node.AddDatasetAsync("late", AccessTier.Public, vcf);

        var (status, json) = await node.GetAsync(Query);
        Assert.Equal(200, status);
        Assert.Equal(1, (long)System.Text.Json.Nodes.JsonNode.Parse(json)!["responseSummary"]!["numTotalResults"]!);
    }
}

/// <summary>Counts and record pages from the index and the records held in memory equal DuckDB's, for every kind it answers.</summary>
public sealed class VariantIndexRecordTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [Fact]
    public async Task Index_counts_and_record_pages_equal_DuckDB_read_cold_and_from_memory()
    {
        var vcf = Tools.SyntheticVcf(node.Data.Combine("records.vcf.gz"), 2500, 10, seed: 55, annotated: true);
        await node.AddDatasetAsync("paged", AccessTier.Public, vcf);
        // The same alleles again in a second dataset, with other carriers: a page never mixes the two.
        var other = Tools.SyntheticVcf(node.Data.Combine("records-other.vcf.gz"), 2500, 7, seed: 55, annotated: true);
        await node.AddDatasetAsync("paged-other", AccessTier.Public, other);
        var index = node.Services.GetRequiredService<VariantIndex>();
        var records = node.Services.GetRequiredService<VariantRecords>();
        index.Build();
        using var scope = node.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<VariantStore>();
        var rows = store.Page(new RangeQuery(null, "1", 0, int.MaxValue, null, VariantNarrowing.None), "paged", 0, 100_000)
            .Concat(store.Page(new RangeQuery(null, "2", 0, int.MaxValue, null, VariantNarrowing.None), "paged", 0, 100_000)).ToList();
        Assert.True(rows.Count > 500, $"only {rows.Count} rows");
        var genes = rows.SelectMany(row => row.Genes).Distinct().Take(20).ToList();
        var changes = rows.Where(row => row.AminoacidChanges.Count > 0).Take(20).ToList();
        Assert.NotEmpty(changes);

        var random = new Random(13);
        var queries = new List<VariantQuery>();
        foreach (var row in Enumerable.Range(0, 40).Select(_ => rows[random.Next(rows.Count)]))
        {
            queries.Add(new SequenceQuery(null, row.Chromosome, row.Start, row.End, row.Ref, row.Alt, null));
            queries.Add(new VariantIdQuery("GRCh38", row.Chromosome, row.Start, row.Ref, row.Alt));
            queries.Add(new RangeQuery(null, row.Chromosome, Math.Max(0, row.Start - 5000), row.Start + random.Next(1, 50_000), null, VariantNarrowing.None));
            queries.Add(new BracketQuery(null, row.Chromosome, row.Start - 100, row.Start + 20_000, row.Start, row.Start + 30_000, null, VariantNarrowing.None));
            queries.Add(new RangeQuery(null, row.Chromosome, Math.Max(0, row.Start - 20_000), row.Start + 20_000, null,
                VariantNarrowing.None with { VariantTypes = ["DEL", "INDEL"], MinLength = 2 }));
            queries.Add(new BracketQuery("GRCh38", row.Chromosome, row.Start - 5000, row.Start + 20_000, row.Start - 5000, row.Start + 30_000, null,
                VariantNarrowing.None with { MaxLength = 1 }));
        }

        // Whole chromosomes narrowed by type and length, as the scale bench's deletion count asks.
        foreach (var length in new[] { 1, 2, 3, 5 })
        {
            queries.Add(new RangeQuery(null, "1", 0, 250_000_000, null, VariantNarrowing.None with { VariantTypes = ["DEL"], MinLength = length }));
            queries.Add(new RangeQuery(null, "2", 0, 250_000_000, null, VariantNarrowing.None with { MinLength = length, MaxLength = length + 1 }));
        }

        foreach (var gene in genes)
        {
            queries.Add(new GeneQuery(null, gene, VariantNarrowing.None));
            queries.Add(new GeneQuery("GRCh38", gene, VariantNarrowing.None with { VariantTypes = ["SNP"] }));
            queries.Add(new GeneQuery(null, gene, VariantNarrowing.None with { MinLength = 2 }));
        }

        foreach (var row in changes)
        {
            queries.Add(new GeneQuery(null, row.Genes[0], VariantNarrowing.None with { AminoacidChange = row.AminoacidChanges[^1] }));
        }

        var compared = 0;
        foreach (var query in queries)
        {
            Assert.True(VariantIndex.Answers(query), query.ToString());
            string[] all = ["paged", "paged-other", "demo"];
            Assert.Equal(store.Count(query, all).OrderBy(p => p.Key), index.TryCount(query, all)!.OrderBy(p => p.Key));
            foreach (var dataset in new[] { "paged", "paged-other", "demo" })
            {
                foreach (var (skip, limit) in new (long, long)[] { (0, 10), (3, 5), (0, 1000) })
                {
                    var expected = store.Page(query, dataset, skip, limit).Select(Describe).ToList();
                    for (var pass = 0; pass < 2; pass++) // cold, then from the records held
                    {
                        var alleles = index.TryPage(query, dataset, skip, limit);
                        Assert.NotNull(alleles);
                        var actual = records.Page(dataset, alleles, (id, assembly, chromosome, first, last) =>
                            store.Rows(id, assembly, store.FileIds(id).GetValueOrDefault(assembly) ?? [], chromosome, first, last)).Select(Describe).ToList();
                        Assert.Equal(expected, actual);
                    }

                    compared += expected.Count;
                }
            }
        }

        Assert.True(compared >= 1000, $"only {compared} records compared");
    }

    [Fact]
    public async Task Records_held_in_memory_follow_a_new_ingest_of_the_dataset()
    {
        const string Header = "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";
        var first = node.Data.Combine("held-first.vcf");
        File.WriteAllText(first, $"{Header}\tCAROL\n22\t7000\t.\tA\tG\t.\t.\t.\tGT\t0|1\n");
        await node.AddDatasetAsync("held", AccessTier.Public, first);
        node.Services.GetRequiredService<VariantIndex>().Build();
        Assert.Equal(["CAROL"], await CarriersAsync());

        // The same allele again in another file, carried by someone else: the next answer lists both rows' carriers.
        var second = node.Data.Combine("held-second.vcf");
        File.WriteAllText(second, $"{Header}\tDAVE\n22\t7000\t.\tA\tG\t.\t.\t.\tGT\t1|1\n");
        await node.AddDatasetAsync("held", AccessTier.Public, second);
        node.Services.GetRequiredService<VariantIndex>().Build();
        Assert.Equal(["CAROL", "DAVE"], (await CarriersAsync()).Order(StringComparer.Ordinal));

        // One copy a page: the two pages give the two copies, never one twice.
        var firstPage = await CarriersAsync("&skip=0&limit=1");
        var secondPage = await CarriersAsync("&skip=1&limit=1");
        Assert.Equal(["CAROL", "DAVE"], firstPage.Concat(secondPage).Order(StringComparer.Ordinal));
    }

    private async Task<List<string?>> CarriersAsync(string page = "")
    {
        var (status, json) = await node.GetAsync(
            $"/api/g_variants?referenceName=22&start=6999&referenceBases=A&alternateBases=G&datasetIds=held&requestedGranularity=record{page}");
        Assert.Equal(200, status);
        return System.Text.Json.Nodes.JsonNode.Parse(json)!["response"]!["resultSets"]![0]!["results"]!.AsArray()
            .SelectMany(variant => variant!["caseLevelData"]!.AsArray()).Select(c => (string?)c!["individualId"]).ToList();
    }

    private static string Describe(StoredVariant variant) =>
        $"{variant.DatasetId} {variant.Assembly} {variant.VariantInternalId} {variant.End} {variant.VariantType} {variant.AlleleCount}/{variant.AlleleNumber} " +
        $"het {string.Join(',', variant.Heterozygous)} hom {string.Join(',', variant.Homozygous)} hemi {string.Join(',', variant.Hemizygous)} " +
        $"{string.Join(',', variant.Genes)} {string.Join(',', variant.Effects)} {string.Join(',', variant.AminoacidChanges)} " +
        $"{string.Join(',', variant.TranscriptHgvs)} {string.Join(',', variant.ProteinHgvs)}";
}
