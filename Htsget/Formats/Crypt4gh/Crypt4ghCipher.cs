using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>The two Crypt4GH constructions over BouncyCastle's primitives: the X25519 + BLAKE2b shared key and IETF ChaCha20-Poly1305 with no AAD.</summary>
internal static class Crypt4ghCipher
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;
    public const int MacLength = 16;

    /// <summary>
    /// K_shared = first 32 bytes of BLAKE2b-512(X25519(own secret, peer public) || reader public || writer public)
    /// (the spec's header packet encryption; libsodium's crypto_kx with the reader as client). Null when the peer's
    /// key is a low-order point, whose agreement is all zeros and proves nothing.
    /// </summary>
    public static byte[]? SharedKey(Crypt4ghKeyPair own, ReadOnlySpan<byte> peerPublicKey, bool ownIsReader)
    {
        var secret = new byte[KeyLength];
        try
        {
            var agreement = new X25519Agreement();
            agreement.Init(new X25519PrivateKeyParameters(own.PrivateKey));
            agreement.CalculateAgreement(new X25519PublicKeyParameters(peerPublicKey), secret, 0);
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        var digest = new Blake2bDigest(512);
        digest.BlockUpdate(secret);
        digest.BlockUpdate(ownIsReader ? own.PublicKey : peerPublicKey);
        digest.BlockUpdate(ownIsReader ? peerPublicKey : own.PublicKey);
        Span<byte> hash = stackalloc byte[64];
        digest.DoFinal(hash);
        Array.Clear(secret);
        return hash[..KeyLength].ToArray();
    }

    /// <summary>True when <paramref name="publicKey"/> is 32 bytes and not a low-order point (a header can be written to it).</summary>
    public static bool IsUsablePublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == KeyLength && SharedKey(Crypt4ghKeyPair.Generate(), publicKey, ownIsReader: false) is not null;

    /// <summary>Writes ciphertext || MAC (plaintext length + 16 bytes) to <paramref name="destination"/>.</summary>
    public static int Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (System.Security.Cryptography.ChaCha20Poly1305.IsSupported)
        {
            // The platform's (OpenSSL's) implementation: several times faster on bulk segments than the managed one.
            using var platform = new System.Security.Cryptography.ChaCha20Poly1305(key);
            platform.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, MacLength));
            return plaintext.Length + MacLength;
        }

        var cipher = Init(key, nonce, forEncryption: true);
        var written = cipher.ProcessBytes(plaintext, destination);
        return written + cipher.DoFinal(destination[written..]);
    }

    /// <summary>
    /// Authenticates and decrypts ciphertext || MAC into <paramref name="destination"/>; false (and the destination
    /// cleared) when the MAC does not match, so no unauthenticated byte is ever left to use.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, Span<byte> destination)
    {
        var plaintextLength = sealedData.Length - MacLength;
        if (plaintextLength < 0)
        {
            return false;
        }

        if (System.Security.Cryptography.ChaCha20Poly1305.IsSupported)
        {
            using var platform = new System.Security.Cryptography.ChaCha20Poly1305(key);
            try
            {
                platform.Decrypt(nonce, sealedData[..plaintextLength], sealedData[plaintextLength..], destination[..plaintextLength]);
                return true;
            }
            catch (System.Security.Cryptography.AuthenticationTagMismatchException)
            {
                // The platform clears the destination itself on a mismatch.
                return false;
            }
        }

        var cipher = Init(key, nonce, forEncryption: false);
        try
        {
            var written = cipher.ProcessBytes(sealedData, destination);
            cipher.DoFinal(destination[written..]);
            return true;
        }
        catch (InvalidCipherTextException)
        {
            destination[..plaintextLength].Clear();
            return false;
        }
    }

    private static ChaCha20Poly1305 Init(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, bool forEncryption)
    {
        var cipher = new ChaCha20Poly1305();
        cipher.Init(forEncryption, new AeadParameters(new KeyParameter(key), MacLength * 8, nonce.ToArray()));
        return cipher;
    }
}
