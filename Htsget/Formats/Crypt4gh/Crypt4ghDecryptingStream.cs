namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>
/// A read-only, forward-only plaintext view of a Crypt4GH data section: it authenticates and decrypts one segment at
/// a time (never holding more than one segment of plaintext) and applies the header's edit list. A segment that
/// fails authentication throws <see cref="Crypt4ghException"/> before any of its bytes are returned.
/// </summary>
public sealed class Crypt4ghDecryptingStream : Stream
{
    private readonly Stream _segments;
    private readonly IReadOnlyList<byte[]> _dataKeys;
    private readonly IReadOnlyList<long> _editList;
    private readonly bool _leaveOpen;
    private readonly byte[] _encrypted = new byte[Crypt4ghSegments.EncryptedSegmentLength];
    private readonly byte[] _plaintext = new byte[Crypt4ghSegments.PlaintextSegmentLength];
    private int _plaintextOffset;
    private int _plaintextCount;
    private long _segmentIndex;
    private bool _endOfSegments;
    private int _editIndex;
    private long _skip;
    private long _keep;

    /// <param name="segments">Positioned at the first segment (just after the header).</param>
    /// <param name="dataKeys">The header's data keys.</param>
    /// <param name="editList">The header's edit list (alternating skip and keep lengths), or null for all of the plaintext.</param>
    /// <param name="leaveOpen">Whether disposing this stream leaves <paramref name="segments"/> open.</param>
    public Crypt4ghDecryptingStream(Stream segments, IReadOnlyList<byte[]> dataKeys, IReadOnlyList<long>? editList, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(dataKeys);
        _segments = segments;
        _dataKeys = dataKeys;
        _editList = editList ?? [0];
        _leaveOpen = leaveOpen;
        NextEdit();
    }

    /// <summary>Reads the header addressed to <paramref name="reader"/> and returns the plaintext after it.</summary>
    public static Crypt4ghDecryptingStream Open(Stream crypt4gh, Crypt4ghKeyPair reader, bool leaveOpen = false)
    {
        var header = Crypt4ghHeader.Read(crypt4gh, reader);
        return new Crypt4ghDecryptingStream(crypt4gh, header.DataKeys, header.EditList, leaveOpen);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            if (_skip == 0 && _keep == 0 && !NextEdit())
            {
                break;
            }

            if (_plaintextCount == 0 && !LoadSegment())
            {
                break;
            }

            if (_skip > 0)
            {
                var skipped = (int)Math.Min(_skip, _plaintextCount);
                Consume(skipped);
                _skip -= skipped;
                continue;
            }

            var copied = (int)Math.Min(Math.Min(_keep, _plaintextCount), buffer.Length - total);
            _plaintext.AsSpan(_plaintextOffset, copied).CopyTo(buffer[total..]);
            Consume(copied);
            _keep -= copied;
            total += copied;
        }

        return total;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Array.Clear(_plaintext);
            if (!_leaveOpen)
            {
                _segments.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Takes the next skip (and keep) from the edit list; a trailing skip keeps everything after it.</summary>
    private bool NextEdit()
    {
        if (_editIndex >= _editList.Count)
        {
            return false;
        }

        _skip = _editList[_editIndex++];
        _keep = _editIndex < _editList.Count ? _editList[_editIndex++] : long.MaxValue;
        return true;
    }

    private void Consume(int count)
    {
        _plaintextOffset += count;
        _plaintextCount -= count;
    }

    private bool LoadSegment()
    {
        if (_endOfSegments)
        {
            return false;
        }

        var read = _segments.ReadAtLeast(_encrypted, _encrypted.Length, throwOnEndOfStream: false);
        if (read < _encrypted.Length)
        {
            _endOfSegments = true;
        }

        if (read == 0)
        {
            return false;
        }

        _plaintextCount = Crypt4ghSegments.Decrypt(_dataKeys, _encrypted.AsSpan(0, read), _plaintext, _segmentIndex++);
        _plaintextOffset = 0;
        return true;
    }
}
