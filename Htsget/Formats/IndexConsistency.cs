namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Checks that an index belongs to a data file: every virtual offset it holds must name a block of the file and a
/// position inside that block's data. A stale index (the data file was rewritten after indexing) fails this.
/// </summary>
public static class IndexConsistency
{
    /// <summary>Throws <see cref="HtsFormatException"/> naming the first offset that does not point into the data.</summary>
    public static void Check(BinningIndex index, IReadOnlyList<BgzfBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(blocks);
        var fileLength = blocks.Count == 0 ? 0 : blocks[^1].CompressedEnd;
        for (var id = 0; id < index.References.Count; id++)
        {
            foreach (var offset in OffsetsOf(index.References[id]))
            {
                if (!PointsIntoData(offset, blocks, fileLength))
                {
                    throw new HtsFormatException(
                        $"The index does not match the data file: reference {id} points at virtual offset {offset}, " +
                        "which is not a position in the data", offset.CompressedOffset);
                }
            }
        }
    }

    private static IEnumerable<VirtualOffset> OffsetsOf(ReferenceIndex reference)
    {
        foreach (var bin in reference.Bins.Values)
        {
            yield return bin.FirstRecordOffset;
            foreach (var chunk in bin.Chunks)
            {
                yield return chunk.Start;
                yield return chunk.End;
            }
        }

        foreach (var offset in reference.LinearIndex)
        {
            yield return offset;
        }

        if (reference.Metadata is { } metadata)
        {
            yield return metadata.Start;
            yield return metadata.End;
        }
    }

    private static bool PointsIntoData(VirtualOffset offset, IReadOnlyList<BgzfBlock> blocks, long fileLength)
    {
        // The end of the file is where a chunk ending with the last record points when there is no EOF block.
        if (offset.CompressedOffset == fileLength)
        {
            return offset.UncompressedOffset == 0;
        }

        int low = 0, high = blocks.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var block = blocks[middle];
            if (block.CompressedOffset == offset.CompressedOffset)
            {
                return offset.UncompressedOffset <= block.UncompressedSize;
            }

            if (block.CompressedOffset < offset.CompressedOffset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return false;
    }
}
