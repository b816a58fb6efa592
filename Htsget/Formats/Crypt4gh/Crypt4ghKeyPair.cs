using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>An X25519 key pair as Crypt4GH uses it: 32-byte secret and 32-byte public key.</summary>
public sealed class Crypt4ghKeyPair
{
    public const int KeyLength = 32;

    private readonly byte[] _privateKey;
    private readonly byte[] _publicKey;

    private Crypt4ghKeyPair(byte[] privateKey, byte[] publicKey)
    {
        _privateKey = privateKey;
        _publicKey = publicKey;
    }

    /// <summary>The secret key; whoever holds it reads every file encrypted to <see cref="PublicKey"/>.</summary>
    public ReadOnlySpan<byte> PrivateKey => _privateKey;

    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public static Crypt4ghKeyPair Generate()
    {
        var privateKey = RandomNumberGenerator.GetBytes(KeyLength);
        return FromPrivateKey(privateKey);
    }

    /// <summary>The key pair of a secret key read from a key file; the public key is derived from it.</summary>
    public static Crypt4ghKeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new Crypt4ghException($"An X25519 secret key is {KeyLength} bytes, not {privateKey.Length}");
        }

        var copy = privateKey.ToArray();
        var publicKey = new X25519PrivateKeyParameters(copy).GeneratePublicKey().GetEncoded();
        return new Crypt4ghKeyPair(copy, publicKey);
    }
}
