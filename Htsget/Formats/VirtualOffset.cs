using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GenomeNode.Htsget.Formats;

/// <summary>
/// A BGZF virtual file offset (SAMv1 §4.1.1): the compressed offset of a block in the high 48 bits and the offset
/// into that block's uncompressed data in the low 16 bits, so that comparing values compares file positions.
/// </summary>
public readonly record struct VirtualOffset(ulong Value) : IComparable<VirtualOffset>
{
    /// <summary>Largest compressed offset that fits in 48 bits.</summary>
    public const long MaxCompressedOffset = (1L << 48) - 1;

    public VirtualOffset(long compressedOffset, int uncompressedOffset)
        : this(Combine(compressedOffset, uncompressedOffset))
    {
    }

    public static VirtualOffset Zero => default;

    /// <summary>Past every position of any file: the bound where nothing is cut.</summary>
    public static VirtualOffset MaxValue => new(ulong.MaxValue);

    /// <summary>Byte offset of the BGZF block in the file.</summary>
    public long CompressedOffset => (long)(Value >> 16);

    /// <summary>Byte offset in the block's uncompressed data.</summary>
    public int UncompressedOffset => (int)(Value & 0xFFFF);

    public int CompareTo(VirtualOffset other) => Value.CompareTo(other.Value);

    public static bool operator <(VirtualOffset left, VirtualOffset right) => left.Value < right.Value;

    public static bool operator >(VirtualOffset left, VirtualOffset right) => left.Value > right.Value;

    public static bool operator <=(VirtualOffset left, VirtualOffset right) => left.Value <= right.Value;

    public static bool operator >=(VirtualOffset left, VirtualOffset right) => left.Value >= right.Value;

    public static VirtualOffset Max(VirtualOffset left, VirtualOffset right) => left >= right ? left : right;

    public static VirtualOffset Min(VirtualOffset left, VirtualOffset right) => left <= right ? left : right;

    /// <summary>Formats as <c>coffset:uoffset</c>, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{CompressedOffset}:{UncompressedOffset}");

    /// <summary>Reads <c>coffset:uoffset</c> or the raw 64-bit value in decimal.</summary>
    public static VirtualOffset Parse(string text) =>
        TryParse(text, out var offset) ? offset : throw new FormatException($"'{text}' is not a virtual offset.");

    public static bool TryParse([NotNullWhen(true)] string? text, out VirtualOffset offset)
    {
        offset = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var raw))
            {
                return false;
            }

            offset = new VirtualOffset(raw);
            return true;
        }

        if (!long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var coffset)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var uoffset)
            || coffset > MaxCompressedOffset || uoffset > ushort.MaxValue)
        {
            return false;
        }

        offset = new VirtualOffset(coffset, uoffset);
        return true;
    }

    private static ulong Combine(long compressedOffset, int uncompressedOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(compressedOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressedOffset, MaxCompressedOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(uncompressedOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(uncompressedOffset, ushort.MaxValue);
        return ((ulong)compressedOffset << 16) | (uint)uncompressedOffset;
    }
}
