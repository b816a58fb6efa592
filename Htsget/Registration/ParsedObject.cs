using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Registration;

/// <summary>Everything registration writes for one object, parsed and checked before the database is touched.</summary>
internal sealed class ParsedObject
{
    public required string Format { get; init; }

    public required string IndexFormat { get; init; }

    public required string IndexPath { get; init; }

    public required long HeaderEnd { get; init; }

    public required bool EndsWithEof { get; init; }

    public int? MinShift { get; init; }

    public int? Depth { get; init; }

    public long? UnplacedOffset { get; init; }

    public required IReadOnlyList<(string Name, long? Length)> References { get; init; }

    /// <summary>Names of the index's reference ids (see <c>htsget.index_references</c>).</summary>
    public required IReadOnlyList<string> IndexReferences { get; init; }

    public required IReadOnlyList<StoredBlock> Blocks { get; init; }

    public BinningIndex? Index { get; init; }

    public IReadOnlyList<CraiEntry> Crai { get; init; } = [];
}

/// <summary>A BGZF block (uncompressed size set) or a CRAM container (record count set).</summary>
internal readonly record struct StoredBlock(long Offset, long CompressedSize, int? UncompressedSize, int? RecordCount);

/// <summary>A window of positions and the smallest virtual offset a record overlapping a region starting there can have.</summary>
internal readonly record struct LowerBoundWindow(long Start, long End, VirtualOffset Offset);

/// <summary>Turns a binning index into the rows of <c>htsget.bins</c> and <c>htsget.lower_bounds</c>.</summary>
internal static class IndexRows
{
    public static IEnumerable<(int Bin, long Start, long End, Chunk Chunk)> Bins(BinningIndex index, ReferenceIndex reference) =>
        reference.Bins.Values
            .Select(bin => (bin, Binning.BinRegion(bin.Id, index.MinShift, index.Depth)))
            .OrderBy(entry => entry.Item2.Start)
            .ThenBy(entry => entry.bin.Id)
            .SelectMany(entry => entry.bin.Chunks.Select(chunk => (entry.bin.Id, entry.Item2.Start, entry.Item2.End, chunk)));

    /// <summary>
    /// BAI/TBI: one window per linear index entry, the last stretched to the end of the binning scheme (a region
    /// past the last window is still bounded by the last entry). CSI: disjoint windows, each bounded by the loffset of
    /// the finest bin present that holds it, so the bound of a position is one range lookup, as
    /// <see cref="RegionChunks.Find"/> computes it in memory.
    /// </summary>
    public static IReadOnlyList<LowerBoundWindow> LowerBounds(BinningIndex index, ReferenceIndex reference)
    {
        var max = Binning.MaxCoordinate(index.MinShift, index.Depth);
        if (index.Format != Formats.IndexFormat.Csi)
        {
            var linear = reference.LinearIndex;
            var windows = new List<LowerBoundWindow>(linear.Count);
            for (var i = 0; i < linear.Count; i++)
            {
                var start = (long)i << index.MinShift;
                var end = i == linear.Count - 1 ? Math.Max(max, start + (1L << index.MinShift)) : start + (1L << index.MinShift);
                windows.Add(new LowerBoundWindow(start, end, linear[i]));
            }

            return windows;
        }

        return FinestBinWindows(index, reference);
    }

    // Bins form a laminar family (any two are nested or disjoint). Sorted by start, coarser first, a stack of the
    // bins holding the current position gives, between consecutive bin boundaries, the finest bin present.
    private static List<LowerBoundWindow> FinestBinWindows(BinningIndex index, ReferenceIndex reference)
    {
        var bins = reference.Bins.Values
            .Select(bin => (Region: Binning.BinRegion(bin.Id, index.MinShift, index.Depth), bin.FirstRecordOffset))
            .OrderBy(bin => bin.Region.Start)
            .ThenBy(bin => bin.Region.Level)
            .ToList();
        var windows = new List<LowerBoundWindow>();
        var open = new Stack<(long End, VirtualOffset Offset)>();
        var cursor = 0L;

        void Emit(long start, long end, VirtualOffset offset)
        {
            if (start >= end)
            {
                return;
            }

            if (windows.Count > 0 && windows[^1].End == start && windows[^1].Offset == offset)
            {
                windows[^1] = windows[^1] with { End = end };
            }
            else
            {
                windows.Add(new LowerBoundWindow(start, end, offset));
            }
        }

        void CloseBefore(long position)
        {
            while (open.Count > 0 && open.Peek().End <= position)
            {
                var (end, offset) = open.Pop();
                Emit(cursor, end, offset);
                cursor = Math.Max(cursor, end);
            }
        }

        foreach (var (region, offset) in bins)
        {
            CloseBefore(region.Start);
            if (open.Count > 0)
            {
                Emit(cursor, region.Start, open.Peek().Offset);
            }

            cursor = region.Start;
            open.Push((region.End, offset));
        }

        CloseBefore(long.MaxValue);
        return windows;
    }
}
