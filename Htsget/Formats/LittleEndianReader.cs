using System.Buffers.Binary;

namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Little-endian reads for the binary formats (indexes, BAM and BCF headers), counting bytes so that a short or
/// implausible file is reported with the offset (in its uncompressed data) where it went wrong.
/// </summary>
internal sealed class LittleEndianReader(Stream stream, string fileKind)
{
    // Counts and lengths come from the file: never let a corrupt one preallocate more than these.
    private const int MaxPreallocation = 4096;
    private const int MaxPreallocatedBytes = 1 << 20;

    private readonly byte[] buffer = new byte[8];

    public long Position { get; private set; }

    public static int Capacity(int count) => Math.Min(count, MaxPreallocation);

    public void ExpectMagic(ReadOnlySpan<byte> magic)
    {
        var actual = ReadBytes(magic.Length);
        if (!actual.AsSpan().SequenceEqual(magic))
        {
            throw Error("wrong magic", 0);
        }
    }

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Fill(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Fill(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Fill(8));

    public VirtualOffset ReadVirtualOffset() => new(ReadUInt64());

    /// <summary>A count or length: an int32 (or uint32 below 2^31) that must not be negative.</summary>
    public int ReadCount(string what)
    {
        var start = Position;
        var value = ReadInt32();
        return value >= 0 ? value : throw Error($"negative {what} count {value}", start);
    }

    public byte[] ReadBytes(int count)
    {
        if (count <= MaxPreallocatedBytes)
        {
            var bytes = new byte[count];
            ReadInto(bytes);
            return bytes;
        }

        // Grow as the data arrives, so a huge length in a short file fails on truncation, not on allocation.
        using var collected = new MemoryStream();
        var block = new byte[MaxPreallocatedBytes];
        for (var remaining = count; remaining > 0; remaining -= block.Length)
        {
            var part = block.AsSpan(0, Math.Min(block.Length, remaining));
            ReadInto(part);
            collected.Write(part);
        }

        return collected.ToArray();
    }

    /// <summary>Reads an optional trailing uint64 (n_no_coor); false when the data ends cleanly before it.</summary>
    public bool TryReadUInt64(out ulong value)
    {
        var read = stream.ReadAtLeast(buffer.AsSpan(0, 8), 8, throwOnEndOfStream: false);
        Position += read;
        if (read == 0)
        {
            value = 0;
            return false;
        }

        if (read < 8)
        {
            throw Error("truncated file", Position);
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(buffer);
        return true;
    }

    public HtsFormatException Error(string message, long offset) =>
        new($"{fileKind}: {message} (offset in the uncompressed data)", offset);

    private ReadOnlySpan<byte> Fill(int count)
    {
        ReadInto(buffer.AsSpan(0, count));
        return buffer.AsSpan(0, count);
    }

    private void ReadInto(Span<byte> destination)
    {
        var read = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        if (read < destination.Length)
        {
            throw Error("truncated file", Position + read);
        }

        Position += read;
    }
}
