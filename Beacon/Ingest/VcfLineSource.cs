using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Reads a plain or gzip/bgzip-compressed text file as chunks of whole lines. A second thread decompresses (and
/// hashes the file's bytes with SHA-256) while the caller parses the previous chunk, so ingest uses both cores.
/// </summary>
internal sealed class VcfLineSource : IDisposable
{
    private const int ChunkSize = 1 << 22;

    private readonly BlockingCollection<(byte[] Buffer, int Length)> chunks;
    private readonly FileStream file;
    private readonly HashingStream hashing;
    private readonly Thread reader;
    private readonly CancellationTokenSource stop = new();
    private Exception? failure;
    private byte[]? current;

    /// <param name="path">The file.</param>
    /// <param name="aheadChunks">How many chunks (of 4 MB) may be read ahead of the parser.</param>
    public VcfLineSource(string path, int aheadChunks = 4)
    {
        chunks = new BlockingCollection<(byte[] Buffer, int Length)>(aheadChunks);
        file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        TotalBytes = file.Length;
        hashing = new HashingStream(file);
        var magic = new byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        Stream text = gzip ? new GZipStream(hashing, CompressionMode.Decompress, leaveOpen: true) : hashing;
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
            ArrayPool<byte>.Shared.Return(current);
            current = null;
        }

        if (chunks.TryTake(out var next, Timeout.Infinite))
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
    private void Produce(Stream text)
    {
        try
        {
            var carry = Array.Empty<byte>();
            var carryLength = 0;
            while (!stop.IsCancellationRequested)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, carryLength * 2));
                carry.AsSpan(0, carryLength).CopyTo(buffer);
                var length = carryLength;
                var ended = false;
                while (length < buffer.Length)
                {
                    var read = text.Read(buffer, length, buffer.Length - length);
                    if (read == 0)
                    {
                        ended = true;
                        break;
                    }

                    length += read;
                }

                if (carry.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(carry);
                }

                if (ended)
                {
                    carry = [];
                    carryLength = 0;
                    if (length > 0)
                    {
                        chunks.Add((buffer, length), stop.Token);
                    }

                    break;
                }

                var lastNewline = buffer.AsSpan(0, length).LastIndexOf((byte)'\n');
                if (lastNewline < 0)
                {
                    // A line longer than the buffer: grow and keep reading.
                    carry = buffer;
                    carryLength = length;
                    continue;
                }

                carryLength = length - lastNewline - 1;
                carry = ArrayPool<byte>.Shared.Rent(Math.Max(carryLength, 1));
                buffer.AsSpan(lastNewline + 1, carryLength).CopyTo(carry);
                chunks.Add((buffer, lastNewline + 1), stop.Token);
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
            chunks.CompleteAdding();
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        while (chunks.TryTake(out var pending))
        {
            ArrayPool<byte>.Shared.Return(pending.Buffer);
        }

        reader.Join();
        while (chunks.TryTake(out var pending))
        {
            ArrayPool<byte>.Shared.Return(pending.Buffer);
        }

        file.Dispose();
        hashing.Dispose();
        chunks.Dispose();
        stop.Dispose();
    }

    /// <summary>Passes reads through while hashing them.</summary>
    private sealed class HashingStream(Stream inner) : Stream
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
            Interlocked.Add(ref bytesRead, read);
            return read;
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
