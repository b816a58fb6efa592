using System.Runtime.InteropServices;

namespace GenomeNode.Storage;

/// <summary>
/// The node's files belong to its account alone: controlled genotypes are in node.duckdb, and the data directory
/// holds the admin secret and the htsget signing key. Directories are 0700, files 0600.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // umask 077: no permission bit for group or others on anything created from now on.
    private const uint OwnerOnlyMask = 0x3F;

    /// <summary>
    /// Makes every file and directory this process creates from now on owner-only, whoever creates it: the node, or
    /// a library writing beside the database (DuckDB's .wal and its spill directory node.duckdb.tmp).
    /// </summary>
    public static void RestrictProcessUmask()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        _ = SetUmask(OwnerOnlyMask);
    }

    /// <summary>Creates a directory (and any missing parents) owner-only; an existing one keeps its mode.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    /// <summary>Options that create a new file owner-only (the umask would too; this does not depend on it).</summary>
    public static FileStreamOptions NewFile(FileMode mode = System.IO.FileMode.Create)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>
    /// The data directory and every entry under it that a group or other users may read, write or enter, with their
    /// modes; symbolic links are neither followed nor reported. Empty on Windows, which has no such modes.
    /// </summary>
    public static IEnumerable<(string Path, UnixFileMode Mode, bool IsDirectory)> Exposed(string dataDirectory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(dataDirectory))
        {
            yield break;
        }

        var root = File.GetUnixFileMode(dataDirectory);
        if ((root & GroupAndOthers) != 0)
        {
            yield return (dataDirectory, root, true);
        }

        var walk = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            // Hidden (dot) files count too; links are the operator's own arrangement.
            AttributesToSkip = FileAttributes.ReparsePoint,
        };
        foreach (var entry in new DirectoryInfo(dataDirectory).EnumerateFileSystemInfos("*", walk))
        {
            var mode = entry.UnixFileMode;
            if ((mode & GroupAndOthers) != 0)
            {
                yield return (entry.FullName, mode, entry is DirectoryInfo);
            }
        }
    }

    /// <summary>A mode as chmod writes it, e.g. 0644.</summary>
    public static string Octal(UnixFileMode mode) =>
        Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');

    // DllImport rather than LibraryImport: one unsigned int needs no marshalling code, and the project needs no unsafe code.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
}
