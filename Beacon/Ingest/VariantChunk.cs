using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using GenomeNode.Beacon.Vcf;
using DuckDB.NET.Native;
using static DuckDB.NET.Native.NativeMethods;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// One DuckDB data chunk (up to <see cref="Capacity"/> rows as column vectors) written in place: integers and short
/// strings straight into the vectors' memory, so a row costs no call into DuckDB unless a string is longer than
/// DuckDB inlines (12 bytes). Columns are addressed by their index in the appender's table.
/// </summary>
internal sealed unsafe class VariantChunk : IDisposable
{
    /// <summary>DuckDB's vector size: the most rows a chunk holds.</summary>
    public static readonly int Capacity = (int)Helpers.DuckDBVectorSize();

    // A duckdb_string_t: a 4-byte length, then up to 12 bytes inline or a 4-byte prefix and a pointer.
    private const int StringSize = 16;
    private const int InlineLength = 12;

    private readonly DuckDBDataChunk chunk;
    private readonly bool[] isList;
    private readonly IntPtr[] vectors;
    private readonly nint[] data;
    private readonly nint[] validity;
    private readonly IntPtr[] children;
    private readonly nint[] childData;
    private readonly int[] childCount;
    private readonly int[] childCapacity;

    /// <param name="types">The column types (owned by the caller).</param>
    /// <param name="isList">Which columns are lists.</param>
    public VariantChunk(IntPtr[] types, bool[] isList)
    {
        chunk = DataChunks.DuckDBCreateDataChunk(types, (ulong)types.Length);
        this.isList = isList;
        vectors = new IntPtr[types.Length];
        data = new nint[types.Length];
        validity = new nint[types.Length];
        children = new IntPtr[types.Length];
        childData = new nint[types.Length];
        childCount = new int[types.Length];
        childCapacity = new int[types.Length];
        Prepare();
    }

    public DuckDBDataChunk Handle => chunk;

    /// <summary>Rows written so far.</summary>
    public int Count { get; set; }

    public void Integer(int column, int row, int value) => ((int*)data[column])[row] = value;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void String(int column, int row, ReadOnlySpan<byte> value) => WriteString(vectors[column], data[column], row, value);

    /// <summary>A string of .NET characters, stored as UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void String(int column, int row, string value) => WriteString(vectors[column], data[column], row, value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Null(int column, int row)
    {
        var mask = (ulong*)validity[column];
        if (mask == null)
        {
            Vectors.DuckDBVectorEnsureValidityWritable(vectors[column]);
            mask = Vectors.DuckDBVectorGetValidity(vectors[column]);
            validity[column] = (nint)mask;
        }

        mask[row >> 6] &= ~(1UL << (row & 63));
        if (isList[column])
        {
            ((DuckDBListEntry*)data[column])[row] = default;
        }
        else
        {
            // Whatever the previous use of the chunk left there is never read, but a null string reads as empty.
            new Span<byte>((byte*)data[column] + (row * StringSize), StringSize).Clear();
        }
    }

    /// <summary>
    /// A list of integers, each <paramref name="values"/>' entry looked up in <paramref name="map"/>; an empty list is
    /// stored as NULL.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Integers(int column, int row, ReadOnlySpan<int> values, ReadOnlySpan<int> map)
    {
        if (values.IsEmpty)
        {
            Null(column, row);
            return;
        }

        var offset = Reserve(column, values.Length);
        var target = new Span<int>((int*)childData[column] + offset, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            target[i] = map[values[i]];
        }

        ((DuckDBListEntry*)data[column])[row] = new DuckDBListEntry((ulong)offset, (ulong)values.Length);
    }

    /// <summary>A list of UTF-8 strings; an empty list is stored as NULL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Strings(int column, int row, Utf8List values)
    {
        if (values.Count == 0)
        {
            Null(column, row);
            return;
        }

        var offset = Reserve(column, values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            WriteString(children[column], childData[column], offset + i, values[i]);
        }

        ((DuckDBListEntry*)data[column])[row] = new DuckDBListEntry((ulong)offset, (ulong)values.Count);
    }

    /// <summary>Fixes the row count and the list sizes: the chunk is ready to append.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Seal()
    {
        for (var column = 0; column < vectors.Length; column++)
        {
            if (isList[column])
            {
                Check(Vectors.DuckDBListVectorSetSize(vectors[column], (ulong)childCount[column]));
            }
        }

        DataChunks.DuckDBDataChunkSetSize(chunk, (ulong)Count);
    }

    /// <summary>Empties the chunk for reuse (DuckDB copies a chunk when it is appended).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset()
    {
        DataChunks.DuckDBDataChunkReset(chunk);
        Count = 0;
        Prepare();
    }

    public void Dispose() => chunk.Dispose();

    // A reset chunk may hand out other buffers: every pointer is fetched again.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Prepare()
    {
        for (var column = 0; column < vectors.Length; column++)
        {
            vectors[column] = DataChunks.DuckDBDataChunkGetVector(chunk, column);
            data[column] = (nint)Vectors.DuckDBVectorGetData(vectors[column]);
            validity[column] = 0;
            if (isList[column])
            {
                children[column] = Vectors.DuckDBListVectorGetChild(vectors[column]);
                childCount[column] = 0;
                childCapacity[column] = 0;
                Grow(column, Capacity);
            }
        }
    }

    /// <summary>Room for <paramref name="count"/> more list elements; returns the offset of the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Reserve(int column, int count)
    {
        var offset = childCount[column];
        var end = offset + count;
        if (end > childCapacity[column])
        {
            Grow(column, Math.Max(end, childCapacity[column] * 2));
        }

        childCount[column] = end;
        return offset;
    }

    // Reserving may move the child's buffer (DuckDB copies what it held).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Grow(int column, int capacity)
    {
        Check(Vectors.DuckDBListVectorReserve(vectors[column], (ulong)capacity));
        childData[column] = (nint)Vectors.DuckDBVectorGetData(children[column]);
        childCapacity[column] = capacity;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteString(IntPtr vector, nint data, int index, ReadOnlySpan<byte> value)
    {
        if (value.Length <= InlineLength)
        {
            var entry = (byte*)data + (index * StringSize);
            *(uint*)entry = (uint)value.Length;
            var inline = new Span<byte>(entry + 4, InlineLength);
            inline.Clear();
            value.CopyTo(inline);
            return;
        }

        // Longer strings go to the vector's own heap; every value written here is valid UTF-8 (or a BLOB).
        fixed (byte* bytes = value)
        {
            Vectors.DuckDBUnsafeVectorAssignStringElementLength(vector, (ulong)index, bytes, value.Length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteString(IntPtr vector, nint data, int index, string value)
    {
        // Alleles and variant types are short ASCII: narrowed straight into the inline slot, no UTF-8 encoder.
        if (value.Length <= InlineLength)
        {
            var entry = (byte*)data + (index * StringSize);
            var inline = new Span<byte>(entry + 4, InlineLength);
            inline.Clear();
            if (Ascii.FromUtf16(value, inline, out var written) == OperationStatus.Done)
            {
                *(uint*)entry = (uint)written;
                return;
            }

            // Not ASCII: what was narrowed is overwritten below.
        }

        const int StackLimit = 256;
        byte[]? rented = null;
        var buffer = value.Length <= StackLimit / 3
            ? stackalloc byte[StackLimit]
            : rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, buffer);
            WriteString(vector, data, index, buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void Check(DuckDBState state)
    {
        if (state != DuckDBState.Success)
        {
            throw new InvalidOperationException("DuckDB refused to grow a list vector");
        }
    }
}
