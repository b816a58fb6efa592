namespace GenomeNode.Htsget.Formats;

/// <summary>Constants of the BGZF block format (SAMv1 §4.1) and the end-of-file marker checks.</summary>
public static class Bgzf
{
    /// <summary>Bytes of the gzip header before the extra field: ID1 ID2 CM FLG MTIME XFL OS XLEN.</summary>
    public const int FixedHeaderLength = 12;

    /// <summary>Header length of a block whose only extra subfield is BC (XLEN = 6), as every writer emits.</summary>
    public const int StandardHeaderLength = 18;

    /// <summary>CRC32 and ISIZE after the compressed data.</summary>
    public const int FooterLength = 8;

    /// <summary>Largest block, compressed or not: BSIZE is 16 bits and holds the size minus one.</summary>
    public const int MaxBlockLength = 65536;

    public const int EofMarkerLength = 28;

    /// <summary>The empty block every well-formed BGZF file ends with (SAMv1 §4.1.2).</summary>
    public static ReadOnlySpan<byte> EofMarker =>
    [
        0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43,
        0x02, 0x00, 0x1b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// <summary>True when the bytes are exactly the EOF marker block.</summary>
    public static bool IsEofMarker(ReadOnlySpan<byte> block) => block.SequenceEqual(EofMarker);

    /// <summary>True when the last 28 bytes of the stream are the EOF marker; leaves the position unchanged.</summary>
    public static bool EndsWithEofMarker(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || stream.Length < EofMarkerLength)
        {
            return false;
        }

        var position = stream.Position;
        try
        {
            Span<byte> tail = stackalloc byte[EofMarkerLength];
            stream.Seek(-EofMarkerLength, SeekOrigin.End);
            stream.ReadExactly(tail);
            return IsEofMarker(tail);
        }
        finally
        {
            stream.Position = position;
        }
    }

    /// <summary>True when the stream starts like a gzip member (BGZF or plain gzip); leaves the position unchanged.</summary>
    internal static bool StartsWithGzipMagic(Stream stream)
    {
        var position = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = position;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
