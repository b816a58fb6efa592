using System.Globalization;
using GenomeNode.Htsget.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Formats;

[Collection(BuiltFilesGroup.Name)]
public sealed class IndexReaderTests(BuiltFiles files)
{
    public static TheoryData<string, string> IndexedBams => BamRegionChunksTests.IndexedBams;

    public static TheoryData<string> StaleBaiBams => new(BuiltFiles.StaleBaiBams);

    [Theory]
    [MemberData(nameof(IndexedBams))]
    public void Bam_index_metadata_matches_samtools_idxstats(string bam, string indexSuffix)
    {
        var file = BamCase.Resolve(files, bam, indexSuffix);
        var index = file.ReadIndex();
        var stats = ExternalTools.Lines("samtools", "idxstats", file.Bam).Select(line => line.Split('\t')).ToList();

        Assert.Equal(stats.Count - 1, index.References.Count);
        for (var id = 0; id < index.References.Count; id++)
        {
            var metadata = index.References[id].Metadata;
            Assert.Equal(ulong.Parse(stats[id][2], CultureInfo.InvariantCulture), metadata?.MappedCount ?? 0);
            Assert.Equal(ulong.Parse(stats[id][3], CultureInfo.InvariantCulture), metadata?.UnmappedCount ?? 0);
        }

        Assert.Equal("*", stats[^1][0]);
        Assert.Equal(ulong.Parse(stats[^1][3], CultureInfo.InvariantCulture), index.UnplacedUnmappedCount);
    }

    [Theory]
    [MemberData(nameof(IndexedBams))]
    public void Bam_index_offsets_point_into_the_bam(string bam, string indexSuffix)
    {
        var file = BamCase.Resolve(files, bam, indexSuffix);
        using var stream = File.OpenRead(file.Bam);

        IndexConsistency.Check(file.ReadIndex(), BgzfLayout.Read(stream).Blocks);
    }

    [Theory]
    [MemberData(nameof(StaleBaiBams))]
    public void A_stale_bai_is_told_apart_from_its_bam(string bam)
    {
        var path = TestFiles.SamtoolsFile(bam);
        BinningIndex index;
        using (var indexStream = File.OpenRead(path + ".bai"))
        {
            index = BaiReader.Read(indexStream);
        }

        using var stream = File.OpenRead(path);
        var error = Assert.Throws<HtsFormatException>(() => IndexConsistency.Check(index, BgzfLayout.Read(stream).Blocks));
        Assert.NotNull(error.Offset);
    }

    [Fact]
    public void Bai_uses_the_sam_binning_scheme_with_a_linear_index()
    {
        var index = BamCase.Resolve(files, "built:synthetic.bam", ".bai").ReadIndex();

        Assert.Equal(IndexFormat.Bai, index.Format);
        Assert.Equal((14, 5), (index.MinShift, index.Depth));
        Assert.Null(index.Tabix);
        Assert.All(index.References, reference => Assert.NotEmpty(reference.LinearIndex));
        Assert.All(index.References.SelectMany(reference => reference.Bins.Keys), bin => Assert.InRange(bin, 0, 37448));
    }

    [Fact]
    public void Csi_keeps_its_own_binning_scheme_and_bin_offsets()
    {
        var index = BamCase.Resolve(files, "built:synthetic.bam", ".csi").ReadIndex();

        Assert.Equal(IndexFormat.Csi, index.Format);
        Assert.Equal(12, index.MinShift);
        Assert.InRange(Binning.MaxCoordinate(index.MinShift, index.Depth), 200_000_000, long.MaxValue);
        Assert.All(index.References, reference => Assert.Empty(reference.LinearIndex));
        Assert.Contains(index.References[0].Bins.Values, bin => bin.FirstRecordOffset != VirtualOffset.Zero);
    }

    [Theory]
    [InlineData(".tbi", IndexFormat.Tbi)]
    [InlineData(".csi", IndexFormat.Csi)]
    public void Vcf_index_has_the_tabix_header_and_sequence_names(string suffix, IndexFormat format)
    {
        var index = Read(files.IndexVcf + suffix);

        Assert.Equal(format, index.Format);
        var tabix = Assert.IsType<TabixHeader>(index.Tabix);
        Assert.Equal(TabixFileType.Vcf, tabix.FileType);
        Assert.False(tabix.IsZeroBased);
        Assert.Equal((1, 2, 0, '#', 0), (tabix.SequenceColumn, tabix.BeginColumn, tabix.EndColumn, tabix.MetaCharacter, tabix.SkipLines));
        Assert.Equal(ExternalTools.Lines("tabix", "-l", files.IndexVcf), tabix.SequenceNames);
        Assert.Equal(tabix.SequenceNames.Count, index.References.Count);
        Assert.Equal(1, index.FindReference(tabix.SequenceNames[1]));
        Assert.Equal(-1, index.FindReference("no-such-contig"));
    }

    [Theory]
    [InlineData("vcf.tbi")]
    [InlineData("vcf.csi")]
    [InlineData("bcf.csi")]
    public void Variant_index_record_counts_match_bcftools_index_stats(string which)
    {
        var (data, index) = which switch
        {
            "vcf.tbi" => (files.IndexVcf, Read(files.IndexVcf + ".tbi")),
            "vcf.csi" => (files.IndexVcf, Read(files.IndexVcf + ".csi")),
            _ => (files.IndexBcf, Read(files.IndexBcf + ".csi")),
        };
        var names = which == "bcf.csi" ? BcfHeader(files.IndexBcf).ContigNames : index.Tabix!.SequenceNames;

        foreach (var fields in ExternalTools.Lines("bcftools", "index", "-s", data).Select(line => line.Split('\t')))
        {
            var id = names.ToList().IndexOf(fields[0]);
            Assert.True(id >= 0 && id < index.References.Count, $"{fields[0]} is not indexed");
            Assert.Equal(ulong.Parse(fields[2], CultureInfo.InvariantCulture), index.References[id].Metadata?.MappedCount);
        }

        using var stream = File.OpenRead(data);
        IndexConsistency.Check(index, BgzfLayout.Read(stream).Blocks);
    }

    [Fact]
    public void Bcf_csi_has_no_aux_and_names_come_from_the_bcf_header()
    {
        var index = Read(files.IndexBcf + ".csi");

        Assert.Equal(IndexFormat.Csi, index.Format);
        Assert.True(index.Aux.IsEmpty);
        Assert.Null(index.Tabix);
        Assert.InRange(index.References.Count, 1, BcfHeader(files.IndexBcf).ContigNames.Count);
    }

    [Fact]
    public void The_reader_tells_the_index_format_from_the_magic_not_the_name()
    {
        var renamed = files.Combine("index-without-suffix");
        File.Copy(files.IndexVcf + ".tbi", renamed, overwrite: true);

        Assert.Equal(IndexFormat.Tbi, Read(renamed).Format);
        Assert.Equal(IndexFormat.Bai, Read(files.IndexBam + ".bai").Format);
        Assert.Equal(IndexFormat.Csi, Read(files.IndexBam + ".csi").Format);
    }

    [Fact]
    public void A_truncated_or_foreign_index_is_reported_with_an_offset()
    {
        var bai = File.ReadAllBytes(files.SyntheticBam + ".bai");
        var truncated = Assert.Throws<HtsFormatException>(() => BaiReader.Read(new MemoryStream(bai[..(bai.Length / 2)])));
        Assert.InRange(truncated.Offset!.Value, 8, bai.Length / 2);

        Assert.Throws<HtsFormatException>(() => BaiReader.Read(new MemoryStream(File.ReadAllBytes(files.IndexBam + ".csi"))));
        Assert.Throws<HtsFormatException>(() => BinningIndexReader.Read(new MemoryStream("not an index at all"u8.ToArray())));
        Assert.Throws<HtsFormatException>(() => TbiReader.Read(new MemoryStream(File.ReadAllBytes(files.IndexBam))));
    }

    [Fact]
    public void A_bai_without_the_optional_unplaced_count_still_reads()
    {
        var bai = File.ReadAllBytes(files.IndexBam + ".bai");

        var index = BaiReader.Read(new MemoryStream(bai[..^8]));

        Assert.Null(index.UnplacedUnmappedCount);
        Assert.Equal(BaiReader.Read(new MemoryStream(bai)).References.Count, index.References.Count);
    }

    private static BinningIndex Read(string path)
    {
        using var stream = File.OpenRead(path);
        return BinningIndexReader.Read(stream);
    }

    private static VcfHeader BcfHeader(string path)
    {
        using var stream = File.OpenRead(path);
        return BcfHeaderReader.Read(stream);
    }
}
