using System.Runtime.CompilerServices;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Heterozygous carriers of a common allele as a bitmap (bit i of byte i/8 = sample_index i) instead of a list,
/// whenever that is smaller.
/// </summary>
internal static class CarrierBitmap
{
    /// <summary>
    /// A list of k indexes below n costs about k·⌈log2 n⌉ bits bit-packed; a bitmap n bits plus a few bytes of string
    /// overhead. Rare alleles stay lists, common ones become bitmaps.
    /// </summary>
    public static bool IsSmaller(int count, int sampleSpace)
    {
        var bits = Math.Max(1, 32 - int.LeadingZeroCount(Math.Max(sampleSpace - 1, 1)));
        return (long)count * bits > sampleSpace + 48;
    }

    public static int Length(int sampleSpace) => (sampleSpace + 7) / 8;

    /// <summary>
    /// Sets the bits of the sample indexes that <paramref name="map"/> gives <paramref name="columns"/> in
    /// <paramref name="bitmap"/> (cleared first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(ReadOnlySpan<int> columns, ReadOnlySpan<int> map, Span<byte> bitmap)
    {
        bitmap.Clear();
        foreach (var column in columns)
        {
            var index = map[column];
            bitmap[index >> 3] |= (byte)(1 << (index & 7));
        }
    }

    /// <summary>The sample indexes set in a bitmap.</summary>
    public static List<int> Indexes(byte[] bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        var indexes = new List<int>();
        for (var i = 0; i < bitmap.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                if ((bitmap[i] & (1 << bit)) != 0)
                {
                    indexes.Add((i << 3) + bit);
                }
            }
        }

        return indexes;
    }
}
