namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Reads the uncompressed data of a BGZF file one block at a time (so memory stays at two 64 KiB buffers) and
/// tells the <see cref="VirtualOffset"/> of the next byte, which is what indexes and header locations are made of.
/// </summary>
public sealed class BgzfReadStream : Stream
{
    private readonly Stream inner;
    private readonly bool leaveOpen;
    private readonly byte[] compressed = new byte[Bgzf.MaxBlockLength];
    private readonly byte[] data = new byte[Bgzf.MaxBlockLength];
    private long blockOffset;
    private int blockLength;
    private int dataLength;
    private int dataPosition;
    private bool atEndOfFile;

    public BgzfReadStream(Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanSeek || !inner.CanRead)
        {
            throw new ArgumentException("Reading BGZF needs a readable, seekable stream.", nameof(inner));
        }

        this.inner = inner;
        this.leaveOpen = leaveOpen;
    }

    /// <summary>
    /// Virtual offset of the next byte to read. Once a block is used up this points at the start of the next block,
    /// (next, 0), as htslib reports it, never at (block, length).
    /// </summary>
    public VirtualOffset VirtualPosition => dataPosition < dataLength || atEndOfFile
        ? new VirtualOffset(blockOffset, dataPosition)
        : new VirtualOffset(blockOffset + blockLength, 0);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Moves to a virtual offset, typically one taken from an index or from <see cref="VirtualPosition"/>.</summary>
    public void Seek(VirtualOffset offset)
    {
        if (offset.CompressedOffset != blockOffset || blockLength == 0)
        {
            LoadBlock(offset.CompressedOffset);
        }

        if (offset.UncompressedOffset > dataLength)
        {
            throw new HtsFormatException(
                $"Virtual offset {offset} points past the {dataLength} bytes of its block", offset.CompressedOffset);
        }

        dataPosition = offset.UncompressedOffset;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || !EnsureData())
        {
            return 0;
        }

        var count = Math.Min(buffer.Length, dataLength - dataPosition);
        data.AsSpan(dataPosition, count).CopyTo(buffer);
        dataPosition += count;
        return count;
    }

    public override int ReadByte() => EnsureData() ? data[dataPosition++] : -1;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // Moves on past used-up and empty blocks; false at the end of the file.
    private bool EnsureData()
    {
        while (dataPosition == dataLength)
        {
            if (atEndOfFile)
            {
                return false;
            }

            LoadBlock(blockOffset + blockLength);
        }

        return true;
    }

    private void LoadBlock(long offset)
    {
        var length = BgzfBlockInflater.ReadRawBlock(inner, offset, compressed);
        blockOffset = offset;
        blockLength = length;
        dataPosition = 0;
        atEndOfFile = length == 0;
        dataLength = atEndOfFile ? 0 : BgzfBlockInflater.Inflate(compressed, length, offset, data);
    }
}
