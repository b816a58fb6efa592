namespace GenomeNode.Htsget.Formats;

/// <summary>Reads a BAI index (SAMv1 §5.2): uncompressed, min_shift 14 and depth 5, with a linear index per reference.</summary>
public static class BaiReader
{
    internal static ReadOnlySpan<byte> Magic => "BAI\u0001"u8;

    public static BinningIndex Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new LittleEndianReader(stream, "BAI");
        reader.ExpectMagic(Magic);
        return ReadAfterMagic(reader);
    }

    internal static BinningIndex ReadAfterMagic(LittleEndianReader reader)
    {
        var referenceCount = reader.ReadCount("reference");
        var references = ReferenceIndexParser.ReadReferences(
            reader, referenceCount, Binning.MetadataBinId(Binning.BaiMinShift, Binning.BaiDepth),
            hasBinOffsets: false, hasLinearIndex: true);
        ulong? unplaced = reader.TryReadUInt64(out var count) ? count : null;
        return new BinningIndex(IndexFormat.Bai, Binning.BaiMinShift, Binning.BaiDepth, references, unplaced, Tabix: null);
    }
}
