namespace GenomeNode.Htsget.Formats;

/// <summary>Reads the per-reference part that BAI, CSI and TBI share: bins with chunks, the pseudo-bin, the linear index.</summary>
internal static class ReferenceIndexParser
{
    public static List<ReferenceIndex> ReadReferences(
        LittleEndianReader reader, int referenceCount, int metadataBinId, bool hasBinOffsets, bool hasLinearIndex)
    {
        var references = new List<ReferenceIndex>(LittleEndianReader.Capacity(referenceCount));
        for (var i = 0; i < referenceCount; i++)
        {
            references.Add(ReadReference(reader, metadataBinId, hasBinOffsets, hasLinearIndex));
        }

        return references;
    }

    private static ReferenceIndex ReadReference(
        LittleEndianReader reader, int metadataBinId, bool hasBinOffsets, bool hasLinearIndex)
    {
        var binCount = reader.ReadCount("bin");
        var bins = new Dictionary<int, IndexBin>(LittleEndianReader.Capacity(binCount));
        ReferenceMetadata? metadata = null;
        for (var i = 0; i < binCount; i++)
        {
            var binStart = reader.Position;
            var id = reader.ReadUInt32();
            var firstRecordOffset = hasBinOffsets ? reader.ReadVirtualOffset() : default;
            var chunkCount = reader.ReadCount("chunk");
            if (id == metadataBinId)
            {
                metadata = ReadMetadata(reader, chunkCount, binStart);
                continue;
            }

            // Valid bins are [0, bin_limit); the pseudo-bin is bin_limit + 1.
            if (id >= metadataBinId - 1)
            {
                throw reader.Error($"bin {id} is beyond the binning scheme's last bin {metadataBinId - 2}", binStart);
            }

            var chunks = new List<Chunk>(LittleEndianReader.Capacity(chunkCount));
            for (var c = 0; c < chunkCount; c++)
            {
                chunks.Add(new Chunk(reader.ReadVirtualOffset(), reader.ReadVirtualOffset()));
            }

            if (!bins.TryAdd((int)id, new IndexBin((int)id, firstRecordOffset, chunks)))
            {
                throw reader.Error($"bin {id} appears twice for one reference", binStart);
            }
        }

        var linearIndex = hasLinearIndex ? ReadLinearIndex(reader) : [];
        return new ReferenceIndex(bins, linearIndex, metadata);
    }

    // The pseudo-bin is laid out as two chunks: (ref_beg, ref_end) and (n_mapped, n_unmapped).
    private static ReferenceMetadata ReadMetadata(LittleEndianReader reader, int chunkCount, long binStart)
    {
        if (chunkCount != 2)
        {
            throw reader.Error($"metadata pseudo-bin has {chunkCount} chunks instead of 2", binStart);
        }

        var start = reader.ReadVirtualOffset();
        var end = reader.ReadVirtualOffset();
        return new ReferenceMetadata(start, end, reader.ReadUInt64(), reader.ReadUInt64());
    }

    private static List<VirtualOffset> ReadLinearIndex(LittleEndianReader reader)
    {
        var count = reader.ReadCount("linear index interval");
        var offsets = new List<VirtualOffset>(LittleEndianReader.Capacity(count));
        for (var i = 0; i < count; i++)
        {
            offsets.Add(reader.ReadVirtualOffset());
        }

        return offsets;
    }
}
