using GenomeNode.Htsget.Formats.Crypt4gh;
using GenomeNode.Htsget.Registration;

namespace GenomeNode.Htsget.Data;

/// <summary>
/// Opens a registered object's file as tickets and data URLs read it: the plaintext (the file itself, or the
/// decrypted view of a file stored encrypted with Crypt4GH), the stored bytes, and a Crypt4GH file's header as the
/// node's key reads it. Errors are what the file system or <see cref="Crypt4ghException"/> throw.
/// </summary>
public sealed class StoredObjectFiles(NodeCrypt4ghKey nodeKey)
{
    /// <summary>The stored file, for random reads.</summary>
    public static FileStream OpenStored(RegisteredObject registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        return new FileStream(registered.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
    }

    /// <summary>The file's plaintext, seekable: plaintext offsets are what tickets are planned on.</summary>
    public Stream OpenPlaintext(RegisteredObject registered)
    {
        var file = OpenStored(registered);
        if (!registered.IsCrypt4gh)
        {
            return file;
        }

        try
        {
            return new Crypt4ghPlaintextStream(file, ReadHeader(registered, file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The header of the object's Crypt4GH file, read with the node's key from the file opened for just that.</summary>
    public Crypt4ghHeader ReadHeader(RegisteredObject registered)
    {
        using var file = OpenStored(registered);
        return ReadHeader(registered, file);
    }

    /// <summary>The header of a Crypt4GH file, read from <paramref name="file"/> (the stored file) with the node's key.</summary>
    public Crypt4ghHeader ReadHeader(RegisteredObject registered, Stream file)
    {
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(file);
        var key = nodeKey.Find() ?? throw new Crypt4ghException(
            $"Object '{registered.ObjectId}' is stored encrypted with Crypt4GH but the node's Crypt4GH key is missing");
        file.Position = 0;
        var header = Crypt4ghHeader.Read(file, key);
        if (header.Length != registered.Crypt4ghHeaderLength)
        {
            throw new Crypt4ghException($"The Crypt4GH header of object '{registered.ObjectId}' is not the one registered");
        }

        return header;
    }
}
