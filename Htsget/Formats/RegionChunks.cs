namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Answers "which parts of the file can hold records overlapping this region?" from a binning index: the chunks of
/// every bin overlapping the region, cut below by the smallest offset a matching record can have (the linear index
/// for BAI/TBI, the loffset of the finest bin holding the start for CSI) and above by the first record of any bin
/// lying wholly right of the region, then merged.
/// </summary>
public static class RegionChunks
{
    /// <summary>
    /// Merged chunks that hold every record of <paramref name="referenceId"/> overlapping [start, end) (0-based,
    /// half-open); pass <see cref="long.MaxValue"/> as end for the rest of the reference.
    /// </summary>
    public static IReadOnlyList<Chunk> Find(BinningIndex index, int referenceId, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(referenceId, index.References.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(start);

        end = Math.Min(end, Binning.MaxCoordinate(index.MinShift, index.Depth));
        if (start >= end)
        {
            return [];
        }

        var reference = index.References[referenceId];
        var lowerBound = index.Format == IndexFormat.Csi
            ? LowerBoundFromBins(index, reference, start)
            : LowerBoundFromLinearIndex(index, reference, start);

        var upperBound = UpperBound(index, reference, end);

        // Walking the bins present (not reg2bins' list) keeps deep CSI schemes cheap for whole-reference queries.
        var chunks = new List<Chunk>();
        foreach (var bin in reference.Bins.Values)
        {
            var region = Binning.BinRegion(bin.Id, index.MinShift, index.Depth);
            if (region.Start >= end || region.End <= start)
            {
                continue;
            }

            // A record before the lower bound cannot reach the region, nor one at or after the upper bound; both
            // bounds are record starts, so the cut chunks still start and end on record boundaries.
            chunks.AddRange(bin.Chunks
                .Select(chunk => new Chunk(VirtualOffset.Max(chunk.Start, lowerBound), VirtualOffset.Min(chunk.End, upperBound)))
                .Where(chunk => chunk.Start < chunk.End));
        }

        return ChunkMerger.Merge(chunks);
    }

    // The file is sorted by position, so every record overlapping [.., end) comes before any record that starts at or
    // after the finest window following end - 1. Records of a bin lying wholly right of that point all do: the earliest
    // chunk of such bins caps the region's chunks.
    private static VirtualOffset UpperBound(BinningIndex index, ReferenceIndex reference, long end)
    {
        var rightOfRegion = (((end - 1) >> index.MinShift) + 1) << index.MinShift;
        var bound = VirtualOffset.MaxValue;
        foreach (var bin in reference.Bins.Values)
        {
            if (bin.Chunks.Count > 0 && Binning.BinRegion(bin.Id, index.MinShift, index.Depth).Start >= rightOfRegion)
            {
                bound = VirtualOffset.Min(bound, bin.Chunks.Min(chunk => chunk.Start));
            }
        }

        return bound;
    }

    /// <summary>
    /// Where the records without a reference (BAM's unplaced unmapped reads, '*') start: after the last chunk of
    /// every reference. Null when no reference has records, in which case they follow the header.
    /// </summary>
    public static VirtualOffset? UnplacedRecordsStart(BinningIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        VirtualOffset? start = null;
        foreach (var end in index.References.Select(reference => reference.LastChunkEnd))
        {
            if (end is { } value)
            {
                start = start is { } current ? VirtualOffset.Max(current, value) : value;
            }
        }

        return start;
    }

    // The linear index holds, per window, the smallest offset of records overlapping that window. Every record that
    // overlaps [start, ...) either overlaps start's window or starts after it, so it cannot come before that offset.
    private static VirtualOffset LowerBoundFromLinearIndex(BinningIndex index, ReferenceIndex reference, long start)
    {
        var linear = reference.LinearIndex;
        if (linear.Count == 0)
        {
            return VirtualOffset.Zero;
        }

        // Past the last window no record overlaps; the last entry is still a safe bound.
        var window = (int)Math.Min(start >> index.MinShift, linear.Count - 1);
        return linear[window];
    }

    // CSI's loffset is the first record overlapping a bin; any bin containing start gives a bound, the finest the best.
    private static VirtualOffset LowerBoundFromBins(BinningIndex index, ReferenceIndex reference, long start)
    {
        for (var level = index.Depth; level >= 0; level--)
        {
            if (reference.Bins.TryGetValue(Binning.BinAt(start, level, index.MinShift, index.Depth), out var bin))
            {
                return bin.FirstRecordOffset;
            }
        }

        return VirtualOffset.Zero;
    }
}
