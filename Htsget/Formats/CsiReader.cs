namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Reads a CSI index (CSIv1): BGZF-compressed (a plain one is read too), with its own min_shift and depth, a
/// first-record offset (loffset) per bin instead of a linear index, and aux data that holds a tabix header when the
/// indexed file is text such as VCF.
/// </summary>
public static class CsiReader
{
    // Bin ids must fit in an int and bin spans in a long.
    private const int MaxDepth = 9;
    private const int MaxCoordinateBits = 62;

    internal static ReadOnlySpan<byte> Magic => "CSI\u0001"u8;

    public static BinningIndex Read(Stream stream) =>
        IndexStreams.Read(stream, "CSI", reader =>
        {
            reader.ExpectMagic(Magic);
            return ReadAfterMagic(reader);
        });

    internal static BinningIndex ReadAfterMagic(LittleEndianReader reader)
    {
        var minShift = reader.ReadInt32();
        var depth = reader.ReadInt32();
        if (minShift < 0 || depth < 0 || depth > MaxDepth || minShift + (3 * depth) > MaxCoordinateBits)
        {
            throw reader.Error($"unsupported CSI binning scheme: min_shift {minShift}, depth {depth}", 4);
        }

        var aux = reader.ReadBytes(reader.ReadCount("aux byte"));
        var referenceCount = reader.ReadCount("reference");
        var references = ReferenceIndexParser.ReadReferences(
            reader, referenceCount, Binning.MetadataBinId(minShift, depth), hasBinOffsets: true, hasLinearIndex: false);
        ulong? unplaced = reader.TryReadUInt64(out var count) ? count : null;
        var tabix = TabixHeader.TryParse(aux, out var header) ? header : null;
        return new BinningIndex(IndexFormat.Csi, minShift, depth, references, unplaced, tabix) { Aux = aux };
    }
}
