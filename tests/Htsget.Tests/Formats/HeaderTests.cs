using System.Globalization;
using GenomeNode.Htsget.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Formats;

[Collection(BuiltFilesGroup.Name)]
public sealed class HeaderTests(BuiltFiles files)
{
    public static TheoryData<string> Bams => new()
    {
        "built:index.bam",
        "built:synthetic.bam",
        "htslib:range.bam",
        "htslib:colons.bam",
        "samtools:mpileup/mpileup.1.bam",
        "samtools:bedcov/bedcov.bam",
        "samtools:dat/view.fetch-pairs.bam",
        "samtools:quickcheck/10.quickcheck.notargets.bam",
    };

    [Theory]
    [MemberData(nameof(Bams))]
    public void Bam_header_text_and_references_are_what_samtools_prints(string bam)
    {
        var path = BamCase.ResolvePath(files, bam);
        using var stream = File.OpenRead(path);

        var header = BamHeaderReader.Read(stream);

        Assert.Equal(ExternalTools.Run("samtools", "view", "-H", "--no-PG", path), header.Text);
        var sequences = ExternalTools.Lines("samtools", "view", "-H", "--no-PG", path)
            .Where(line => line.StartsWith("@SQ", StringComparison.Ordinal))
            .Select(line => line.Split('\t'))
            .Select(fields => new ReferenceSequence(
                fields.Single(field => field.StartsWith("SN:", StringComparison.Ordinal))[3..],
                long.Parse(fields.Single(field => field.StartsWith("LN:", StringComparison.Ordinal))[3..], CultureInfo.InvariantCulture)));
        Assert.Equal(sequences, header.References);
    }

    [Theory]
    [MemberData(nameof(Bams))]
    public void The_first_record_of_a_bam_starts_where_the_header_ends(string bam)
    {
        var path = BamCase.ResolvePath(files, bam);
        using var stream = File.OpenRead(path);
        var header = BamHeaderReader.Read(stream);

        var records = RecordDecoders.BamRecordsFrom(path, header.FirstRecordOffset);

        Assert.Equal(ExternalTools.Lines("samtools", "view", path).Select(ReadKey.FromSamLine), records);
    }

    [Fact]
    public void A_bam_header_without_sq_lines_still_has_its_binary_references()
    {
        using var stream = File.OpenRead(TestFiles.HtslibFile("no_hdr_sq_1.bam"));

        var header = BamHeaderReader.Read(stream);

        Assert.DoesNotContain("@SQ", header.Text, StringComparison.Ordinal);
        Assert.NotEmpty(header.References);
        Assert.Equal(0, header.FindReference(header.References[0].Name));
        Assert.Equal(-1, header.FindReference("no-such-reference"));
    }

    [Theory]
    [InlineData("quickcheck/2.quickcheck.badheader.bam")]
    [InlineData("quickcheck/all.expected")]
    public void Something_that_is_not_a_bam_header_is_refused(string file)
    {
        using var stream = File.OpenRead(TestFiles.SamtoolsFile(file));

        Assert.Throws<HtsFormatException>(() => BamHeaderReader.Read(stream));
    }

    [Theory]
    [InlineData("index.vcf.gz")]
    [InlineData("vcf_file.vcf.gz")]
    [InlineData("large_chr.vcf.gz")]
    public void Vcf_header_ends_at_the_first_record(string vcf)
    {
        var path = files.Combine(vcf);
        using var stream = File.OpenRead(path);

        var header = VcfHeaderReader.Read(stream);

        Assert.Equal(ExternalTools.Run("tabix", "-H", path), header.Text);
        var firstRecord = ExternalTools.Run("bgzip", "-d", "-c", path).Split('\n').First(line => !line.StartsWith('#'));
        using var bgzf = new BgzfReadStream(File.OpenRead(path));
        bgzf.Seek(header.FirstRecordOffset);
        Assert.Equal(firstRecord, RecordDecoders.ReadLine(bgzf));
        Assert.Equal(
            ExternalTools.Lines("bcftools", "view", "-h", path).Where(line => line.StartsWith("##contig=", StringComparison.Ordinal))
                .Select(line => line.Split("ID=")[1].Split(',', '>')[0]),
            header.ContigNames);
    }

    [Fact]
    public void A_vcf_with_only_a_header_ends_at_the_end_of_the_data()
    {
        var path = files.Combine("header-only.vcf.gz");
        File.WriteAllBytes(path, ExternalTools.RunBytes("bgzip", "-c", files.Combine("header-only.vcf")
            .Also(file => File.WriteAllText(file, ExternalTools.Run("tabix", "-H", files.IndexVcf)))));
        using var stream = File.OpenRead(path);

        var header = VcfHeaderReader.Read(stream);

        using var bgzf = new BgzfReadStream(File.OpenRead(path));
        bgzf.Seek(header.FirstRecordOffset);
        Assert.Equal(-1, bgzf.ReadByte());
    }

    [Theory]
    [InlineData("built:index.bcf")]
    [InlineData("htslib:tabix/vcf_file.bcf")]
    public void Bcf_header_gives_contigs_in_dictionary_order_and_the_first_record(string bcf)
    {
        var path = BamCase.ResolvePath(files, bcf);
        using var stream = File.OpenRead(path);

        var header = BcfHeaderReader.Read(stream);

        Assert.Equal(new Version(2, 2), header.BcfVersion);
        Assert.StartsWith("##fileformat=VCF", header.Text, StringComparison.Ordinal);
        Assert.Contains("#CHROM\tPOS", header.Text, StringComparison.Ordinal);
        var contigs = ExternalTools.Lines("bcftools", "view", "-h", path)
            .Where(line => line.StartsWith("##contig=", StringComparison.Ordinal))
            .Select(line => line.Split("ID=")[1].Split(',', '>')[0]);
        Assert.Equal(contigs, header.ContigNames);

        using var bgzf = new BgzfReadStream(File.OpenRead(path));
        bgzf.Seek(header.FirstRecordOffset);
        var first = ExternalTools.Lines("bcftools", "view", "-H", path)[0].Split('\t');
        Assert.Equal($"{first[0]}:{first[1]}", RecordDecoders.ReadBcfSite(bgzf, header.ContigNames));
    }

    [Fact]
    public void Bcf_contig_idx_fields_set_the_dictionary_order()
    {
        var names = VcfContigLines.Parse(
            "##fileformat=VCFv4.2\n##contig=<ID=b,length=5,IDX=1>\n##contig=<ID=a,IDX=0,description=\"x,y\">\n##contig=<ID=c>\n");

        Assert.Equal(["a", "b", "c"], names);
    }

    [Fact]
    public void A_vcf_header_reader_refuses_data_without_a_header()
    {
        var records = files.Combine("no-header.vcf");
        File.WriteAllText(records, "1\t100\t.\tA\tC\t.\t.\t.\n");
        var path = files.Combine("no-header.vcf.gz");
        File.WriteAllBytes(path, ExternalTools.RunBytes("bgzip", "-c", records));
        using var stream = File.OpenRead(path);

        Assert.Throws<HtsFormatException>(() => VcfHeaderReader.Read(stream));
        Assert.Throws<HtsFormatException>(() => BcfHeaderReader.Read(stream));
    }
}

internal static class TestExtensions
{
    /// <summary>Runs an action on a value and returns the value, to set up a file inline.</summary>
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
