using System.Buffers.Binary;
using System.IO.Compression;

namespace GenomeNode.Htsget.Formats;

/// <summary>Inflates single BGZF blocks: the raw deflate data between header and footer, checked against CRC32 and ISIZE.</summary>
public static class BgzfBlockInflater
{
    /// <summary>Reads the block that starts at <paramref name="offset"/> and returns its uncompressed data.</summary>
    public static byte[] InflateBlockAt(Stream stream, long offset)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var block = new byte[Bgzf.MaxBlockLength];
        var length = ReadRawBlock(stream, offset, block);
        if (length == 0)
        {
            throw new HtsFormatException("No BGZF block at the end of the file", offset);
        }

        var data = new byte[Bgzf.MaxBlockLength];
        var size = Inflate(block, length, offset, data);
        return data[..size];
    }

    /// <summary>Inflates a complete block (header to footer) into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Inflate(ReadOnlySpan<byte> block, long offset, Span<byte> destination)
    {
        var copy = block.ToArray();
        var data = new byte[Bgzf.MaxBlockLength];
        var size = Inflate(copy, copy.Length, offset, data);
        data.AsSpan(0, size).CopyTo(destination);
        return size;
    }

    /// <summary>
    /// Reads the raw bytes of the block at <paramref name="offset"/> into <paramref name="buffer"/> (64 KiB) and returns
    /// its length, or 0 when <paramref name="offset"/> is the end of the stream.
    /// </summary>
    internal static int ReadRawBlock(Stream stream, long offset, byte[] buffer)
    {
        stream.Position = offset;
        var read = stream.ReadAtLeast(buffer.AsSpan(0, Bgzf.FixedHeaderLength), Bgzf.FixedHeaderLength, throwOnEndOfStream: false);
        if (read == 0)
        {
            return 0;
        }

        if (read < Bgzf.FixedHeaderLength)
        {
            throw new HtsFormatException("Truncated BGZF file: incomplete block header", offset);
        }

        var headerLength = Bgzf.FixedHeaderLength + BgzfBlockHeader.ReadExtraLength(buffer, offset);
        if (headerLength > buffer.Length)
        {
            throw new HtsFormatException("BGZF block header is longer than a block", offset);
        }

        ReadExactlyOrThrow(stream, buffer.AsSpan(Bgzf.FixedHeaderLength, headerLength - Bgzf.FixedHeaderLength), offset);
        var header = BgzfBlockHeader.Parse(buffer.AsSpan(0, headerLength), offset);
        ReadExactlyOrThrow(stream, buffer.AsSpan(headerLength, header.BlockLength - headerLength), offset);
        return header.BlockLength;
    }

    internal static int Inflate(byte[] block, int blockLength, long offset, byte[] destination)
    {
        var header = BgzfBlockHeader.Parse(block.AsSpan(0, blockLength), offset);
        if (header.BlockLength != blockLength)
        {
            throw new HtsFormatException($"BGZF block says {header.BlockLength} bytes but {blockLength} were given", offset);
        }

        var footer = block.AsSpan(blockLength - Bgzf.FooterLength, Bgzf.FooterLength);
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(footer);
        var expectedSize = BinaryPrimitives.ReadUInt32LittleEndian(footer[4..]);
        if (expectedSize > destination.Length)
        {
            throw new HtsFormatException($"BGZF block claims {expectedSize} uncompressed bytes, more than 64 KiB", offset);
        }

        int size;
        try
        {
            using var compressed = new MemoryStream(block, header.HeaderLength, header.CompressedDataLength, writable: false);
            using var deflate = new DeflateStream(compressed, CompressionMode.Decompress);
            size = deflate.ReadAtLeast(destination.AsSpan(0, (int)expectedSize), (int)expectedSize, throwOnEndOfStream: false);
        }
        catch (InvalidDataException exception)
        {
            throw new HtsFormatException("Corrupt deflate data in BGZF block", offset, exception);
        }

        if (size != expectedSize)
        {
            throw new HtsFormatException($"BGZF block inflated to {size} bytes but ISIZE says {expectedSize}", offset);
        }

        if (Crc32.Compute(destination.AsSpan(0, size)) != expectedCrc)
        {
            throw new HtsFormatException("BGZF block fails its CRC32 check", offset);
        }

        return size;
    }

    private static void ReadExactlyOrThrow(Stream stream, Span<byte> destination, long offset)
    {
        if (stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) < destination.Length)
        {
            throw new HtsFormatException("Truncated BGZF file: block ends past the end of the file", offset);
        }
    }
}
