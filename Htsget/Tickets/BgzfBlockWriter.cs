using System.Buffers.Binary;
using System.IO.Compression;
using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Tickets;

/// <summary>Compresses data into BGZF blocks (SAMv1 §4.1): gzip members with the BC extra subfield giving the block size.</summary>
public static class BgzfBlockWriter
{
    /// <summary>Most uncompressed bytes one block takes, as htslib writes them.</summary>
    public const int MaxBlockData = 0xff00;

    /// <summary>
    /// A slice of a block's data as BGZF, for a ticket's inline edge parts: deflated at the default level, and at
    /// zlib's best as well when that is larger than <paramref name="sourceBlockLength"/>, the block it was cut from
    /// (htslib often deflates with libdeflate, which beats zlib at equal levels); the smaller result is taken.
    /// </summary>
    public static byte[] CompressSlice(ReadOnlySpan<byte> data, int sourceBlockLength)
    {
        var compressed = Compress(data, CompressionLevel.Optimal);
        if (compressed.Length <= sourceBlockLength)
        {
            return compressed;
        }

        // zlib's best level is not always smaller than its default.
        var harder = Compress(data, CompressionLevel.SmallestSize);
        return harder.Length < compressed.Length ? harder : compressed;
    }

    /// <summary>The data as one or more BGZF blocks (none for empty data).</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data) => Compress(data, CompressionLevel.Optimal);

    /// <summary>The data as one or more BGZF blocks deflated at <paramref name="level"/>.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data, CompressionLevel level)
    {
        using var output = new MemoryStream();
        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, MaxBlockData);
            WriteBlock(output, data[..take], level);
            data = data[take..];
        }

        return output.ToArray();
    }

    private static void WriteBlock(MemoryStream output, ReadOnlySpan<byte> data, CompressionLevel level)
    {
        var deflated = Deflate(data, level);
        if (Bgzf.StandardHeaderLength + deflated.Length + Bgzf.FooterLength > Bgzf.MaxBlockLength)
        {
            // Incompressible data grows under deflate; stored blocks add only 5 bytes per 64 KiB.
            deflated = Deflate(data, CompressionLevel.NoCompression);
        }

        var blockLength = Bgzf.StandardHeaderLength + deflated.Length + Bgzf.FooterLength;
        Span<byte> header =
        [
            0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, (byte)'B', (byte)'C', 0x02, 0x00, 0x00, 0x00,
        ];
        BinaryPrimitives.WriteUInt16LittleEndian(header[16..], (ushort)(blockLength - 1));
        output.Write(header);
        output.Write(deflated);
        Span<byte> footer = stackalloc byte[Bgzf.FooterLength];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32.Compute(data));
        BinaryPrimitives.WriteUInt32LittleEndian(footer[4..], (uint)data.Length);
        output.Write(footer);
    }

    private static byte[] Deflate(ReadOnlySpan<byte> data, CompressionLevel level)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, level, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return buffer.ToArray();
    }
}
