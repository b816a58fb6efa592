using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>`register reads|variants` through the real binary, and what dataset removal takes with it.</summary>
public sealed class RegisterCliTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-register");
    private readonly TemporaryDirectory files = new("genome-node-files");

    public RegisterCliTests()
    {
        foreach (var name in new[] { "demo.bam", "demo.bam.bai", "demo.vcf.gz", "demo.vcf.gz.tbi" })
        {
            File.Copy(Path.Combine(HostEndpointsTests.RepositoryRoot(), "Node.Host", "Demo", "data", name), files.Combine(name));
        }
    }

    public void Dispose()
    {
        data.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task Reads_and_variants_register_with_their_indexes_and_go_with_their_dataset()
    {
        await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "controlled");

        var reads = await Cli("register", "reads", "--dataset", "cohort", "--id", "sample-1", files.Combine("demo.bam"));
        var variants = await Cli("register", "variants", "--dataset", "cohort", "--id", "calls", files.Combine("demo.vcf.gz"),
            "--index", files.Combine("demo.vcf.gz.tbi"));
        var again = await Cli("register", "reads", "--dataset", "cohort", "--id", "sample-1", files.Combine("demo.bam"));

        Assert.True(reads.ExitCode == 0, reads.ToString());
        Assert.StartsWith("registered reads object 'sample-1' of dataset 'cohort': BAM with BAI index, 2 references,", reads.Output, StringComparison.Ordinal);
        Assert.True(variants.ExitCode == 0, variants.ToString());
        Assert.StartsWith("registered variants object 'calls' of dataset 'cohort': VCF with TBI index", variants.Output, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(2L, CountObjects("dataset_id = 'cohort'"));

        var remove = await Cli("dataset", "remove", "--id", "cohort");

        Assert.Equal(0, remove.ExitCode);
        Assert.Equal(0L, CountObjects("true"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM htsget.bins"));
    }

    [Fact]
    public async Task Refusals_name_the_reason_and_store_nothing()
    {
        await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "controlled");
        File.Delete(files.Combine("demo.vcf.gz.tbi"));

        var noIndex = await Cli("register", "variants", "--dataset", "cohort", "--id", "calls", files.Combine("demo.vcf.gz"));
        var wrongKind = await Cli("register", "variants", "--dataset", "cohort", "--id", "reads", files.Combine("demo.bam"));
        var noDataset = await Cli("register", "reads", "--dataset", "nowhere", "--id", "x", files.Combine("demo.bam"));
        var badId = await Cli("register", "reads", "--dataset", "cohort", "--id", "../etc/passwd", files.Combine("demo.bam"));
        var missingFile = await Cli("register", "reads", "--dataset", "cohort", "--id", "x", files.Combine("absent.bam"));

        Assert.Equal(1, noIndex.ExitCode);
        Assert.Contains("demo.vcf.gz.tbi", noIndex.Error, StringComparison.Ordinal);
        Assert.Equal(1, wrongKind.ExitCode);
        Assert.Contains("BAM", wrongKind.Error, StringComparison.Ordinal);
        Assert.Equal((1, "error: no dataset has the id 'nowhere'"), (noDataset.ExitCode, noDataset.Error));
        Assert.Equal(1, badId.ExitCode);
        Assert.Equal(2, missingFile.ExitCode);
        Assert.All(new[] { noIndex, wrongKind, noDataset, badId, missingFile }, result => Assert.Single(result.Error.Split('\n')));
        Assert.Equal(0L, CountObjects("true"));
    }

    [Fact]
    public async Task A_second_format_joins_the_id_and_the_same_format_again_replaces_its_file()
    {
        await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "controlled");
        await Cli("dataset", "add", "--id", "other", "--name", "Other", "--tier", "controlled");
        var bcf = files.Combine("demo.bcf");
        ExternalTools.Run("bcftools", "view", "--no-version", "-Ob", "-o", bcf, files.Combine("demo.vcf.gz"));
        ExternalTools.Run("bcftools", "index", bcf);

        var vcf = await Cli("register", "variants", "--dataset", "cohort", "--id", "calls", files.Combine("demo.vcf.gz"));
        var joined = await Cli("register", "variants", "--dataset", "cohort", "--id", "calls", bcf);
        var again = await Cli("register", "variants", "--dataset", "cohort", "--id", "calls", bcf);
        var otherKind = await Cli("register", "reads", "--dataset", "cohort", "--id", "calls", files.Combine("demo.bam"));
        var otherDataset = await Cli("register", "variants", "--dataset", "other", "--id", "calls", bcf);

        Assert.True(vcf.ExitCode == 0, vcf.ToString());
        Assert.EndsWith("; object 'calls' now holds VCF", vcf.Output.TrimEnd(), StringComparison.Ordinal);
        Assert.True(joined.ExitCode == 0, joined.ToString());
        Assert.StartsWith("registered variants object 'calls' of dataset 'cohort': BCF with CSI index", joined.Output, StringComparison.Ordinal);
        Assert.EndsWith("; object 'calls' now holds VCF and BCF", joined.Output.TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith("now holds VCF and BCF", again.Output.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(1, otherKind.ExitCode);
        Assert.Contains("holds variants", otherKind.Error, StringComparison.Ordinal);
        Assert.Equal(1, otherDataset.ExitCode);
        Assert.Contains("--dataset cohort", otherDataset.Error, StringComparison.Ordinal);
        Assert.Equal(2L, CountObjects("object_id = 'calls'"));
        Assert.Equal(1L, Scalar("SELECT count(DISTINCT sha256) FROM htsget.objects WHERE format = 'BCF'"));
        // Each format's rows once: the BCF registered twice left one copy of its blocks.
        Assert.Equal(Scalar("SELECT block_count FROM htsget.objects WHERE format = 'BCF'"), Scalar("SELECT count(*) FROM htsget.blocks WHERE format = 'BCF'"));

        var remove = await Cli("dataset", "remove", "--id", "cohort");

        Assert.Equal(0, remove.ExitCode);
        Assert.Equal(0L, CountObjects("true"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM htsget.blocks"));
    }

    [Fact]
    public async Task Register_refuses_an_object_id_ending_in_a_newline()
    {
        await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "controlled");

        var register = await Cli("register", "reads", "--dataset", "cohort", "--id", "reads\n", files.Combine("demo.bam"));

        Assert.Equal(1, register.ExitCode);
        Assert.Contains("is not a valid object id", register.Error, StringComparison.Ordinal);
        Assert.Equal(0L, CountObjects("true"));
    }

    [Fact]
    public async Task Registration_is_handed_to_a_serving_node()
    {
        await using (var node = await ServingNode.StartAsync(data.Path))
        {
            var reads = await Cli("register", "reads", "--dataset", "demo", "--id", "copy-of-demo", files.Combine("demo.bam"));

            Assert.True(reads.ExitCode == 0, reads.ToString());
            Assert.Contains("Admin operation register.object finished with exit code 0", node.Log, StringComparison.Ordinal);
            Assert.Equal(0, await node.StopAsync());
        }

        // The demo's own two objects, registered at seeding, and the one added while serving.
        Assert.Equal(3L, CountObjects("dataset_id = 'demo'"));
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);

    private long CountObjects(string condition) => Scalar($"SELECT count(*) FROM htsget.objects WHERE {condition}");

    private long Scalar(string sql) => TestDatabase.Scalar(data.Path, sql);
}
