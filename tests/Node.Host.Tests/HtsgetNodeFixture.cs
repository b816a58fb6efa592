using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using System.Text;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The real node on a real Kestrel (127.0.0.1, random port) with real files registered for htsget: Debian's
/// htslib-test files rebuilt with samtools, bcftools, bgzip and tabix (their indexes are the tools' own), one
/// shipped with its own index, and the demo objects the node registers by itself. Objects of dataset <c>open</c>
/// are PUBLIC; those of <c>closed</c> are CONTROLLED.
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

    /// <summary>Registered objects by id, with their files.</summary>
    public IReadOnlyDictionary<string, HtsgetObjectFile> Objects { get; private set; } = new Dictionary<string, HtsgetObjectFile>();

    public async Task InitializeAsync()
    {
        var bam = Combine("index.bam");
        HtsTools.Run("samtools", "view", "--no-PG", "-b", "-o", bam, Path.Combine(Htslib, "index.sam"));
        HtsTools.Run("samtools", "index", bam);
        var cram = Combine("index.cram");
        HtsTools.Run("samtools", "view", "--no-PG", "-C", "-T", CeReference, "-o", cram, Path.Combine(Htslib, "index.sam"));
        HtsTools.Run("samtools", "index", cram);
        var vcf = Combine("index.vcf.gz");
        File.WriteAllBytes(vcf, HtsTools.RunBytes("bgzip", "-c", Path.Combine(Htslib, "index.vcf")));
        HtsTools.Run("tabix", "-p", "vcf", vcf);
        var bcf = Combine("index.bcf");
        HtsTools.Run("bcftools", "view", "--no-version", "-Ob", "-o", bcf, Path.Combine(Htslib, "index.vcf"));
        HtsTools.Run("bcftools", "index", bcf);

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

        Objects = objects.ToDictionary(item => item.Id);
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
}

public sealed record HtsgetObjectFile(string Id, HtsgetKind Kind, string Format, string Path, string Dataset = "open")
{
    public override string ToString() => Id;
}

[CollectionDefinition(Name)]
public sealed class HtsgetNodeGroup : ICollectionFixture<HtsgetNodeFixture>
{
    public const string Name = "htsget node";
}

/// <summary>samtools, bcftools, bgzip and tabix as clients and oracles; CRAM decoding never fetches a reference.</summary>
internal static class HtsTools
{
    public static string Run(string program, params string[] arguments) => Encoding.UTF8.GetString(RunBytes(program, arguments));

    public static List<string> Lines(string program, params string[] arguments) =>
        [.. Run(program, arguments).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    public static byte[] RunBytes(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["REF_PATH"] = "/nonexistent";
        start.Environment["REF_CACHE"] = "/nonexistent";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        using var output = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        }

        return output.ToArray();
    }
}
