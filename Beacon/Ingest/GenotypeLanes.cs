using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Eight GT-only sample columns of four bytes each ("0/0\t"), looked at in one vector compare: most columns of a
/// population VCF are homozygous reference, and those then cost next to nothing.
/// </summary>
internal static class GenotypeLanes
{
    /// <summary>Columns per block.</summary>
    public const int Count = 8;

    /// <summary>Bytes per block: a three-byte call and its tab per column.</summary>
    public const int Bytes = Count * 4;

    /// <summary>A mask with every lane's bit set.</summary>
    public const uint All = (1u << Count) - 1;

    // "0/0\t" and "0|0\t" as little-endian 32-bit lanes.
    private const uint Unphased = '0' | ('/' << 8) | ('0' << 16) | ('\t' << 24);
    private const uint Phased = '0' | ('|' << 8) | ('0' << 16) | ('\t' << 24);

    /// <summary>
    /// Bit i set when the i-th four bytes of <paramref name="block"/> (at least <see cref="Bytes"/> long) are
    /// "0/0\t" or "0|0\t".
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint HomRef(ReadOnlySpan<byte> block)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var lanes = Vector256.Create(block).AsUInt32();
            return (Vector256.Equals(lanes, Vector256.Create(Unphased)) | Vector256.Equals(lanes, Vector256.Create(Phased))).ExtractMostSignificantBits();
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var low = Vector128.Create(block).AsUInt32();
            var high = Vector128.Create(block[16..]).AsUInt32();
            var unphased = Vector128.Create(Unphased);
            var phased = Vector128.Create(Phased);
            return (Vector128.Equals(low, unphased) | Vector128.Equals(low, phased)).ExtractMostSignificantBits()
                | ((Vector128.Equals(high, unphased) | Vector128.Equals(high, phased)).ExtractMostSignificantBits() << 4);
        }

        return HomRefScalar(block);
    }

    /// <summary>The same as <see cref="HomRef"/> a lane at a time (no vector hardware; and the tests' reference).</summary>
    public static uint HomRefScalar(ReadOnlySpan<byte> block)
    {
        var mask = 0u;
        for (var lane = 0; lane < Count; lane++)
        {
            var word = BinaryPrimitives.ReadUInt32LittleEndian(block[(lane * 4)..]);
            if (word is Unphased or Phased)
            {
                mask |= 1u << lane;
            }
        }

        return mask;
    }
}
