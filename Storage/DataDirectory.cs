namespace GenomeNode.Storage;

/// <summary>The folder holding a node's database, extracted demo files and admin channel.</summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "GENOMENODE_DATA";
    public const string DefaultPath = "data";

    /// <summary>The directory named by GENOMENODE_DATA, else ./data, as a full path.</summary>
    public static string Default() =>
        Path.GetFullPath(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : DefaultPath);

    /// <summary>Creates the directory (owner-only) if needed and proves that files can be written in it.</summary>
    public static string EnsureWritable(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            OwnerOnly.CreateDirectory(fullPath);
            // Permission bits alone do not tell (root ignores them, read-only mounts do not show in them): try it.
            var probe = Path.Combine(fullPath, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NodeStorageException($"data directory '{fullPath}' is not writable: {ex.Message}", ex);
        }

        return fullPath;
    }
}
