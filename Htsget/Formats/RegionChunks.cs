namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Answers "which parts of the file can hold records overlapping this region?" from a binning index: the chunks of
/// every bin overlapping the region, cut below by the smallest offset a matching record can have (the linear index
/// for BAI/TBI, the loffset of the finest bin holding the start for CSI), then merged.
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

        // Walking the bins present (not reg2bins' list) keeps deep CSI schemes cheap for whole-reference queries.
        var chunks = new List<Chunk>();
        foreach (var bin in reference.Bins.Values)
        {
            var region = Binning.BinRegion(bin.Id, index.MinShift, index.Depth);
            if (region.Start >= end || region.End <= start)
            {
                continue;
            }

            // A record before the lower bound cannot reach the region; starting there is still on a record boundary.
            chunks.AddRange(bin.Chunks
                .Where(chunk => chunk.End > lowerBound)
                .Select(chunk => chunk with { Start = VirtualOffset.Max(chunk.Start, lowerBound) }));
        }

        return ChunkMerger.Merge(chunks);
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
