namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The hierarchical binning scheme of BAI, TBI and CSI (SAMv1 §5.3, CSIv1). Level 0 is one bin covering
/// 2^(min_shift + 3·depth) bp; each level below splits every bin in eight, down to bins of 2^min_shift bp at level
/// <c>depth</c>. Coordinates are 0-based and half-open.
/// </summary>
public static class Binning
{
    public const int BaiMinShift = 14;
    public const int BaiDepth = 5;

    /// <summary>First bin id past the scheme: valid bins are [0, bin_limit). 37449 for BAI.</summary>
    public static int BinLimit(int minShift, int depth) => (int)(((1L << ((depth + 1) * 3)) - 1) / 7);

    /// <summary>Id of the metadata pseudo-bin: bin_limit + 1, i.e. 37450 for BAI and TBI.</summary>
    public static int MetadataBinId(int minShift, int depth) => BinLimit(minShift, depth) + 1;

    /// <summary>One past the largest coordinate the scheme can index (2^29 for BAI).</summary>
    public static long MaxCoordinate(int minShift, int depth) => 1L << (minShift + (3 * depth));

    /// <summary>The smallest bin that holds all of [beg, end).</summary>
    public static int Reg2Bin(long beg, long end, int minShift, int depth)
    {
        var last = end - 1;
        var shift = minShift;
        for (var level = depth; level > 0; level--, shift += 3)
        {
            if (beg >> shift == last >> shift)
            {
                return FirstBinOfLevel(level) + (int)(beg >> shift);
            }
        }

        return 0;
    }

    /// <summary>Every bin that may hold records overlapping [beg, end), coarsest level first.</summary>
    public static IReadOnlyList<int> Reg2Bins(long beg, long end, int minShift, int depth)
    {
        var bins = new List<int>();
        var last = end - 1;
        var shift = minShift + (3 * depth);
        for (var level = 0; level <= depth; level++, shift -= 3)
        {
            var first = FirstBinOfLevel(level);
            for (var bin = first + (beg >> shift); bin <= first + (last >> shift); bin++)
            {
                bins.Add((int)bin);
            }
        }

        return bins;
    }

    /// <summary>The bin of <paramref name="level"/> that contains position <paramref name="position"/>.</summary>
    public static int BinAt(long position, int level, int minShift, int depth) =>
        FirstBinOfLevel(level) + (int)(position >> (minShift + (3 * (depth - level))));

    /// <summary>The level of a bin and the region [Start, End) it covers.</summary>
    public static (int Level, long Start, long End) BinRegion(int bin, int minShift, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bin);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bin, BinLimit(minShift, depth));
        var level = 0;
        while (level < depth && bin >= FirstBinOfLevel(level + 1))
        {
            level++;
        }

        var span = 1L << (minShift + (3 * (depth - level)));
        var start = (bin - FirstBinOfLevel(level)) * span;
        return (level, start, start + span);
    }

    /// <summary>Id of the first bin of a level: (8^level - 1) / 7.</summary>
    public static int FirstBinOfLevel(int level) => (int)(((1L << (3 * level)) - 1) / 7);
}
