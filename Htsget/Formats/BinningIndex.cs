namespace GenomeNode.Htsget.Formats;

public enum IndexFormat
{
    Bai,
    Csi,
    Tbi,
}

/// <summary>
/// A BAI, CSI or TBI index as plain records: the binning scheme (BAI and TBI are min_shift 14, depth 5), one
/// <see cref="ReferenceIndex"/> per reference in the data file's order, the count of records without coordinates
/// (n_no_coor) when present, and the tabix header for TBI, or for CSI when its aux data holds one (VCF, BED, ...).
/// </summary>
public sealed record BinningIndex(
    IndexFormat Format,
    int MinShift,
    int Depth,
    IReadOnlyList<ReferenceIndex> References,
    ulong? UnplacedUnmappedCount,
    TabixHeader? Tabix)
{
    /// <summary>CSI's auxiliary data as stored; empty for BAI and TBI.</summary>
    public ReadOnlyMemory<byte> Aux { get; init; }

    /// <summary>Reference id of a sequence name from the tabix header, or -1 when the index has no such name.</summary>
    public int FindReference(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Tabix is null)
        {
            return -1;
        }

        for (var i = 0; i < Tabix.SequenceNames.Count; i++)
        {
            if (string.Equals(Tabix.SequenceNames[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
