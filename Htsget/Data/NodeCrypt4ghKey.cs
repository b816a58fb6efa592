using System.Text;
using GenomeNode.Htsget.Formats.Crypt4gh;
using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget.Data;

/// <summary>
/// The node's Crypt4GH key pair (X25519), which files at rest are encrypted to: the secret key in
/// <see cref="HtsgetOptions.Crypt4ghKeyFile"/> (owner-only), the public key beside it (<c>.pub</c>) and at
/// <c>/.well-known/c4gh-recipient</c>. Created only by <c>genome-node keys c4gh init</c>, never implicitly: a node
/// without one serves plain files only.
/// </summary>
public sealed class NodeCrypt4ghKey(IOptions<HtsgetOptions> options)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly Lock gate = new();
    private Crypt4ghKeyPair? loaded;

    /// <summary>Where the secret key lives.</summary>
    public string SecretKeyPath => Path.GetFullPath(options.Value.Crypt4ghKeyFile
        ?? throw new InvalidOperationException($"{HtsgetOptions.Section}:Crypt4ghKeyFile is not set."));

    /// <summary>Where the public key lives.</summary>
    public string PublicKeyPath => Path.ChangeExtension(SecretKeyPath, ".pub");

    /// <summary>The key pair, or null while the node has none; a key file that cannot be read throws <see cref="Crypt4ghException"/>.</summary>
    public Crypt4ghKeyPair? Find()
    {
        lock (gate)
        {
            if (loaded is null && File.Exists(SecretKeyPath))
            {
                try
                {
                    loaded = Crypt4ghKeyFiles.ReadPrivateKey(File.ReadAllText(SecretKeyPath));
                }
                catch (Exception error) when (error is Crypt4ghException or IOException or UnauthorizedAccessException)
                {
                    throw new Crypt4ghException($"The node's Crypt4GH key {SecretKeyPath} cannot be read: {error.Message}", error);
                }
            }

            return loaded;
        }
    }

    /// <summary>The public key in the reference tools' armoured form, or null while the node has no key.</summary>
    public string? PublicKeyText() => Find() is { } key ? Crypt4ghKeyFiles.WritePublicKey(key.PublicKey) : null;

    /// <summary>
    /// Creates the key pair; false (and the existing key kept) when the node already has one. Two concurrent
    /// creators leave one key: the secret key file is created exclusively.
    /// </summary>
    public bool Create()
    {
        lock (gate)
        {
            var secretPath = SecretKeyPath;
            Directory.CreateDirectory(Path.GetDirectoryName(secretPath)!);
            var pair = Crypt4ghKeyPair.Generate();
            try
            {
                Write(secretPath, Crypt4ghKeyFiles.WritePrivateKey(pair, "genome-node"), OwnerOnly);
            }
            catch (IOException) when (File.Exists(secretPath))
            {
                return false;
            }

            // The public key is derived from the secret key whenever it is needed; this copy is for operators.
            File.Delete(PublicKeyPath);
            Write(PublicKeyPath, Crypt4ghKeyFiles.WritePublicKey(pair.PublicKey), Readable);
            loaded = pair;
            return true;
        }
    }

    private static void Write(string path, string text, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using var file = new FileStream(path, options);
        file.Write(Encoding.ASCII.GetBytes(text));
        file.Flush(flushToDisk: true);
    }
}
