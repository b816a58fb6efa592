using System.Diagnostics;
using System.IO.Compression;
using Microsoft.Extensions.DependencyInjection;
using System.Text;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The real node on a real Kestrel (127.0.0.1, random port) with real files registered for htsget: Debian's
/// htslib-test files rebuilt with samtools, bcftools, bgzip and tabix (their indexes are the tools' own), every
/// BAM, CRAM, VCF.gz and BCF the Debian test packages ship (see <see cref="DebianHtsFiles"/>), and the demo objects
/// the node registers by itself. Objects of datasets <c>open</c> and <c>debian</c> are PUBLIC; those of
/// <c>closed</c> are CONTROLLED.
/// </summary>
public sealed class HtsgetNodeFixture : IAsyncLifetime, IDisposable
{
    public const string Htslib = "/usr/share/htslib-test/test";

    private readonly TemporaryDirectory directory = new("genome-node-htsget-files");

    public NodeFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>The C. elegans reference the CRAM files are written against.</summary>
    public static string CeReference => Path.Combine(Htslib, "ce.fa");

    /// <summary>Id of the object (dataset <c>multi</c>) holding a BAM and a CRAM of the same reads.</summary>
    public const string MultiReads = "multi-reads";

    /// <summary>Id of the object (dataset <c>multi</c>) holding a VCF.gz and a BCF of the same variants.</summary>
    public const string MultiVariants = "multi-variants";

    /// <summary>The files of <see cref="MultiReads"/> and <see cref="MultiVariants"/> by format.</summary>
    public IReadOnlyDictionary<string, string> MultiFormat { get; private set; } = new Dictionary<string, string>();

    /// <summary>Registered objects by id, with their files.</summary>
    public IReadOnlyDictionary<string, HtsgetObjectFile> Objects { get; private set; } = new Dictionary<string, HtsgetObjectFile>();

    public async Task InitializeAsync()
    {
        var bam = Combine("index.bam");
        ExternalTools.Run("samtools", "view", "--no-PG", "-b", "-o", bam, Path.Combine(Htslib, "index.sam"));
        ExternalTools.Run("samtools", "index", bam);
        var cram = Combine("index.cram");
        ExternalTools.Run("samtools", "view", "--no-PG", "-C", "-T", CeReference, "-o", cram, Path.Combine(Htslib, "index.sam"));
        ExternalTools.Run("samtools", "index", cram);
        var vcf = Combine("index.vcf.gz");
        File.WriteAllBytes(vcf, ExternalTools.RunBytes("bgzip", "-c", Path.Combine(Htslib, "index.vcf")));
        ExternalTools.Run("tabix", "-p", "vcf", vcf);
        var bcf = Combine("index.bcf");
        ExternalTools.Run("bcftools", "view", "--no-version", "-Ob", "-o", bcf, Path.Combine(Htslib, "index.vcf"));
        ExternalTools.Run("bcftools", "index", bcf);

        ExternalTools.ReferencePath = Combine("ref-cache");
        DebianHtsFiles.WriteReferenceCache(ExternalTools.ReferencePath);
        var debian = DebianHtsFiles.All.Select(PrepareShipped).ToList();

        Factory.UseKestrel(0);
        Factory.StartServer();
        Client = Factory.CreateClient();
        var demo = Path.Combine(Factory.Data.Path, "demo");

        var objects = new List<HtsgetObjectFile>
        {
            new("bam", HtsgetKind.Reads, "BAM", bam),
            new("cram", HtsgetKind.Reads, "CRAM", cram),
            new("range-bam", HtsgetKind.Reads, "BAM", Path.Combine(Htslib, "range.bam")),
            new("vcf", HtsgetKind.Variants, "VCF", vcf),
            new("bcf", HtsgetKind.Variants, "BCF", bcf),
            new("closed-bam", HtsgetKind.Reads, "BAM", bam, "closed"),
            new("demo-reads", HtsgetKind.Reads, "BAM", Path.Combine(demo, "demo.bam"), "demo"),
            new("demo-variants", HtsgetKind.Variants, "VCF", Path.Combine(demo, "demo.vcf.gz"), "demo"),
        };
        await using var scope = Factory.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
        await catalog.AddAsync(new NewDataset("open", "Open test files", AccessTier.Public));
        await catalog.AddAsync(new NewDataset("closed", "Controlled test files", AccessTier.Controlled));
        var registrar = scope.ServiceProvider.GetRequiredService<HtsgetObjectRegistrar>();
        foreach (var item in objects.Where(item => item.Dataset != "demo"))
        {
            registrar.Register(new RegistrationRequest(item.Id, item.Dataset, item.Kind, item.Path, null));
        }

        await catalog.AddAsync(new NewDataset("debian", "Debian's htslib-test, samtools-test and python-pysam-tests files", AccessTier.Public));
        foreach (var item in debian)
        {
            if (item.Problem is null)
            {
                item.Problem = TryRegister(registrar, item);
            }

            if (item.PlainGzip is not null)
            {
                item.PlainGzipRefusal = TryRegister(registrar, item with { Id = item.Id + ".plain", Path = item.PlainGzip, Index = null });
            }
        }

        // One id holding two formats of the same data (the compliance suite's shape): BAM and CRAM of index.sam,
        // VCF.gz and BCF of index.vcf, each format registered on its own.
        await catalog.AddAsync(new NewDataset("multi", "One id, several formats", AccessTier.Public));
        MultiFormat = new Dictionary<string, string> { ["BAM"] = bam, ["CRAM"] = cram, ["VCF"] = vcf, ["BCF"] = bcf };
        foreach (var (format, path) in MultiFormat)
        {
            var reads = format is "BAM" or "CRAM";
            registrar.Register(new RegistrationRequest(reads ? MultiReads : MultiVariants, "multi", reads ? HtsgetKind.Reads : HtsgetKind.Variants, path, null));
        }

        Objects = objects.Concat(debian).ToDictionary(item => item.Id);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        Dispose();
    }

    public void Dispose() => directory.Dispose();

    /// <summary>The ticket URL of an object with the given query string (without '?').</summary>
    public string TicketUrl(string id, string? query = null)
    {
        var kind = Objects.TryGetValue(id, out var item) && item.Kind == HtsgetKind.Variants ? "variants" : "reads";
        return new Uri(BaseAddress, $"/htsget/{kind}/{id}{(string.IsNullOrEmpty(query) ? "" : "?" + query)}").ToString();
    }

    public string Combine(string name) => directory.Combine(name);

    private static string? TryRegister(HtsgetObjectRegistrar registrar, HtsgetObjectFile item)
    {
        try
        {
            registrar.Register(new RegistrationRequest(item.Id, item.Dataset, item.Kind, item.Path, item.Index));
            return null;
        }
        catch (HtsgetRegistrationException error)
        {
            return $"registration refused: {error.Message}";
        }
    }

    // A shipped file as a user would register it: a copy with the shipped index, or one the tools build; a plain
    // gzip VCF recompressed with bgzip (the original is kept to check that registration refuses it).
    private HtsgetObjectFile PrepareShipped(ShippedFile shipped)
    {
        var extension = shipped.Format switch { "VCF" => ".vcf.gz", var format => "." + format.ToLowerInvariant() };
        var path = Combine(shipped.Id.EndsWith(extension, StringComparison.Ordinal) ? shipped.Id : shipped.Id + extension);
        File.Copy(shipped.FullPath, path);
        var item = new HtsgetObjectFile(shipped.Id, shipped.Kind, shipped.Format, path, "debian");
        if (shipped.Format == "VCF" && DebianHtsFiles.IsPlainGzip(path))
        {
            item.PlainGzip = path + ".plain.gz";
            File.Move(path, item.PlainGzip);
            using (var plain = new GZipStream(File.OpenRead(item.PlainGzip), CompressionMode.Decompress))
            using (var text = File.Create(path + ".txt"))
            {
                plain.CopyTo(text);
            }

            File.WriteAllBytes(path, ExternalTools.RunBytes("bgzip", "-c", path + ".txt"));
        }

        try
        {
            item.Index = ShippedIndex(shipped, path) ?? BuildIndex(shipped.Format, path);
            item.ViewOptions = ViewOptions(item);
        }
        catch (InvalidOperationException error)
        {
            item.Problem = error.Message;
        }

        return item;
    }

    // The index Debian ships beside the file, copied beside the copy; null when there is none.
    private static string? ShippedIndex(ShippedFile shipped, string copy)
    {
        foreach (var suffix in new[] { ".bai", ".csi", ".crai", ".tbi" })
        {
            if (File.Exists(shipped.FullPath + suffix) && !StaleIndexes.Contains(shipped.Id))
            {
                File.Copy(shipped.FullPath + suffix, copy + suffix);
                return copy + suffix;
            }
        }

        return null;
    }

    /// <summary>Shipped indexes that no longer match their file (samtools itself fails with them); the tools rebuild them.</summary>
    private static readonly HashSet<string> StaleIndexes = new(["samtools.stat.11_target.bam"], StringComparer.Ordinal);

    private static string BuildIndex(string format, string path)
    {
        switch (format)
        {
            case "BAM" or "CRAM":
                ExternalTools.Run("samtools", "index", path);
                return path + (format == "BAM" ? ".bai" : ".crai");
            case "BCF":
                ExternalTools.Run("bcftools", "index", path);
                return path + ".csi";
            default:
                ExternalTools.Run("tabix", "-p", "vcf", path);
                return path + ".tbi";
        }
    }

    // Options both the local and the remote reading get: a CRAM whose @SQ lines name their reference by a path
    // (UR) takes the shipped FASTA of that name; one whose reference is not shipped at all is compared without
    // the fields that need it (SEQ, QUAL, tags). The file must then read whole with the tool.
    private static string[] ViewOptions(HtsgetObjectFile item)
    {
        string[] options = [];
        if (item.Format == "CRAM")
        {
            var named = ExternalTools.Lines("samtools", "view", "-H", item.Path)
                .Where(line => line.StartsWith("@SQ\t", StringComparison.Ordinal) && !line.Contains("\tM5:", StringComparison.Ordinal))
                .SelectMany(line => line.Split('\t').Where(field => field.StartsWith("UR:", StringComparison.Ordinal)))
                .Select(field => Path.GetFileName(field[3..]))
                .FirstOrDefault();
            var fasta = named is null ? null : DebianHtsFiles.Fastas.FirstOrDefault(path => Path.GetFileName(path) == named);
            options = fasta is null ? [] : ["-T", fasta];
            try
            {
                ExternalTools.Run("samtools", ["view", .. options, item.Path]);
            }
            catch (InvalidOperationException)
            {
                options = [.. options, "--input-fmt-option", "required_fields=0x1ff"];
            }
        }

        if (item.Kind == HtsgetKind.Reads)
        {
            ExternalTools.Run("samtools", ["view", .. options, item.Path]);
        }
        else
        {
            ExternalTools.Run("bcftools", "view", "--no-version", item.Path);
        }

        return options;
    }
}

public sealed record HtsgetObjectFile(string Id, HtsgetKind Kind, string Format, string Path, string Dataset = "open")
{
    /// <summary>The index to register with; null: the registrar finds it beside the file.</summary>
    public string? Index { get; set; }

    /// <summary>Options samtools needs to read the file (a reference), the same locally and over htsget.</summary>
    public IReadOnlyList<string> ViewOptions { get; set; } = [];

    /// <summary>Why the file is not served: the tools cannot index or read it, or registration refused it.</summary>
    public string? Problem { get; set; }

    /// <summary>The shipped plain-gzip original of a VCF that is served recompressed with bgzip.</summary>
    public string? PlainGzip { get; set; }

    /// <summary>What registering the plain-gzip original answered (null: it was accepted).</summary>
    public string? PlainGzipRefusal { get; set; }

    public override string ToString() => Id;
}

[CollectionDefinition(Name)]
public sealed class HtsgetNodeGroup : ICollectionFixture<HtsgetNodeFixture>
{
    public const string Name = "htsget node";
}
