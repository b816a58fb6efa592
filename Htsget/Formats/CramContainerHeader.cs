using System.Buffers.Binary;

namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The header of one CRAM container (CRAMv3 §7): <see cref="Length"/> is the byte count of the blocks after the
/// header; landmarks are the slice offsets from the end of the header. CRAM 2.x headers have no CRC32.
/// </summary>
public sealed record CramContainerHeader(
    int Length,
    int ReferenceSequenceId,
    int AlignmentStart,
    int AlignmentSpan,
    int RecordCount,
    long RecordCounter,
    long BaseCount,
    int BlockCount,
    IReadOnlyList<int> Landmarks,
    uint? Crc32)
{
    /// <summary>Alignment start of the EOF container, "EOF" in ITF-8 bytes.</summary>
    public const int EofAlignmentStart = 4542278;

    /// <summary>Reference id of containers whose slices span several references.</summary>
    public const int MultipleReferences = -2;

    /// <summary>The empty container that ends a CRAM 2.1+ file: unmapped, starting at 4542278, no records.</summary>
    public bool IsEof => ReferenceSequenceId == -1 && AlignmentStart == EofAlignmentStart && RecordCount == 0;

    /// <summary>
    /// Parses a header from bytes that start at the container. Returns false when more bytes are needed; throws
    /// <see cref="HtsFormatException"/> when the header is malformed or fails its CRC32.
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<byte> bytes, int majorVersion, long offset, out CramContainerHeader? header, out int headerLength)
    {
        header = null;
        headerLength = 0;
        if (bytes.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (length < 0)
        {
            throw new HtsFormatException($"CRAM container claims a negative length {length}", offset);
        }

        var position = 4;
        if (!TryItf8(bytes, ref position, out var referenceId)
            || !TryItf8(bytes, ref position, out var start)
            || !TryItf8(bytes, ref position, out var span)
            || !TryItf8(bytes, ref position, out var records)
            || !TryLtf8(bytes, ref position, out var counter)
            || !TryLtf8(bytes, ref position, out var bases)
            || !TryItf8(bytes, ref position, out var blocks)
            || !TryItf8(bytes, ref position, out var landmarkCount))
        {
            return false;
        }

        // Each landmark takes at least one byte, so a count beyond the bytes given just asks for more bytes.
        if (landmarkCount < 0)
        {
            throw new HtsFormatException($"CRAM container claims {landmarkCount} landmarks", offset);
        }

        var landmarks = new List<int>(Math.Min(landmarkCount, bytes.Length));
        for (var i = 0; i < landmarkCount; i++)
        {
            if (!TryItf8(bytes, ref position, out var landmark))
            {
                return false;
            }

            landmarks.Add(landmark);
        }

        uint? crc = null;
        if (majorVersion >= 3)
        {
            if (bytes.Length < position + 4)
            {
                return false;
            }

            crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes[position..]);
            if (Formats.Crc32.Compute(bytes[..position]) != crc)
            {
                throw new HtsFormatException("CRAM container header fails its CRC32 check", offset);
            }

            position += 4;
        }

        header = new CramContainerHeader(length, referenceId, start, span, records, counter, bases, blocks, landmarks, crc);
        headerLength = position;
        return true;
    }

    private static bool TryItf8(ReadOnlySpan<byte> bytes, ref int position, out int value)
    {
        if (!Itf8.TryRead(bytes[position..], out value, out var length))
        {
            return false;
        }

        position += length;
        return true;
    }

    private static bool TryLtf8(ReadOnlySpan<byte> bytes, ref int position, out long value)
    {
        if (!Ltf8.TryRead(bytes[position..], out value, out var length))
        {
            return false;
        }

        position += length;
        return true;
    }
}
