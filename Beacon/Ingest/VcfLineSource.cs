using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Reads a plain or gzip/bgzip-compressed text file as chunks of whole lines. A second thread decompresses (and
/// hashes the file's bytes with SHA-256) while the caller parses the previous chunk, so ingest uses both cores.
/// </summary>
/// <remarks>
/// The chunk buffers are a small fixed set passed back and forth between the two threads, so their pages are
/// touched once: a fresh 4 MB buffer per chunk cost a page fault per 4 KB of text, more CPU than the inflating.
/// </remarks>
internal sealed class VcfLineSource : IDisposable
{
    /// <summary>Half a MB: smaller buffers fault less, and the parser still never waits (measured with 256 KB to 4 MB).</summary>
    internal const int DefaultChunkSize = 1 << 19;

    private readonly BlockingCollection<(byte[] Buffer, int Length)> full = new();
    private readonly BlockingCollection<byte[]> free = new();
    private readonly int chunkSize;
    private readonly int bufferLimit;
    private readonly FileStream file;
    private readonly HashingStream hashing;
    private readonly Thread reader;
    private readonly CancellationTokenSource stop = new();
    private int buffers; // the reader's alone
    private Exception? failure;
    private byte[]? current;

    /// <param name="path">The file.</param>
    /// <param name="aheadChunks">How many chunks may be read ahead of the parser.</param>
    /// <param name="chunkSize">Bytes per chunk (a longer line gets a larger one).</param>
    public VcfLineSource(string path, int aheadChunks = 4, int chunkSize = DefaultChunkSize)
    {
        this.chunkSize = chunkSize;
        // One chunk being parsed, one being filled, the rest queued.
        bufferLimit = aheadChunks + 2;
        file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        TotalBytes = file.Length;
        var magic = new byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        hashing = new HashingStream(file, gzip ? new BgzfFraming() : null);
        ITextReader text = gzip
            ? new StreamText(new GZipStream(hashing, CompressionMode.Decompress, leaveOpen: true), owned: true)
            : new StreamText(hashing, owned: false);
        reader = new Thread(() => Produce(text)) { IsBackground = true, Name = "vcf-decompress" };
        reader.Start();
    }

    public long TotalBytes { get; }

    public long BytesRead => hashing.BytesRead;

    /// <summary>The SHA-256 of the file's bytes; valid once every chunk was read.</summary>
    public string Sha256 => Convert.ToHexStringLower(hashing.Hash());

    /// <summary>The next chunk of whole lines (the last one may lack its newline), or false at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryNext(out ReadOnlyMemory<byte> chunk)
    {
        if (current is not null)
        {
            free.Add(current);
            current = null;
        }

        if (full.TryTake(out var next, Timeout.Infinite))
        {
            current = next.Buffer;
            chunk = next.Buffer.AsMemory(0, next.Length);
            return true;
        }

        if (failure is not null)
        {
            throw new IOException(failure.Message, failure);
        }

        chunk = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Produce(ITextReader text)
    {
        try
        {
            // The partial line at the end of a chunk, moved to the start of the next.
            var carry = new byte[4096];
            var carryLength = 0;
            while (true)
            {
                var buffer = NextBuffer();
                if (buffer.Length < carryLength * 2)
                {
                    buffer = GC.AllocateUninitializedArray<byte>(carryLength * 2);
                }

                carry.AsSpan(0, carryLength).CopyTo(buffer);
                var length = carryLength;
                var lastNewline = -1;
                while (true)
                {
                    var read = text.Read(buffer.AsSpan(length));
                    if (read > 0)
                    {
                        length += read;
                        continue;
                    }

                    if (text.Ended)
                    {
                        break;
                    }

                    // Full.
                    lastNewline = buffer.AsSpan(0, length).LastIndexOf((byte)'\n');
                    if (lastNewline >= 0)
                    {
                        break;
                    }

                    // A line longer than the buffer: grow and keep reading.
                    var larger = GC.AllocateUninitializedArray<byte>(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    buffer = larger;
                }

                if (text.Ended)
                {
                    // GZipStream stops reading at bytes after a member that are no member, and ignores them.
                    if (hashing.ReadToEnd() > 0)
                    {
                        throw new InvalidDataException("the bytes after the last gzip member are no gzip member");
                    }

                    if (length > 0)
                    {
                        full.Add((buffer, length), stop.Token);
                    }

                    break;
                }

                carryLength = length - lastNewline - 1;
                if (carry.Length < carryLength)
                {
                    carry = new byte[carryLength * 2];
                }

                buffer.AsSpan(lastNewline + 1, carryLength).CopyTo(carry);
                full.Add((buffer, lastNewline + 1), stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception error) when (error is IOException or InvalidDataException)
        {
            failure = error;
        }
        finally
        {
            (text as IDisposable)?.Dispose();
            full.CompleteAdding();
        }
    }

    /// <summary>A buffer the parser gave back, else a new one while fewer than the limit exist, else waits.</summary>
    private byte[] NextBuffer()
    {
        if (free.TryTake(out var buffer))
        {
            return buffer;
        }

        if (buffers < bufferLimit)
        {
            buffers++;
            return GC.AllocateUninitializedArray<byte>(chunkSize);
        }

        return free.Take(stop.Token);
    }

    public void Dispose()
    {
        stop.Cancel();
        reader.Join();
        file.Dispose();
        hashing.Dispose();
        full.Dispose();
        free.Dispose();
        stop.Dispose();
    }

    /// <summary>Decompressed text, written into the caller's chunk.</summary>
    private interface ITextReader
    {
        /// <summary>True once <see cref="Read"/> found the end of the file.</summary>
        bool Ended { get; }

        /// <summary>Bytes written to <paramref name="target"/>; 0 at the end, or when the next unit does not fit.</summary>
        int Read(Span<byte> target);
    }

    private sealed class StreamText(Stream stream, bool owned) : ITextReader, IDisposable
    {
        public bool Ended { get; private set; }

        public int Read(Span<byte> target)
        {
            var read = stream.Read(target);
            Ended = read == 0 && target.Length > 0;
            return read;
        }

        public void Dispose()
        {
            if (owned)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>
    /// Walks a BGZF file's blocks by their BSIZE as the bytes go by, because GZipStream takes a file cut inside a
    /// block as a short one and ignores bytes after the last member. After a plain gzip member the walk stops (only
    /// inflating finds its end).
    /// </summary>
    private sealed class BgzfFraming
    {
        private const int HeaderLength = 18;
        private readonly byte[] header = new byte[HeaderLength];
        private int headerRead;
        private long offset;
        private long block;
        private long next;
        private bool plain;

        public void Follow(ReadOnlySpan<byte> bytes)
        {
            while (!plain && !bytes.IsEmpty)
            {
                if (offset < next)
                {
                    var skip = (int)Math.Min(next - offset, bytes.Length);
                    bytes = bytes[skip..];
                    offset += skip;
                    continue;
                }

                var take = Math.Min(HeaderLength - headerRead, bytes.Length);
                bytes[..take].CopyTo(header.AsSpan(headerRead));
                headerRead += take;
                bytes = bytes[take..];
                offset += take;
                if (!IsGzip(header.AsSpan(0, headerRead)))
                {
                    throw new InvalidDataException($"the bytes at {next} are no gzip member");
                }

                if (headerRead < HeaderLength)
                {
                    continue;
                }

                // BGZF: FEXTRA with XLEN 6 holding just the BC subfield, whose BSIZE is the block's length - 1.
                var bgzf = (header[3] & 4) != 0 && header[10] == 6 && header[11] == 0 && header[12] == (byte)'B' && header[13] == (byte)'C'
                    && header[14] == 2 && header[15] == 0;
                plain = !bgzf;
                block = next;
                next += BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(16)) + 1;
                headerRead = 0;
            }
        }

        public void End()
        {
            if (!plain && (headerRead > 0 || offset < next))
            {
                throw new InvalidDataException($"the file ends inside the BGZF block at byte {(headerRead > 0 ? next : block)} (truncated?)");
            }
        }

        /// <summary>Whether <paramref name="start"/> begins like a gzip member (ID1, ID2, CM deflate).</summary>
        private static bool IsGzip(ReadOnlySpan<byte> start) => ((ReadOnlySpan<byte>)[0x1f, 0x8b, 8]).StartsWith(start[..Math.Min(start.Length, 3)]);
    }

    /// <summary>Passes reads through while hashing them (and following the BGZF blocks, if any).</summary>
    private sealed class HashingStream(Stream inner, BgzfFraming? framing) : Stream
    {
        private readonly IncrementalHash sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long bytesRead;

        public long BytesRead => Interlocked.Read(ref bytesRead);

        public byte[] Hash() => sha.GetHashAndReset();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            sha.AppendData(buffer[..read]);
            if (read > 0)
            {
                framing?.Follow(buffer[..read]);
            }
            else if (!buffer.IsEmpty)
            {
                framing?.End();
            }

            Interlocked.Add(ref bytesRead, read);
            return read;
        }

        /// <summary>Hashes the rest of the file; returns its length.</summary>
        public long ReadToEnd()
        {
            Span<byte> buffer = stackalloc byte[4096];
            var before = BytesRead;
            while (Read(buffer) > 0)
            {
            }

            return BytesRead - before;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
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
                sha.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
