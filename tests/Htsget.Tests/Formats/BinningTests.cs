using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Tests.Formats;

public sealed class BinningTests
{
    [Fact]
    public void Bai_scheme_constants_follow_the_spec()
    {
        Assert.Equal(37449, Binning.BinLimit(14, 5));
        Assert.Equal(37450, Binning.MetadataBinId(14, 5));
        Assert.Equal(1L << 29, Binning.MaxCoordinate(14, 5));
        Assert.Equal([0, 1, 9, 73, 585, 4681], Enumerable.Range(0, 6).Select(Binning.FirstBinOfLevel));
    }

    [Theory]
    [InlineData(0, 1, 4681)]
    [InlineData(0, 1 << 14, 4681)]
    [InlineData(0, (1 << 14) + 1, 585)]
    [InlineData(1 << 14, 1 << 15, 4682)]
    [InlineData((1 << 17) - 1, (1 << 17) + 1, 73)]
    [InlineData(0, 1 << 29, 0)]
    [InlineData(1 << 26, (1 << 26) + 10, 4681 + (1 << 12))]
    [InlineData(-1, 0, 4680)]
    public void Reg2bin_gives_the_smallest_bin_holding_the_region(long beg, long end, int bin)
    {
        Assert.Equal(bin, Binning.Reg2Bin(beg, end, 14, 5));
    }

    [Fact]
    public void Reg2bins_lists_one_bin_per_level_for_a_base()
    {
        Assert.Equal([0, 1, 9, 73, 585, 4681], Binning.Reg2Bins(0, 1, 14, 5));
        Assert.Equal([0, 1, 9, 73, 585, 4681, 4682], Binning.Reg2Bins(16383, 16385, 14, 5));
    }

    [Fact]
    public void Reg2bins_matches_the_bins_whose_region_overlaps_for_bai_and_deeper_csi_schemes()
    {
        var random = new Random(3);
        foreach (var (minShift, depth) in new[] { (14, 5), (12, 6), (14, 6) })
        {
            var max = Binning.MaxCoordinate(minShift, depth);
            for (var i = 0; i < 200; i++)
            {
                var beg = random.NextInt64(max - 1);
                var end = Math.Min(max, beg + 1 + random.NextInt64((long)Math.Pow(10, random.Next(1, 9))));
                bool Overlaps(int bin)
                {
                    var region = Binning.BinRegion(bin, minShift, depth);
                    return region.Start < end && region.End > beg;
                }

                var listed = Binning.Reg2Bins(beg, end, minShift, depth);
                Assert.All(listed, bin => Assert.True(Overlaps(bin)));
                if (i < 3)
                {
                    Assert.Equal(listed.Order(), Enumerable.Range(0, Binning.BinLimit(minShift, depth)).Where(Overlaps));
                }

                var smallest = Binning.Reg2Bin(beg, end, minShift, depth);
                var holding = Binning.BinRegion(smallest, minShift, depth);
                Assert.True(holding.Start <= beg && holding.End >= end, $"bin {smallest} does not hold [{beg},{end})");
            }
        }
    }

    [Fact]
    public void Bin_regions_tile_each_level()
    {
        Assert.Equal((0, 0L, 1L << 29), Binning.BinRegion(0, 14, 5));
        Assert.Equal((1, 1L << 26, 2L << 26), Binning.BinRegion(2, 14, 5));
        Assert.Equal((5, 0L, 1L << 14), Binning.BinRegion(4681, 14, 5));
        Assert.Equal((5, 37448L - 4681 << 14, (37448L - 4681 + 1) << 14), Binning.BinRegion(37448, 14, 5));
        Assert.Equal(4681 + 3, Binning.BinAt((3 << 14) + 5, 5, 14, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Binning.BinRegion(37449, 14, 5));
    }

    [Fact]
    public void Merging_joins_overlapping_and_touching_chunks_only()
    {
        static Chunk C(long startBlock, int startOffset, long endBlock, int endOffset) =>
            new(new VirtualOffset(startBlock, startOffset), new VirtualOffset(endBlock, endOffset));

        var merged = ChunkMerger.Merge([C(10, 0, 20, 5), C(0, 0, 5, 0), C(20, 5, 30, 0), C(15, 0, 16, 0), C(31, 0, 31, 0), C(40, 1, 50, 0)]);

        Assert.Equal([C(0, 0, 5, 0), C(10, 0, 30, 0), C(40, 1, 50, 0)], merged);
    }
}
