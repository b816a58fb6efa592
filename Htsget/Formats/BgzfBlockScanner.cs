using System.Buffers.Binary;

namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Lists the blocks of a BGZF file from their headers and ISIZE footers alone: it seeks over the compressed data
/// and never inflates, so listing a large file costs two small reads per block.
/// </summary>
public static class BgzfBlockScanner
{
    /// <summary>
    /// Yields every block from offset 0 to the end of the stream, lazily. Throws <see cref="HtsFormatException"/>
    /// with the block's offset when the data is not BGZF or a block runs past the end of the file.
    /// </summary>
    public static IEnumerable<BgzfBlock> Scan(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("Listing BGZF blocks needs a readable, seekable stream.", nameof(stream));
        }

        return ScanFrom(stream);
    }

    /// <summary>Reads the header and footer of the block that starts at <paramref name="offset"/>.</summary>
    public static BgzfBlock ReadBlockAt(Stream stream, long offset)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadBlock(stream, offset, stream.Length, new byte[Bgzf.StandardHeaderLength]);
    }

    private static IEnumerable<BgzfBlock> ScanFrom(Stream stream)
    {
        var length = stream.Length;
        var buffer = new byte[Bgzf.StandardHeaderLength];
        for (var offset = 0L; offset < length;)
        {
            var block = ReadBlock(stream, offset, length, buffer);
            yield return block;
            offset = block.CompressedEnd;
        }
    }

    private static BgzfBlock ReadBlock(Stream stream, long offset, long fileLength, byte[] buffer)
    {
        stream.Position = offset;
        var fixedHeader = buffer.AsSpan(0, Bgzf.FixedHeaderLength);
        if (stream.ReadAtLeast(fixedHeader, fixedHeader.Length, throwOnEndOfStream: false) < fixedHeader.Length)
        {
            throw new HtsFormatException("Truncated BGZF file: incomplete block header", offset);
        }

        var headerLength = Bgzf.FixedHeaderLength + BgzfBlockHeader.ReadExtraLength(fixedHeader, offset);
        var header = headerLength <= buffer.Length ? buffer : new byte[headerLength];
        buffer.AsSpan(0, Bgzf.FixedHeaderLength).CopyTo(header);
        if (stream.ReadAtLeast(header.AsSpan(Bgzf.FixedHeaderLength, headerLength - Bgzf.FixedHeaderLength),
                headerLength - Bgzf.FixedHeaderLength, throwOnEndOfStream: false) < headerLength - Bgzf.FixedHeaderLength)
        {
            throw new HtsFormatException("Truncated BGZF file: incomplete block header", offset);
        }

        var parsed = BgzfBlockHeader.Parse(header.AsSpan(0, headerLength), offset);
        if (offset + parsed.BlockLength > fileLength)
        {
            throw new HtsFormatException(
                $"Truncated BGZF file: block of {parsed.BlockLength} bytes ends past the end of the file ({fileLength} bytes)",
                offset);
        }

        Span<byte> isize = stackalloc byte[4];
        stream.Position = offset + parsed.BlockLength - isize.Length;
        stream.ReadExactly(isize);
        var uncompressedSize = BinaryPrimitives.ReadUInt32LittleEndian(isize);
        if (uncompressedSize > Bgzf.MaxBlockLength)
        {
            throw new HtsFormatException($"BGZF block claims {uncompressedSize} uncompressed bytes, more than 64 KiB", offset);
        }

        return new BgzfBlock(offset, parsed.BlockLength, (int)uncompressedSize);
    }
}
