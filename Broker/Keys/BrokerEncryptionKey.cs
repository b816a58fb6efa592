using System.Security.Cryptography;
using System.Text;
using GenomeNode.Storage;

namespace GenomeNode.Broker.Keys;

/// <summary>
/// The broker's own secret (authorization codes and refresh tokens are encrypted with a key derived from it, and the
/// upstream client's state tokens signed): 32 random bytes, base64 on one line, in a file readable by the node's user
/// only. Created on first use; a concurrent creator never overwrites a key another process already wrote.
/// </summary>
internal static class BrokerEncryptionKey
{
    public const string DefaultFileName = "broker-encryption.key";
    private const int KeyLength = 32;

    public static byte[] LoadOrCreate(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            Create(path);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException error)
        {
            throw new InvalidDataException($"The broker key {path} is not base64 text.", error);
        }

        return key.Length == KeyLength
            ? key
            : throw new InvalidDataException($"The broker key {path} holds {key.Length} bytes; {KeyLength} are needed.");
    }

    /// <summary>A key for one purpose, derived from the file's secret (HKDF-SHA256), so no two uses share a key.</summary>
    public static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyLength, salt: [], info: Encoding.UTF8.GetBytes("genome-node broker " + purpose));

    private static void Create(string path)
    {
        OwnerOnly.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, OwnerOnly.NewFile(FileMode.CreateNew)))
            using (var writer = new StreamWriter(file))
            {
                writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyLength)));
            }

            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created the key first: use that one.
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
