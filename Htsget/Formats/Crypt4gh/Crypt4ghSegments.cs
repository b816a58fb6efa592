using System.Security.Cryptography;

namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>
/// The data section: plaintext cut in 64 KiB segments, each stored as nonce(12) || ChaCha20-Poly1305 ciphertext ||
/// MAC(16), so a full segment is 65,564 bytes and only the last may be shorter.
/// </summary>
public static class Crypt4ghSegments
{
    public const int PlaintextSegmentLength = 65_536;
    public const int Overhead = Crypt4ghCipher.NonceLength + Crypt4ghCipher.MacLength;
    public const int EncryptedSegmentLength = PlaintextSegmentLength + Overhead;

    public static long EncryptedLength(long plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        var full = plaintextLength / PlaintextSegmentLength;
        var rest = plaintextLength % PlaintextSegmentLength;
        return (full * EncryptedSegmentLength) + (rest == 0 ? 0 : rest + Overhead);
    }

    /// <summary>The plaintext length of a data section of <paramref name="encryptedLength"/> bytes; refuses a length no segmentation gives.</summary>
    public static long PlaintextLength(long encryptedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(encryptedLength);
        var full = encryptedLength / EncryptedSegmentLength;
        var rest = encryptedLength % EncryptedSegmentLength;
        if (rest is > 0 and <= Overhead)
        {
            throw new Crypt4ghException($"A Crypt4GH data section of {encryptedLength} bytes ends in a truncated segment");
        }

        return (full * PlaintextSegmentLength) + (rest == 0 ? 0 : rest - Overhead);
    }

    /// <summary>Encrypts one segment (at most 64 KiB) with a fresh random nonce; returns the bytes written.</summary>
    public static int Encrypt(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (plaintext.Length is 0 or > PlaintextSegmentLength)
        {
            throw new ArgumentException($"A segment holds 1 to {PlaintextSegmentLength} bytes", nameof(plaintext));
        }

        var nonce = destination[..Crypt4ghCipher.NonceLength];
        RandomNumberGenerator.Fill(nonce);
        return Crypt4ghCipher.NonceLength + Crypt4ghCipher.Seal(dataKey, nonce, plaintext, destination[Crypt4ghCipher.NonceLength..]);
    }

    /// <summary>
    /// Authenticates and decrypts one stored segment with the first data key that authenticates it; returns the
    /// plaintext length. A segment no key authenticates is refused (tampered, truncated or not of this file).
    /// </summary>
    public static int Decrypt(IReadOnlyList<byte[]> dataKeys, ReadOnlySpan<byte> segment, Span<byte> destination, long segmentIndex)
    {
        ArgumentNullException.ThrowIfNull(dataKeys);
        if (segment.Length is <= Overhead or > EncryptedSegmentLength)
        {
            throw new Crypt4ghException($"Crypt4GH segment {segmentIndex} is {segment.Length} bytes, not {Overhead + 1} to {EncryptedSegmentLength}");
        }

        var nonce = segment[..Crypt4ghCipher.NonceLength];
        var sealedData = segment[Crypt4ghCipher.NonceLength..];
        foreach (var key in dataKeys)
        {
            if (Crypt4ghCipher.TryOpen(key, nonce, sealedData, destination))
            {
                return segment.Length - Overhead;
            }
        }

        throw new Crypt4ghException($"Crypt4GH segment {segmentIndex} fails authentication: it was altered or is not encrypted with this file's key");
    }
}
