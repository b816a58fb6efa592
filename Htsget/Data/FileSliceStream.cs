namespace GenomeNode.Htsget.Data;

/// <summary>
/// A read-only, seekable view of [offset, offset + length) of a file (or of a seekable view of one, such as a
/// Crypt4GH file's plaintext): position 0 is the slice's first byte and nothing outside the slice can be read, so
/// HTTP range processing over it stays within the ticketed bytes.
/// </summary>
public sealed class FileSliceStream : Stream
{
    private readonly Stream file;
    private readonly long offset;
    private readonly long length;
    private long position;

    public FileSliceStream(Stream file, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    /// <summary>Told the count of every read that returned bytes (the node's streamed-bytes metric).</summary>
    public Action<long>? BytesRead { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Available(buffer.Length);
        if (count == 0)
        {
            return 0;
        }

        int read;
        if (file is FileStream plain)
        {
            read = RandomAccess.Read(plain.SafeFileHandle, buffer[..count], offset + position);
        }
        else
        {
            file.Position = offset + position;
            read = file.Read(buffer[..count]);
        }

        position += read;
        BytesRead?.Invoke(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = Available(buffer.Length);
        if (count == 0)
        {
            return 0;
        }

        int read;
        if (file is FileStream plain)
        {
            read = await RandomAccess.ReadAsync(plain.SafeFileHandle, buffer[..count], offset + position, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            file.Position = offset + position;
            read = file.Read(buffer[..count].Span);
        }

        position += read;
        BytesRead?.Invoke(read);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Available(int wanted) => (int)Math.Min(wanted, Math.Max(0, length - position));
}
