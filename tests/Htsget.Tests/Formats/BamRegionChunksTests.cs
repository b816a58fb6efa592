using GenomeNode.Htsget.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Formats;

[Collection(BuiltFilesGroup.Name)]
public sealed class BamRegionChunksTests(BuiltFiles files)
{
    public static TheoryData<string, string> IndexedBams => new()
    {
        { "built:index.bam", ".bai" },
        { "built:index.bam", ".csi" },
        { "built:synthetic.bam", ".bai" },
        { "built:synthetic.bam", ".csi" },
        { "htslib:range.bam", ".bai" },
        { "htslib:colons.bam", ".bai" },
        { "htslib:no_hdr_sq_1.bam", ".csi" },
        { "samtools:bedcov/bedcov.bam", ".bai" },
        { "samtools:mpileup/mpileup.1.bam", ".bai" },
        { "samtools:mpileup/ce#5b.bam", ".bai" },
        { "built:11_target.bam", ".bai" },
    };

    [Theory]
    [MemberData(nameof(IndexedBams))]
    public void Chunks_hold_every_read_samtools_finds_and_are_merged(string bam, string indexSuffix)
    {
        var file = BamCase.Resolve(files, bam, indexSuffix);
        var index = file.ReadIndex();
        var header = file.ReadHeader();
        Assert.Equal(header.References.Count, index.References.Count);

        var regions = RegionsOf(file, header).ToList();
        Assert.NotEmpty(regions);
        foreach (var region in regions)
        {
            var chunks = RegionChunks.Find(index, region.ReferenceId, region.Start, region.End);
            ChunkAssertions.Merged(chunks, region);
            var expected = ExternalTools.Lines("samtools", "view", "-X", file.Bam, file.Index, region.ToolNotation)
                .Select(ReadKey.FromSamLine);
            ChunkAssertions.Holds(expected, RecordDecoders.BamRecords(file.Bam, chunks), $"{bam}{indexSuffix} {region}");
        }
    }

    [Theory]
    [MemberData(nameof(IndexedBams))]
    public void Reads_after_the_last_placed_chunk_are_the_unplaced_reads(string bam, string indexSuffix)
    {
        var file = BamCase.Resolve(files, bam, indexSuffix);
        var start = RegionChunks.UnplacedRecordsStart(file.ReadIndex()) ?? file.ReadHeader().FirstRecordOffset;

        var expected = ExternalTools.Lines("samtools", "view", "-X", file.Bam, file.Index, "*").Select(ReadKey.FromSamLine);
        Assert.Equal(expected, RecordDecoders.BamRecordsFrom(file.Bam, start));
    }

    [Fact]
    public void Small_windows_on_a_large_file_get_a_small_part_of_it()
    {
        var file = BamCase.Resolve(files, "built:synthetic.bam", ".bai");
        var index = file.ReadIndex();
        var chunks = RegionChunks.Find(index, 0, 100_000_000, 100_001_000);
        var covered = RecordDecoders.BamRecords(file.Bam, chunks);
        var total = int.Parse(ExternalTools.Run("samtools", "view", "-c", file.Bam).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(covered.Count, 1, total / 20);
    }

    [Fact]
    public void Regions_past_the_binning_scheme_or_empty_get_no_chunks()
    {
        var index = BamCase.Resolve(files, "built:index.bam", ".bai").ReadIndex();

        Assert.Empty(RegionChunks.Find(index, 0, 1L << 29, (1L << 29) + 10));
        Assert.Empty(RegionChunks.Find(index, 0, 500, 500));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegionChunks.Find(index, index.References.Count, 0, 10));
    }

    // Per reference: the whole of it, the first and last read positions, a window in the middle, a stretch past the
    // last read; for references without reads, the whole reference. The synthetic file adds random windows.
    private static IEnumerable<Region> RegionsOf(BamCase file, BamHeader header)
    {
        var positions = ExternalTools.Lines("samtools", "view", file.Bam)
            .Select(line => line.Split('\t'))
            .Where(fields => fields[2] != "*")
            .GroupBy(fields => fields[2], fields => long.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(group => group.Key, group => group.Order().ToList());
        var random = new Random(7);
        for (var id = 0; id < header.References.Count; id++)
        {
            var reference = header.References[id];
            yield return new Region(id, reference.Name, 0, long.MaxValue);
            if (!positions.TryGetValue(reference.Name, out var starts))
            {
                continue;
            }

            yield return new Region(id, reference.Name, starts[0] - 1, starts[0]);
            yield return new Region(id, reference.Name, starts[^1] - 1, starts[^1]);
            var middle = starts[starts.Count / 2];
            yield return new Region(id, reference.Name, middle - 1, middle + 999);
            if (starts[^1] + 100_000 < reference.Length)
            {
                yield return new Region(id, reference.Name, starts[^1] + 99_000, starts[^1] + 100_000);
            }

            if (file.Bam.EndsWith("synthetic.bam", StringComparison.Ordinal))
            {
                for (var i = 0; i < 15; i++)
                {
                    var start = random.NextInt64(reference.Length);
                    var length = (long)Math.Pow(10, random.Next(1, 8));
                    yield return new Region(id, reference.Name, start, Math.Min(start + length, reference.Length));
                }
            }
        }
    }
}
