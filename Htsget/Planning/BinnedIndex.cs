using System.Collections.Frozen;
using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Planning;

/// <summary>One chunk of one bin of a binning index, with the genomic span [BinStart, BinEnd) of its bin.</summary>
public readonly record struct BinChunk(long BinStart, long BinEnd, VirtualOffset Start, VirtualOffset End);

/// <summary>
/// A window [Start, End) of a reference and the smallest virtual offset a record overlapping a region that starts in
/// it can have (the registration writes disjoint windows: BAI/TBI linear index windows, CSI finest-bin windows).
/// </summary>
public readonly record struct LowerBound(long Start, long End, VirtualOffset Offset);

/// <summary>
/// A binning index (BAI, CSI, TBI) as the registration tables hold it, by reference name: answers which chunks of the
/// file can hold records of a region, exactly as the registration tables' range query does, without a database.
/// </summary>
public sealed class BinnedIndex
{
    private readonly FrozenDictionary<string, BinnedReference> references;

    /// <param name="minShift">the binning scheme's min_shift</param>
    /// <param name="depth">the binning scheme's depth</param>
    /// <param name="references">each index reference by name (the first of a name, in index order)</param>
    public BinnedIndex(int minShift, int depth, IReadOnlyDictionary<string, BinnedReference> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        MinShift = minShift;
        Depth = depth;
        this.references = references.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public int MinShift { get; }

    public int Depth { get; }

    /// <summary>Approximate bytes the index takes in memory.</summary>
    public long EstimatedBytes => 64 + references.Sum(pair => (2L * pair.Key.Length) + pair.Value.EstimatedBytes);

    /// <summary>
    /// Merged chunks that hold every record of <paramref name="referenceName"/> overlapping [start, end) (0-based,
    /// half-open; <see cref="long.MaxValue"/> for the rest of the reference): the chunks of every bin overlapping the
    /// region, cut below by the lower bound of start and above by the first chunk of any bin lying wholly right of the
    /// region's last finest window. Empty for a reference the index does not name.
    /// </summary>
    public IReadOnlyList<Chunk> RegionChunks(string referenceName, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(referenceName);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        end = Math.Min(end, Binning.MaxCoordinate(MinShift, Depth));
        if (start >= end || !references.TryGetValue(referenceName, out var reference))
        {
            return [];
        }

        var rightOfRegion = (((end - 1) >> MinShift) + 1) << MinShift;
        return ChunkMerger.Merge(reference.Chunks(start, end, rightOfRegion));
    }
}

/// <summary>
/// One reference of a <see cref="BinnedIndex"/>: its chunks grouped by bin size (one group per level of the scheme),
/// each group sorted by bin start, and its lower-bound windows sorted by start; every lookup is a few binary searches.
/// </summary>
public sealed class BinnedReference
{
    private readonly Level[] levels;
    private readonly long[] windowStarts;
    private readonly long[] windowEnds;
    private readonly VirtualOffset[] windowOffsets;

    public BinnedReference(IEnumerable<BinChunk> chunks, IEnumerable<LowerBound> lowerBounds)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(lowerBounds);
        levels = [.. chunks.GroupBy(chunk => chunk.BinEnd - chunk.BinStart).Select(group => new Level(group.Key, group))];
        var windows = lowerBounds.OrderBy(window => window.Start).ToArray();
        for (var i = 1; i < windows.Length; i++)
        {
            if (windows[i].Start < windows[i - 1].End)
            {
                throw new ArgumentException($"Lower-bound windows overlap at {windows[i].Start}.", nameof(lowerBounds));
            }
        }

        windowStarts = [.. windows.Select(window => window.Start)];
        windowEnds = [.. windows.Select(window => window.End)];
        windowOffsets = [.. windows.Select(window => window.Offset)];
    }

    internal long EstimatedBytes => 64 + levels.Sum(level => level.EstimatedBytes) + (24L * windowStarts.Length);

    internal List<Chunk> Chunks(long start, long end, long rightOfRegion)
    {
        var bound = LowerBoundOf(start);
        var upper = new VirtualOffset((ulong)long.MaxValue);
        foreach (var level in levels)
        {
            upper = VirtualOffset.Min(upper, level.FirstStartFrom(rightOfRegion));
        }

        var chunks = new List<Chunk>();
        foreach (var level in levels)
        {
            level.AddOverlapping(start, end, bound, upper, chunks);
        }

        return chunks;
    }

    // The window holding start (windows are disjoint); no bound (0) when none does.
    private VirtualOffset LowerBoundOf(long start)
    {
        var index = Array.BinarySearch(windowStarts, start);
        index = index >= 0 ? index : ~index - 1;
        return index >= 0 && start < windowEnds[index] ? windowOffsets[index] : VirtualOffset.Zero;
    }

    /// <summary>The chunks of the bins of one size, sorted by bin start, with the smallest chunk start from each row on.</summary>
    private sealed class Level
    {
        private readonly long span;
        private readonly long[] binStarts;
        private readonly VirtualOffset[] starts;
        private readonly VirtualOffset[] ends;
        private readonly VirtualOffset[] smallestStartFrom;

        public Level(long span, IEnumerable<BinChunk> chunks)
        {
            this.span = span;
            var sorted = chunks.OrderBy(chunk => chunk.BinStart).ToArray();
            binStarts = [.. sorted.Select(chunk => chunk.BinStart)];
            starts = [.. sorted.Select(chunk => chunk.Start)];
            ends = [.. sorted.Select(chunk => chunk.End)];
            smallestStartFrom = new VirtualOffset[sorted.Length];
            var smallest = VirtualOffset.MaxValue;
            for (var i = sorted.Length - 1; i >= 0; i--)
            {
                smallest = VirtualOffset.Min(smallest, starts[i]);
                smallestStartFrom[i] = smallest;
            }
        }

        public long EstimatedBytes => 64 + (32L * binStarts.Length);

        // The earliest chunk of a bin starting at or after position (MaxValue when none).
        public VirtualOffset FirstStartFrom(long position)
        {
            var index = FirstAtOrAfter(position);
            return index < binStarts.Length ? smallestStartFrom[index] : VirtualOffset.MaxValue;
        }

        // Bins of this size overlapping [start, end) start in (start - span, end).
        public void AddOverlapping(long start, long end, VirtualOffset bound, VirtualOffset upper, List<Chunk> chunks)
        {
            var last = FirstAtOrAfter(end);
            for (var i = FirstAtOrAfter(start - span + 1); i < last; i++)
            {
                var chunk = new Chunk(VirtualOffset.Max(starts[i], bound), VirtualOffset.Min(ends[i], upper));
                if (chunk.Start < chunk.End)
                {
                    chunks.Add(chunk);
                }
            }
        }

        private int FirstAtOrAfter(long position)
        {
            int low = 0, high = binStarts.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (binStarts[middle] < position)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }
}
