namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Starts reading a VCF (decompressing and hashing it on a thread of its own) before the ingest that takes it is
/// ready: the command line starts it first, so the file is read on the second core while the process builds its
/// host and opens the database. At most 8 chunks (4 MB) of text are read ahead: every buffer more is a page fault
/// per 4 KB, which cost more than the inflating it saves later; an ingest of another file, or none, leaves it unused,
/// and disposing it stops the reading.
/// </summary>
public sealed class VcfPrefetch : IDisposable
{
    private const int AheadChunks = 8;

    private readonly string path;
    private VcfLineSource? source;

    private VcfPrefetch(string path, VcfLineSource? source)
    {
        this.path = path;
        this.source = source;
    }

    /// <summary>Starts reading <paramref name="path"/>; a file that cannot be opened is left to the ingest to report.</summary>
    public static VcfPrefetch Start(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            return new VcfPrefetch(fullPath, new VcfLineSource(fullPath, AheadChunks));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return new VcfPrefetch(fullPath, null);
        }
    }

    /// <summary>The source read ahead for <paramref name="fullPath"/>, once; null for another file.</summary>
    internal VcfLineSource? Take(string fullPath)
    {
        if (!string.Equals(fullPath, path, StringComparison.Ordinal))
        {
            return null;
        }

        var taken = source;
        source = null;
        return taken;
    }

    public void Dispose()
    {
        source?.Dispose();
        source = null;
    }
}
