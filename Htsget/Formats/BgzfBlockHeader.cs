using System.Buffers.Binary;

namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The gzip header of one BGZF block: the total block size from the BC extra subfield (BSIZE + 1) and the length of
/// the header itself, so that the compressed data starts at <see cref="HeaderLength"/>.
/// </summary>
public readonly record struct BgzfBlockHeader(int BlockLength, int HeaderLength)
{
    /// <summary>Bytes of deflate data between the header and the CRC32/ISIZE footer.</summary>
    public int CompressedDataLength => BlockLength - HeaderLength - Bgzf.FooterLength;

    /// <summary>
    /// Reads XLEN from the first 12 bytes of a block after checking the gzip magic, method and FEXTRA flag;
    /// the whole header is <see cref="Bgzf.FixedHeaderLength"/> + XLEN bytes long.
    /// </summary>
    public static int ReadExtraLength(ReadOnlySpan<byte> fixedHeader, long offset)
    {
        if (fixedHeader.Length < Bgzf.FixedHeaderLength)
        {
            throw new HtsFormatException("Truncated BGZF block header", offset);
        }

        if (fixedHeader[0] != 0x1f || fixedHeader[1] != 0x8b)
        {
            throw new HtsFormatException("Not a BGZF file: missing gzip magic", offset);
        }

        const byte deflate = 8, extraFieldFlag = 0x04;
        if (fixedHeader[2] != deflate || (fixedHeader[3] & extraFieldFlag) == 0)
        {
            throw new HtsFormatException("Not a BGZF block: gzip member without the extra field", offset);
        }

        return BinaryPrimitives.ReadUInt16LittleEndian(fixedHeader[10..]);
    }

    /// <summary>Parses a block header from bytes that start at the block and hold at least its whole header.</summary>
    public static BgzfBlockHeader Parse(ReadOnlySpan<byte> bytes, long offset)
    {
        var extraLength = ReadExtraLength(bytes, offset);
        var headerLength = Bgzf.FixedHeaderLength + extraLength;
        if (bytes.Length < headerLength)
        {
            throw new HtsFormatException("Truncated BGZF block header", offset);
        }

        var blockLength = FindBlockLength(bytes[Bgzf.FixedHeaderLength..headerLength], offset);
        if (blockLength < headerLength + Bgzf.FooterLength)
        {
            throw new HtsFormatException($"BGZF block size {blockLength} is smaller than its header and footer", offset);
        }

        return new BgzfBlockHeader(blockLength, headerLength);
    }

    // The extra field is a list of (SI1, SI2, SLEN, data) subfields; BGZF's is 'B','C' with a 2-byte BSIZE.
    private static int FindBlockLength(ReadOnlySpan<byte> extra, long offset)
    {
        while (extra.Length >= 4)
        {
            var subfieldLength = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (extra.Length < 4 + subfieldLength)
            {
                break;
            }

            if (extra[0] == (byte)'B' && extra[1] == (byte)'C' && subfieldLength == 2)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(extra[4..]) + 1;
            }

            extra = extra[(4 + subfieldLength)..];
        }

        throw new HtsFormatException("Not a BGZF block: gzip extra field has no BC subfield", offset);
    }
}
