using System.Globalization;
using System.Text;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Formats;

/// <summary>
/// Data files whose indexes Debian does not ship (or that need a fresh index), built once per test run from the
/// shipped SAM/VCF sources with samtools, bcftools, bgzip and tabix: the indexes are the tools' own.
/// </summary>
public sealed class BuiltFiles : IDisposable
{
    private readonly TemporaryDirectory directory = new("genome-node-formats");

    public BuiltFiles()
    {
        IndexBam = Combine("index.bam");
        ExternalTools.Run("samtools", "view", "--no-PG", "-b", "-o", IndexBam, TestFiles.HtslibFile("index.sam"));
        ExternalTools.Run("samtools", "index", IndexBam);
        ExternalTools.Run("samtools", "index", "-c", IndexBam);

        SyntheticBam = Combine("synthetic.bam");
        var sam = Combine("synthetic.sam");
        File.WriteAllText(sam, SyntheticSam.Generate(seed: 20240611));
        ExternalTools.Run("samtools", "sort", "--no-PG", "-o", SyntheticBam, sam);
        ExternalTools.Run("samtools", "index", SyntheticBam);
        ExternalTools.Run("samtools", "index", "-c", "-m", "12", SyntheticBam);

        // Debian ships this one with a .bai that no longer matches the BAM (samtools itself fails with it).
        foreach (var stale in StaleBaiBams)
        {
            var copy = Combine(Path.GetFileName(stale));
            File.Copy(TestFiles.SamtoolsFile(stale), copy);
            ExternalTools.Run("samtools", "index", copy);
        }

        IndexCram = Combine("index.cram");
        ExternalTools.Run("samtools", "view", "--no-PG", "-C", "-T", TestFiles.CeReference, "-o", IndexCram,
            TestFiles.HtslibFile("index.sam"));
        ExternalTools.Run("samtools", "index", IndexCram);

        IndexVcf = Bgzip(TestFiles.HtslibFile("index.vcf"), "index.vcf.gz");
        ExternalTools.Run("tabix", "-p", "vcf", IndexVcf);
        ExternalTools.Run("bcftools", "index", "--csi", IndexVcf);

        SmallVcf = Bgzip(TestFiles.HtslibFile("tabix/vcf_file.vcf"), "vcf_file.vcf.gz");
        ExternalTools.Run("tabix", "-p", "vcf", SmallVcf);

        // Positions near 2^31 do not fit BAI/TBI's 2^29 scheme: only a deeper CSI indexes them.
        LargeChromosomeVcf = Bgzip(TestFiles.HtslibFile("tabix/large_chr.vcf"), "large_chr.vcf.gz");
        ExternalTools.Run("tabix", "-C", "-p", "vcf", LargeChromosomeVcf);

        IndexBcf = Combine("index.bcf");
        ExternalTools.Run("bcftools", "view", "--no-version", "-Ob", "-o", IndexBcf, TestFiles.HtslibFile("index.vcf"));
        ExternalTools.Run("bcftools", "index", IndexBcf);
    }

    /// <summary>samtools-test BAMs whose shipped .bai is stale; copies with fresh indexes are built beside the others.</summary>
    public static IReadOnlyList<string> StaleBaiBams { get; } = ["stat/11_target.bam"];

    /// <summary>index.sam as BAM, with a BAI and a CSI; it has 50 unplaced unmapped reads.</summary>
    public string IndexBam { get; }

    /// <summary>Reads spread over 200 Mbp, some spanning megabases, many BGZF blocks; BAI and CSI (min_shift 12).</summary>
    public string SyntheticBam { get; }

    public string IndexCram { get; }

    /// <summary>index.vcf bgzipped, with a TBI and a CSI.</summary>
    public string IndexVcf { get; }

    public string SmallVcf { get; }

    /// <summary>large_chr.vcf bgzipped, with a CSI only.</summary>
    public string LargeChromosomeVcf { get; }

    /// <summary>index.vcf as BCF, with a CSI.</summary>
    public string IndexBcf { get; }

    public string Combine(string name) => directory.Combine(name);

    public void Dispose() => directory.Dispose();

    private string Bgzip(string source, string name)
    {
        var path = Combine(name);
        File.WriteAllBytes(path, ExternalTools.RunBytes("bgzip", "-c", source));
        return path;
    }
}

[CollectionDefinition(Name)]
public sealed class BuiltFilesGroup : ICollectionFixture<BuiltFiles>
{
    public const string Name = "Built format files";
}

/// <summary>A SAM file with enough reads, long spans and unmapped reads to exercise every level of the binning scheme.</summary>
internal static class SyntheticSam
{
    public static string Generate(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        text.Append("@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chrA\tLN:200000000\n@SQ\tSN:chrB\tLN:1000000\n");
        for (var i = 0; i < 20000; i++)
        {
            var onA = i % 5 != 0;
            var position = 1 + random.NextInt64(onA ? 199_000_000 : 990_000);
            var length = random.Next(30, 120);
            var cigar = string.Create(CultureInfo.InvariantCulture, $"{length}M");
            if (i % 50 == 0)
            {
                // A spliced read spanning up to 4 Mbp lands in a coarse bin.
                var gap = onA ? random.Next(10_000, 4_000_000) : random.Next(1_000, 8_000);
                cigar = string.Create(CultureInfo.InvariantCulture, $"{length / 2}M{gap}N{length - (length / 2)}M");
            }

            var unmappedPlaced = i % 97 == 0;
            var flag = unmappedPlaced ? 4 : random.Next(2) == 0 ? 0 : 16;
            text.Append(CultureInfo.InvariantCulture,
                $"r{i}\t{flag}\t{(onA ? "chrA" : "chrB")}\t{position}\t{(unmappedPlaced ? 0 : 60)}\t{(unmappedPlaced ? "*" : cigar)}\t*\t0\t0\t{Bases(random, length)}\t*\n");
        }

        for (var i = 0; i < 40; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"u{i}\t4\t*\t0\t0\t*\t*\t0\t0\t{Bases(random, 50)}\t*\n");
        }

        return text.ToString();
    }

    private static string Bases(Random random, int length) =>
        string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = "ACGT"[r.Next(4)];
            }
        });
}
