namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>
/// A read-only, seekable plaintext view of a Crypt4GH file without an edit list: position p is plaintext byte p, read
/// by authenticating and decrypting the one segment that holds it (the last segment read is kept, so sequential and
/// nearby reads decrypt each segment once). Registration parses a stored .c4gh file through it, and data URLs serve
/// plaintext slices from it. A segment that fails authentication throws <see cref="Crypt4ghException"/> before any of
/// its bytes are returned.
/// </summary>
public sealed class Crypt4ghPlaintextStream : Stream
{
    private readonly Stream _file;
    private readonly long _dataOffset;
    private readonly IReadOnlyList<byte[]> _dataKeys;
    private readonly bool _leaveOpen;
    private readonly byte[] _encrypted = new byte[Crypt4ghSegments.EncryptedSegmentLength];
    private readonly byte[] _plaintext = new byte[Crypt4ghSegments.PlaintextSegmentLength];
    private long _loadedSegment = -1;
    private int _loadedLength;
    private long _position;

    /// <param name="file">The whole stored file (seekable).</param>
    /// <param name="header">Its header as read with the node's key; a header with an edit list is refused.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="file"/> open.</param>
    public Crypt4ghPlaintextStream(Stream file, Crypt4ghHeader header, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(header);
        if (!file.CanSeek)
        {
            throw new ArgumentException("The Crypt4GH file must be seekable", nameof(file));
        }

        if (header.EditList is not null)
        {
            throw new Crypt4ghException("This Crypt4GH file carries an edit list (it is a slice of another file); only whole files are stored");
        }

        _file = file;
        _dataOffset = header.Length;
        _dataKeys = header.DataKeys;
        _leaveOpen = leaveOpen;
        Length = Crypt4ghSegments.PlaintextLength(file.Length - header.Length);
    }

    /// <summary>Reads the header of <paramref name="file"/> with <paramref name="reader"/> and returns its plaintext view.</summary>
    public static Crypt4ghPlaintextStream Open(Stream file, Crypt4ghKeyPair reader, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Position = 0;
        return new Crypt4ghPlaintextStream(file, Crypt4ghHeader.Read(file, reader), leaveOpen);
    }

    /// <summary>True when <paramref name="file"/> starts with the Crypt4GH magic (its position is left where it was).</summary>
    public static bool IsCrypt4gh(Stream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var start = file.Position;
        Span<byte> magic = stackalloc byte[8];
        file.Position = 0;
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = start;
        return read == magic.Length && magic.SequenceEqual(Crypt4ghHeader.Magic);
    }

    /// <summary>Where the data section (the first segment) starts in the stored file.</summary>
    public long DataOffset => _dataOffset;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length && _position < Length)
        {
            var segment = _position / Crypt4ghSegments.PlaintextSegmentLength;
            Load(segment);
            var within = (int)(_position % Crypt4ghSegments.PlaintextSegmentLength);
            var count = Math.Min(buffer.Length - total, _loadedLength - within);
            _plaintext.AsSpan(within, count).CopyTo(buffer[total..]);
            total += count;
            _position += count;
        }

        return total;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
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
            Array.Clear(_plaintext);
            if (!_leaveOpen)
            {
                _file.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Load(long segment)
    {
        if (segment == _loadedSegment)
        {
            return;
        }

        _loadedSegment = -1;
        var encryptedOffset = segment * Crypt4ghSegments.EncryptedSegmentLength;
        var encryptedLength = (int)Math.Min(Crypt4ghSegments.EncryptedSegmentLength, _file.Length - _dataOffset - encryptedOffset);
        if (encryptedLength <= Crypt4ghSegments.Overhead)
        {
            // The file shrank under us (it was registered longer): no segment where one should be.
            throw new Crypt4ghException($"The Crypt4GH file ends before segment {segment}");
        }

        _file.Position = _dataOffset + encryptedOffset;
        _file.ReadExactly(_encrypted, 0, encryptedLength);
        _loadedLength = Crypt4ghSegments.Decrypt(_dataKeys, _encrypted.AsSpan(0, encryptedLength), _plaintext, segment);
        _loadedSegment = segment;
    }
}
