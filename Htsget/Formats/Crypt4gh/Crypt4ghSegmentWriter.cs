using System.Buffers;

namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>
/// Encrypts plaintext into Crypt4GH segments as it is copied to an output: one segment of plaintext held at a time.
/// A part of a larger stream pads its last segment to 64 KiB (the stream's edit list skips the padding), since only
/// a stream's very last segment may be short.
/// </summary>
public static class Crypt4ghSegmentWriter
{
    /// <summary>Bytes <see cref="CopyAsync"/> writes for <paramref name="plaintextLength"/> bytes of plaintext.</summary>
    public static long EncryptedLength(long plaintextLength, bool padLast) =>
        Crypt4ghSegments.EncryptedLength(padLast ? PaddedLength(plaintextLength) : plaintextLength);

    /// <summary>The plaintext length rounded up to whole segments.</summary>
    public static long PaddedLength(long plaintextLength)
    {
        const long segment = Crypt4ghSegments.PlaintextSegmentLength;
        return (plaintextLength + segment - 1) / segment * segment;
    }

    /// <summary>
    /// Reads <paramref name="length"/> bytes of <paramref name="plaintext"/> and writes them encrypted with
    /// <paramref name="dataKey"/>, each segment with a fresh random nonce.
    /// </summary>
    public static async Task CopyAsync(Stream plaintext, long length, byte[] dataKey, bool padLast, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(output);
        var plain = ArrayPool<byte>.Shared.Rent(Crypt4ghSegments.PlaintextSegmentLength);
        var sealedSegment = ArrayPool<byte>.Shared.Rent(Crypt4ghSegments.EncryptedSegmentLength);
        try
        {
            var left = length;
            while (left > 0)
            {
                var count = (int)Math.Min(left, Crypt4ghSegments.PlaintextSegmentLength);
                await plaintext.ReadExactlyAsync(plain.AsMemory(0, count), cancellationToken);
                left -= count;
                var segmentLength = count;
                if (left == 0 && padLast && count < Crypt4ghSegments.PlaintextSegmentLength)
                {
                    Array.Clear(plain, count, Crypt4ghSegments.PlaintextSegmentLength - count);
                    segmentLength = Crypt4ghSegments.PlaintextSegmentLength;
                }

                var written = Crypt4ghSegments.Encrypt(dataKey, plain.AsSpan(0, segmentLength), sealedSegment);
                await output.WriteAsync(sealedSegment.AsMemory(0, written), cancellationToken);
            }
        }
        finally
        {
            Array.Clear(plain, 0, Crypt4ghSegments.PlaintextSegmentLength);
            ArrayPool<byte>.Shared.Return(plain);
            ArrayPool<byte>.Shared.Return(sealedSegment);
        }
    }
}

/// <summary>Copies stored Crypt4GH segments as they are, authenticating each first: a tampered segment is never passed on.</summary>
public static class Crypt4ghVerifiedCopy
{
    /// <summary>
    /// Copies <paramref name="length"/> bytes of whole stored segments from <paramref name="segments"/> (positioned at a
    /// segment's start) to <paramref name="output"/>, each after its MAC checks under one of <paramref name="dataKeys"/>.
    /// </summary>
    public static async Task CopyAsync(Stream segments, long length, IReadOnlyList<byte[]> dataKeys, long firstSegment, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(output);
        var stored = ArrayPool<byte>.Shared.Rent(Crypt4ghSegments.EncryptedSegmentLength);
        var scratch = ArrayPool<byte>.Shared.Rent(Crypt4ghSegments.PlaintextSegmentLength);
        try
        {
            var left = length;
            var index = firstSegment;
            while (left > 0)
            {
                var count = (int)Math.Min(left, Crypt4ghSegments.EncryptedSegmentLength);
                await segments.ReadExactlyAsync(stored.AsMemory(0, count), cancellationToken);
                Crypt4ghSegments.Decrypt(dataKeys, stored.AsSpan(0, count), scratch, index++);
                await output.WriteAsync(stored.AsMemory(0, count), cancellationToken);
                left -= count;
            }
        }
        finally
        {
            Array.Clear(scratch, 0, Crypt4ghSegments.PlaintextSegmentLength);
            ArrayPool<byte>.Shared.Return(scratch);
            ArrayPool<byte>.Shared.Return(stored);
        }
    }
}
