using System.Buffers.Binary;
using System.Text;

namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>
/// The key files of the reference tools (crypt4gh-keygen): a public key is the base64 of its 32 bytes between
/// CRYPT4GH PUBLIC KEY armour lines; a secret key is the base64 of "c4gh-v1", then length-prefixed (big-endian
/// uint16) strings: kdf name, [kdf options], cipher name, key material, [comment]. Only unprotected secret keys
/// (kdf "none", cipher "none") are read; passphrase-protected ones are refused.
/// </summary>
public static class Crypt4ghKeyFiles
{
    public const string PublicKeyLabel = "CRYPT4GH PUBLIC KEY";
    public const string PrivateKeyLabel = "CRYPT4GH PRIVATE KEY";

    private static readonly byte[] PrivateKeyMagic = "c4gh-v1"u8.ToArray();
    private static readonly byte[] None = "none"u8.ToArray();

    public static string WritePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Crypt4ghKeyPair.KeyLength)
        {
            throw new ArgumentException($"An X25519 public key is {Crypt4ghKeyPair.KeyLength} bytes", nameof(publicKey));
        }

        return Armour(PublicKeyLabel, publicKey);
    }

    public static byte[] ReadPublicKey(string text)
    {
        var key = Unarmour(text, PublicKeyLabel);
        if (key.Length != Crypt4ghKeyPair.KeyLength)
        {
            throw new Crypt4ghException($"A Crypt4GH public key holds {Crypt4ghKeyPair.KeyLength} bytes, this one {key.Length}");
        }

        return key;
    }

    /// <summary>An unprotected secret key file (kdf and cipher "none"), as `crypt4gh-keygen --nocrypt` writes it.</summary>
    public static string WritePrivateKey(Crypt4ghKeyPair keyPair, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        using var blob = new MemoryStream();
        blob.Write(PrivateKeyMagic);
        WriteString(blob, None);
        WriteString(blob, None);
        WriteString(blob, keyPair.PrivateKey);
        if (comment is not null)
        {
            WriteString(blob, Encoding.UTF8.GetBytes(comment));
        }

        return Armour(PrivateKeyLabel, blob.ToArray());
    }

    public static Crypt4ghKeyPair ReadPrivateKey(string text)
    {
        var blob = Unarmour(text, PrivateKeyLabel);
        if (!blob.AsSpan().StartsWith(PrivateKeyMagic))
        {
            throw new Crypt4ghException("Not a Crypt4GH secret key: it does not start with c4gh-v1");
        }

        var position = PrivateKeyMagic.Length;
        var kdf = ReadString(blob, ref position);
        if (!kdf.SequenceEqual(None))
        {
            throw new Crypt4ghException(
                $"The secret key is protected by a passphrase (kdf {Encoding.ASCII.GetString(kdf)}); this node reads unprotected keys only (crypt4gh-keygen --nocrypt)");
        }

        var cipher = ReadString(blob, ref position);
        if (!cipher.SequenceEqual(None))
        {
            throw new Crypt4ghException($"The secret key is encrypted with {Encoding.ASCII.GetString(cipher)} but names no kdf");
        }

        var key = ReadString(blob, ref position);
        if (key.Length != Crypt4ghKeyPair.KeyLength)
        {
            throw new Crypt4ghException($"A Crypt4GH secret key holds {Crypt4ghKeyPair.KeyLength} bytes, this one {key.Length}");
        }

        return Crypt4ghKeyPair.FromPrivateKey(key);
    }

    private static string Armour(string label, ReadOnlySpan<byte> content) =>
        $"-----BEGIN {label}-----\n{Convert.ToBase64String(content)}\n-----END {label}-----\n";

    private static byte[] Unarmour(string text, string label)
    {
        ArgumentNullException.ThrowIfNull(text);
        var begin = $"-----BEGIN {label}-----";
        var end = $"-----END {label}-----";
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 3 || lines[0] != begin || lines[^1] != end)
        {
            throw new Crypt4ghException($"Not a Crypt4GH key file: expected {begin} ... {end}");
        }

        try
        {
            return Convert.FromBase64String(string.Concat(lines[1..^1]));
        }
        catch (FormatException exception)
        {
            throw new Crypt4ghException("The key file's content is not base64", exception);
        }
    }

    private static void WriteString(Stream stream, ReadOnlySpan<byte> value)
    {
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)value.Length));
        stream.Write(length);
        stream.Write(value);
    }

    private static byte[] ReadString(byte[] blob, ref int position)
    {
        if (blob.Length - position < 2)
        {
            throw new Crypt4ghException("The secret key file ends early");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(blob.AsSpan(position));
        position += 2;
        if (blob.Length - position < length)
        {
            throw new Crypt4ghException("The secret key file ends early");
        }

        var value = blob.AsSpan(position, length).ToArray();
        position += length;
        return value;
    }
}
