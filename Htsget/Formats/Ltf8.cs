namespace GenomeNode.Htsget.Formats;

/// <summary>
/// CRAM's LTF-8 long (CRAMv3 §2.3): like ITF-8, the count of leading 1 bits in the first byte (0 to 8) is the
/// count of bytes that follow, all used whole; the first byte keeps its 7 - n low bits, so 0xFF is followed by
/// the full 64 bits.
/// </summary>
public static class Ltf8
{
    public const int MaxLength = 9;

    /// <summary>Decodes a value; false when <paramref name="bytes"/> ends before it does.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out long value, out int length)
    {
        value = 0;
        length = 0;
        if (bytes.IsEmpty)
        {
            return false;
        }

        var following = System.Numerics.BitOperations.LeadingZeroCount((uint)(byte)~bytes[0]) - 24;
        length = following + 1;
        if (bytes.Length < length)
        {
            return false;
        }

        var result = following == 8 ? 0UL : (ulong)(bytes[0] & (0x7F >> following));
        for (var i = 1; i <= following; i++)
        {
            result = (result << 8) | bytes[i];
        }

        value = (long)result;
        return true;
    }

    /// <summary>Decodes a value, throwing <see cref="HtsFormatException"/> when the bytes end first.</summary>
    public static long Read(ReadOnlySpan<byte> bytes, out int length) =>
        TryRead(bytes, out var value, out length) ? value : throw new HtsFormatException("Truncated LTF-8 integer");

    /// <summary>Encodes a value into <paramref name="destination"/> (at least 9 bytes free) and returns its length.</summary>
    public static int Write(long value, Span<byte> destination)
    {
        var bits = (ulong)value;

        // n following bytes carry 7 + 7n bits, and 8 carry all 64.
        var following = 0;
        while (following < 8 && bits >> (7 + (7 * following)) != 0)
        {
            following++;
        }

        var prefix = (byte)(0xFF << (8 - following));
        destination[0] = following == 8 ? (byte)0xFF : (byte)(prefix | (byte)(bits >> (8 * following)));
        for (var i = 1; i <= following; i++)
        {
            destination[i] = (byte)(bits >> (8 * (following - i)));
        }

        return following + 1;
    }
}
