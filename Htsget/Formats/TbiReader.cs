namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Reads a tabix index (tabix.tex): BGZF-compressed, the tabix header with the sequence names, then per reference
/// the same bins and linear index as BAI (min_shift 14, depth 5).
/// </summary>
public static class TbiReader
{
    internal static ReadOnlySpan<byte> Magic => "TBI\u0001"u8;

    public static BinningIndex Read(Stream stream) =>
        IndexStreams.Read(stream, "TBI", reader =>
        {
            reader.ExpectMagic(Magic);
            return ReadAfterMagic(reader);
        });

    internal static BinningIndex ReadAfterMagic(LittleEndianReader reader)
    {
        var referenceCount = reader.ReadCount("reference");
        var fixedPart = reader.ReadBytes(TabixHeader.FixedLength);
        var namesLength = TabixHeader.ReadNamesLength(fixedPart);
        if (namesLength < 0)
        {
            throw reader.Error($"negative sequence names length {namesLength}", reader.Position - 4);
        }

        var header = TabixHeader.Parse([.. fixedPart, .. reader.ReadBytes(namesLength)]);
        var references = ReferenceIndexParser.ReadReferences(
            reader, referenceCount, Binning.MetadataBinId(Binning.BaiMinShift, Binning.BaiDepth),
            hasBinOffsets: false, hasLinearIndex: true);
        ulong? unplaced = reader.TryReadUInt64(out var count) ? count : null;
        return new BinningIndex(IndexFormat.Tbi, Binning.BaiMinShift, Binning.BaiDepth, references, unplaced, header);
    }
}
