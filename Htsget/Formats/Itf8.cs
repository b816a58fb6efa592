namespace GenomeNode.Htsget.Formats;

/// <summary>
/// CRAM's ITF-8 integer (CRAMv3 §2.3): the count of leading 1 bits in the first byte (0 to 4) is the count of
/// bytes that follow. Up to four bytes use all their bits; the fifth form spends 4 bits of the first byte and only
/// the low 4 bits of the last, 32 bits in all, so negative values take five bytes.
/// </summary>
public static class Itf8
{
    public const int MaxLength = 5;

    /// <summary>Decodes a value; false when <paramref name="bytes"/> ends before it does.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out int value, out int length)
    {
        value = 0;
        length = 0;
        if (bytes.IsEmpty)
        {
            return false;
        }

        var first = bytes[0];
        length = first < 0x80 ? 1 : first < 0xC0 ? 2 : first < 0xE0 ? 3 : first < 0xF0 ? 4 : 5;
        if (bytes.Length < length)
        {
            return false;
        }

        value = length switch
        {
            1 => first,
            2 => ((first & 0x3F) << 8) | bytes[1],
            3 => ((first & 0x1F) << 16) | (bytes[1] << 8) | bytes[2],
            4 => ((first & 0x0F) << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3],
            _ => ((first & 0x0F) << 28) | (bytes[1] << 20) | (bytes[2] << 12) | (bytes[3] << 4) | (bytes[4] & 0x0F),
        };
        return true;
    }

    /// <summary>Decodes a value, throwing <see cref="HtsFormatException"/> when the bytes end first.</summary>
    public static int Read(ReadOnlySpan<byte> bytes, out int length) =>
        TryRead(bytes, out var value, out length) ? value : throw new HtsFormatException("Truncated ITF-8 integer");

    /// <summary>Encodes a value into <paramref name="destination"/> (at least 5 bytes free) and returns its length.</summary>
    public static int Write(int value, Span<byte> destination)
    {
        var bits = (uint)value;
        switch (bits)
        {
            case < 1u << 7:
                destination[0] = (byte)bits;
                return 1;
            case < 1u << 14:
                destination[0] = (byte)(0x80 | (bits >> 8));
                destination[1] = (byte)bits;
                return 2;
            case < 1u << 21:
                destination[0] = (byte)(0xC0 | (bits >> 16));
                destination[1] = (byte)(bits >> 8);
                destination[2] = (byte)bits;
                return 3;
            case < 1u << 28:
                destination[0] = (byte)(0xE0 | (bits >> 24));
                destination[1] = (byte)(bits >> 16);
                destination[2] = (byte)(bits >> 8);
                destination[3] = (byte)bits;
                return 4;
            default:
                destination[0] = (byte)(0xF0 | (bits >> 28));
                destination[1] = (byte)(bits >> 20);
                destination[2] = (byte)(bits >> 12);
                destination[3] = (byte)(bits >> 4);
                destination[4] = (byte)(bits & 0x0F);
                return 5;
        }
    }
}
