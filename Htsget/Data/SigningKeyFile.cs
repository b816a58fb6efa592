using System.Security.Cryptography;

namespace GenomeNode.Htsget.Data;

/// <summary>
/// The node's data-URL signing key on disk: 32 random bytes, base64 on one line, readable by the node's user only.
/// Created on first use; a concurrent creator never overwrites a key another process already wrote.
/// </summary>
public static class SigningKeyFile
{
    public const int KeyLength = 32;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Reads the key at <paramref name="path"/>, creating it first when the file does not exist.</summary>
    public static byte[] LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            Create(path);
        }

        var text = File.ReadAllText(path).Trim();
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException error)
        {
            throw new InvalidDataException($"The htsget signing key {path} is not base64 text.", error);
        }

        return key.Length >= KeyLength
            ? key
            : throw new InvalidDataException($"The htsget signing key {path} holds {key.Length} bytes; at least {KeyLength} are needed.");
    }

    /// <summary>True when a group or others may read or write the key file (never on Windows, which has no such modes).</summary>
    public static bool IsExposed(string path) =>
        !OperatingSystem.IsWindows()
        && (File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)) != 0;

    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var file = new FileStream(temporary, options))
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
