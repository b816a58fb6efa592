using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Registration;

[Collection(BuiltFilesGroup.Name)]
public sealed class RefusalTests(BuiltFiles files) : IDisposable
{
    private readonly TestDatabase database = new();

    private HtsgetObjectRegistrar Registrar => new(database.Connection);

    public void Dispose() => database.Dispose();

    [Fact]
    public void A_missing_index_is_refused_naming_the_paths_tried()
    {
        var bam = Copy(files.IndexBam, "lonely.bam");
        var vcf = Copy(files.IndexVcf, "lonely.vcf.gz");

        var error = Refused(new("x", "ds", HtsgetKind.Reads, bam, null));
        Assert.Contains(bam + ".bai", error.Message, StringComparison.Ordinal);
        Assert.Contains(bam + ".csi", error.Message, StringComparison.Ordinal);

        error = Refused(new("x", "ds", HtsgetKind.Variants, vcf, null));
        Assert.Contains(vcf + ".tbi", error.Message, StringComparison.Ordinal);
        Assert.Contains(vcf + ".csi", error.Message, StringComparison.Ordinal);

        error = Refused(new("x", "ds", HtsgetKind.Reads, bam, bam + ".nope"));
        Assert.Contains(bam + ".nope", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("built:index.bam", "built:synthetic.bam.bai", HtsgetKind.Reads)]
    [InlineData("built:synthetic.bam", "built:index.bam.csi", HtsgetKind.Reads)]
    [InlineData("htslib:range.bam", "built:index.bam.bai", HtsgetKind.Reads)]
    [InlineData("built:index.bam", "built:index.vcf.gz.tbi", HtsgetKind.Reads)]
    [InlineData("built:index.vcf.gz", "built:vcf_file.vcf.gz.tbi", HtsgetKind.Variants)]
    [InlineData("built:vcf_file.vcf.gz", "built:index.vcf.gz.tbi", HtsgetKind.Variants)]
    [InlineData("built:index.bcf", "built:index.vcf.gz.csi", HtsgetKind.Variants)]
    [InlineData("built:index.cram", "htslib:range.cram.crai", HtsgetKind.Reads)]
    [InlineData("built:index.cram", "built:index.bam.bai", HtsgetKind.Reads)]
    [InlineData("built:index.bam", "built:index.bam", HtsgetKind.Reads)]
    public void An_index_of_another_file_or_no_index_at_all_is_refused(string file, string index, HtsgetKind kind)
    {
        var path = BamCase.ResolvePath(files, file);
        var indexPath = BamCase.ResolvePath(files, index);

        var error = Refused(new("x", "ds", kind, path, indexPath));

        Assert.Contains(indexPath, error.Message, StringComparison.Ordinal);
        Assert.Empty(new HtsgetObjectStore(database.Connection).List());
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var bytes = File.ReadAllBytes(files.SyntheticBam);
        var bam = files.Combine($"cut-{Guid.NewGuid():N}.bam");
        File.WriteAllBytes(bam, bytes[..(bytes.Length / 2)]);
        File.Copy(files.SyntheticBam + ".bai", bam + ".bai");

        var error = Refused(new("x", "ds", HtsgetKind.Reads, bam, null));
        Assert.Contains(bam, error.Message, StringComparison.Ordinal);

        // Cut at a block boundary: the BGZF is well formed, but the index points past its end.
        var cram = TestFiles.SamtoolsFile("quickcheck/9.quickcheck.cram30.truncated.cram");
        var crai = files.Combine($"t-{Guid.NewGuid():N}.crai");
        File.Copy(files.IndexCram + ".crai", crai);
        Assert.Contains(cram, Refused(new("y", "ds", HtsgetKind.Reads, cram, crai)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_at_a_block_boundary_is_refused_by_its_index()
    {
        var layoutBytes = File.ReadAllBytes(files.SyntheticBam);
        GenomeNode.Htsget.Formats.BgzfLayout layout;
        using (var stream = File.OpenRead(files.SyntheticBam))
        {
            layout = GenomeNode.Htsget.Formats.BgzfLayout.Read(stream);
        }

        var cut = layout.Blocks[layout.Blocks.Count / 2].CompressedOffset;
        var bam = files.Combine($"boundary-{Guid.NewGuid():N}.bam");
        File.WriteAllBytes(bam, layoutBytes[..(int)cut]);
        File.Copy(files.SyntheticBam + ".bai", bam + ".bai");

        Assert.Contains(bam, Refused(new("x", "ds", HtsgetKind.Reads, bam, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_vcf_plain_gzip_and_sam_text_are_refused_with_what_to_do()
    {
        var vcf = TestFiles.HtslibFile("index.vcf");
        Assert.Contains("bgzip", Refused(new("x", "ds", HtsgetKind.Variants, vcf, null)).Message, StringComparison.Ordinal);

        var gzip = files.Combine($"plain-{Guid.NewGuid():N}.vcf.gz");
        File.WriteAllBytes(gzip, ExternalTools.RunBytes("gzip", "-c", vcf));
        Assert.Contains("not BGZF", Refused(new("x", "ds", HtsgetKind.Variants, gzip, null)).Message, StringComparison.Ordinal);

        var sam = TestFiles.HtslibFile("index.sam");
        var error = Refused(new("x", "ds", HtsgetKind.Reads, sam, null));
        Assert.Contains("SAM", error.Message, StringComparison.Ordinal);
        Assert.Contains(sam, error.Message, StringComparison.Ordinal);

        Assert.Contains("does not exist", Refused(new("x", "ds", HtsgetKind.Reads, files.Combine("absent.bam"), null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kind_that_does_not_match_the_format_is_refused()
    {
        Assert.Contains("register reads", Refused(new("x", "ds", HtsgetKind.Variants, files.IndexBam, null)).Message, StringComparison.Ordinal);
        Assert.Contains("register reads", Refused(new("x", "ds", HtsgetKind.Variants, files.IndexCram, null)).Message, StringComparison.Ordinal);
        Assert.Contains("register variants", Refused(new("x", "ds", HtsgetKind.Reads, files.IndexVcf, null)).Message, StringComparison.Ordinal);
        Assert.Contains("register variants", Refused(new("x", "ds", HtsgetKind.Reads, files.IndexBcf, null)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("/abs")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("é")]
    public void Invalid_object_ids_are_refused(string id)
    {
        Assert.False(HtsgetObjectRegistrar.IsValidObjectId(id));
        Refused(new(id, "ds", HtsgetKind.Reads, files.IndexBam, null));
    }

    [Fact]
    public void An_object_id_ending_in_a_newline_is_refused()
    {
        Assert.False(HtsgetObjectRegistrar.IsValidObjectId("reads\n"));
        Refused(new("reads\n", "ds", HtsgetKind.Reads, files.IndexBam, null));
    }

    [Fact]
    public void Object_ids_are_opaque_keys_of_up_to_128_characters()
    {
        Assert.True(HtsgetObjectRegistrar.IsValidObjectId("NA12878.chr20-v1_final"));
        Assert.True(HtsgetObjectRegistrar.IsValidObjectId(new string('a', 128)));
        Assert.False(HtsgetObjectRegistrar.IsValidObjectId(new string('a', 129)));
        Refused(new(new string('a', 129), "ds", HtsgetKind.Reads, files.IndexBam, null));
        Refused(new("ok", " ", HtsgetKind.Reads, files.IndexBam, null));
    }

    private HtsgetRegistrationException Refused(RegistrationRequest request) =>
        Assert.Throws<HtsgetRegistrationException>(() => Registrar.Register(request));

    private string Copy(string source, string name)
    {
        var path = files.Combine($"{Guid.NewGuid():N}-{name}");
        File.Copy(source, path);
        return path;
    }
}
