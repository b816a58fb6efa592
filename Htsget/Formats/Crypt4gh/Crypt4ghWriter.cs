using System.Security.Cryptography;

namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>Encrypts a whole plaintext stream as a Crypt4GH v1 file for one reader, one segment in memory at a time.</summary>
public static class Crypt4ghWriter
{
    /// <summary>Writes header then segments to <paramref name="output"/> under a fresh data key; returns the plaintext length.</summary>
    public static long Encrypt(Stream plaintext, Stream output, ReadOnlySpan<byte> recipientPublicKey, Crypt4ghKeyPair? writer = null)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(output);
        var dataKey = RandomNumberGenerator.GetBytes(Crypt4ghCipher.KeyLength);
        try
        {
            Crypt4ghHeader.Write(output, recipientPublicKey, [dataKey], writer: writer);
            var segment = new byte[Crypt4ghSegments.PlaintextSegmentLength];
            var encrypted = new byte[Crypt4ghSegments.EncryptedSegmentLength];
            long total = 0;
            int read;
            while ((read = plaintext.ReadAtLeast(segment, segment.Length, throwOnEndOfStream: false)) > 0)
            {
                var written = Crypt4ghSegments.Encrypt(dataKey, segment.AsSpan(0, read), encrypted);
                output.Write(encrypted, 0, written);
                total += read;
            }

            CryptographicOperations.ZeroMemory(segment);
            return total;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }
}
