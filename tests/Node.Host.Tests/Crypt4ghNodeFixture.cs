using GenomeNode.Htsget.Access;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// A real node on a real Kestrel with a Crypt4GH key, holding the demo's reads (BAM, and a CRAM of them) and variants
/// (VCF.gz, and a BCF of them) twice: as plain files and as Crypt4GH files encrypted to the node's key by the
/// independent implementation (crypt4gh_reference.py). The BAM's index is plain, the CRAM's, VCF's and BCF's indexes
/// are encrypted too. Datasets: <c>sealed</c> (public, streaming any: plaintext and Crypt4GH), <c>guarded</c> (public,
/// c4gh-only) and <c>shut</c> (public, none). A client key pair made by the reference decrypts what the node sends.
/// </summary>
public sealed class Crypt4ghNodeFixture : IAsyncLifetime, IDisposable
{
    public const string PlainReads = "plain-reads";
    public const string PlainVariants = "plain-variants";
    public const string SealedReads = "sealed-reads";
    public const string SealedVariants = "sealed-variants";
    public const string GuardedReads = "guarded-reads";
    public const string GuardedPlainReads = "guarded-plain-reads";
    public const string ShutReads = "shut-reads";

    private readonly TemporaryDirectory directory = new("genome-node-c4gh-files");

    public NodeFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The plain originals by format (BAM, CRAM, VCF, BCF).</summary>
    public IReadOnlyDictionary<string, string> Originals { get; private set; } = new Dictionary<string, string>();

    /// <summary>The Crypt4GH files registered by format.</summary>
    public IReadOnlyDictionary<string, string> Encrypted { get; private set; } = new Dictionary<string, string>();

    /// <summary>The client's secret key file (the reference decrypts with it).</summary>
    public string ClientSecretKey => directory.Combine("client.sec");

    /// <summary>The client's public key as the <c>Client-Public-Key</c> header carries it: the base64 of its key file.</summary>
    public string ClientPublicKeyHeader { get; private set; } = "";

    /// <summary>The node's public key file.</summary>
    public string NodePublicKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var demo = Path.Combine(AppContext.BaseDirectory, "demo");
        var bam = Copy(Path.Combine(demo, "demo.bam"), "reads.bam");
        Copy(Path.Combine(demo, "demo.bam.bai"), "reads.bam.bai");
        var cram = directory.Combine("reads.cram");
        ExternalTools.Run("samtools", "view", "--no-PG", "-C", "--output-fmt-option", "no_ref=1", "-o", cram, bam);
        ExternalTools.Run("samtools", "index", cram);
        var vcf = Copy(Path.Combine(demo, "demo.vcf.gz"), "variants.vcf.gz");
        ExternalTools.Run("tabix", "-p", "vcf", vcf);
        var bcf = directory.Combine("variants.bcf");
        ExternalTools.Run("bcftools", "view", "--no-version", "-Ob", "-o", bcf, vcf);
        ExternalTools.Run("bcftools", "index", bcf);
        Originals = new Dictionary<string, string> { ["BAM"] = bam, ["CRAM"] = cram, ["VCF"] = vcf, ["BCF"] = bcf };

        Factory.UseKestrel(0);
        Factory.StartServer();
        Client = Factory.CreateClient();
        await using var scope = Factory.Services.CreateAsyncScope();
        var nodeKey = scope.ServiceProvider.GetRequiredService<NodeCrypt4ghKey>();
        Assert.True(nodeKey.Create());
        NodePublicKey = nodeKey.PublicKeyPath;
        Crypt4ghReference.KeyGen(ClientSecretKey, directory.Combine("client.pub"));
        ClientPublicKeyHeader = Convert.ToBase64String(File.ReadAllBytes(directory.Combine("client.pub")));

        // Encrypted by the independent implementation: the BAM's index stays plain, the others' are encrypted too.
        var encrypted = new Dictionary<string, string>();
        foreach (var (format, original) in Originals)
        {
            var sealedFile = directory.Combine(Path.GetFileName(original) + ".c4gh");
            Crypt4ghReference.Encrypt(NodePublicKey, original, sealedFile);
            var index = format switch { "BAM" => ".bai", "CRAM" => ".crai", "VCF" => ".tbi", _ => ".csi" };
            if (format == "BAM")
            {
                File.Copy(original + index, sealedFile + index);
            }
            else
            {
                Crypt4ghReference.Encrypt(NodePublicKey, original + index, directory.Combine(Path.GetFileName(original) + index + ".c4gh"));
            }

            encrypted[format] = sealedFile;
        }

        Encrypted = encrypted;
        var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
        var streaming = scope.ServiceProvider.GetRequiredService<DatasetStreaming>();
        await catalog.AddAsync(new NewDataset("sealed", "Files at rest, plaintext and Crypt4GH downloads", AccessTier.Public));
        await catalog.AddAsync(new NewDataset("guarded", "Crypt4GH downloads only", AccessTier.Public),
            () => streaming.SetInTransaction("guarded", StreamingPolicy.Crypt4ghOnly));
        await catalog.AddAsync(new NewDataset("shut", "No downloads", AccessTier.Public),
            () => streaming.SetInTransaction("shut", StreamingPolicy.None));
        var registrar = scope.ServiceProvider.GetRequiredService<HtsgetObjectRegistrar>();
        var key = nodeKey.Find();
        foreach (var format in Originals.Keys)
        {
            var reads = format is "BAM" or "CRAM";
            var kind = reads ? HtsgetKind.Reads : HtsgetKind.Variants;
            Register(reads ? PlainReads : PlainVariants, "sealed", kind, Originals[format]);
            Register(reads ? SealedReads : SealedVariants, "sealed", kind, Encrypted[format]);
        }

        Register(GuardedReads, "guarded", HtsgetKind.Reads, Encrypted["BAM"]);
        Register(GuardedPlainReads, "guarded", HtsgetKind.Reads, Originals["BAM"]);
        Register(ShutReads, "shut", HtsgetKind.Reads, Encrypted["BAM"]);

        void Register(string id, string dataset, HtsgetKind kind, string path) =>
            registrar.Register(new RegistrationRequest(id, dataset, kind, path, null) { Crypt4ghKey = key });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        Dispose();
    }

    public void Dispose() => directory.Dispose();

    public string Combine(string name) => directory.Combine(name);

    /// <summary>Registers a file (plain or encrypted to the node's key) as an object of a dataset.</summary>
    public async Task RegisterAsync(string id, string dataset, string path)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HtsgetObjectRegistrar>().Register(new RegistrationRequest(id, dataset, HtsgetKind.Reads, path, null)
        {
            Crypt4ghKey = scope.ServiceProvider.GetRequiredService<NodeCrypt4ghKey>().Find(),
        });
    }

    /// <summary>Where the first segment of an object's Crypt4GH file starts, as registered.</summary>
    public async Task<long> Crypt4ghHeaderLengthAsync(string id)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<HtsgetObjectStore>().Find(id)!.Crypt4ghHeaderLength!.Value;
    }

    public Uri Url(string pathAndQuery) => new(Client.BaseAddress!, pathAndQuery);

    private string Copy(string source, string name)
    {
        var target = directory.Combine(name);
        File.Copy(source, target);
        return target;
    }
}

[CollectionDefinition(Name)]
public sealed class Crypt4ghNodeGroup : ICollectionFixture<Crypt4ghNodeFixture>
{
    public const string Name = "crypt4gh node";
}
