using System.Runtime.InteropServices;

namespace GenomeNode.Host.Hosting;

/// <summary>The C library's heap (DuckDB allocates from it), tuned for a process that bulk-loads and then ends.</summary>
internal static class NativeHeap
{
    // mallopt parameters, from glibc's malloc.h.
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    /// <summary>
    /// While it appends and compresses, DuckDB allocates and frees many blocks of 256 KB and more. glibc serves such
    /// blocks with mmap and returns them with munmap (and trims its heaps as they empty), so each new block faults
    /// in fresh zeroed pages: a tenth of an ingest's time on a virtual machine. Keeping them on the heap lets freed
    /// blocks be reused. Only for short-lived processes: the memory is not handed back to the system until exit.
    /// </summary>
    public static void KeepLargeBlocks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // 32 MB is the largest threshold glibc accepts on 64-bit systems.
            _ = SetOption(MmapThreshold, 32 << 20);
            _ = SetOption(TrimThreshold, int.MaxValue);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no mallopt): its own defaults stay.
        }
    }

    // DllImport rather than LibraryImport: two ints need no marshalling code, and the project needs no unsafe code.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int SetOption(int parameter, int value);
}
