using System.Runtime.CompilerServices;
using System.Text;

namespace GenomeNode.Beacon.Vcf;

/// <summary>
/// A list of UTF-8 strings kept in one byte buffer, reused from record to record: adding a value copies its bytes and
/// allocates nothing once the buffers have grown to the file's longest record.
/// </summary>
public sealed class Utf8List
{
    private byte[] bytes = new byte[64];
    private int[] ends = new int[4];
    private int length;

    public int Count { get; private set; }

    /// <summary>The <paramref name="index"/>-th value's bytes.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var start = index == 0 ? 0 : ends[index - 1];
            return bytes.AsSpan(start, ends[index] - start);
        }
    }

    public void Clear()
    {
        Count = 0;
        length = 0;
    }

    /// <summary>Adds a value unless it is empty or already in the list (ordinal: byte for byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddDistinct(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || Contains(value))
        {
            return;
        }

        Append(value);
        End();
    }

    /// <summary>Adds <paramref name="first"/>, <paramref name="separator"/> and <paramref name="second"/> as one value, unless already in the list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddDistinct(ReadOnlySpan<byte> first, byte separator, ReadOnlySpan<byte> second)
    {
        var start = length;
        Append(first);
        Append(new ReadOnlySpan<byte>(in separator));
        Append(second);
        var joined = bytes.AsSpan(start, length - start);
        if (Contains(joined))
        {
            length = start;
            return;
        }

        End();
    }

    /// <summary>Adds a .NET string as UTF-8, unless empty or already in the list.</summary>
    public void AddDistinct(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddDistinct(Encoding.UTF8.GetBytes(value));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Contains(ReadOnlySpan<byte> value)
    {
        var start = 0;
        for (var i = 0; i < Count; i++)
        {
            if (bytes.AsSpan(start, ends[i] - start).SequenceEqual(value))
            {
                return true;
            }

            start = ends[i];
        }

        return false;
    }

    /// <summary>The values as .NET strings (for tests and diagnostics; the ingest copies the bytes).</summary>
    public IReadOnlyList<string> ToStrings()
    {
        var strings = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            strings[i] = Encoding.UTF8.GetString(this[i]);
        }

        return strings;
    }

    public override string ToString() => string.Join(",", ToStrings());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(ReadOnlySpan<byte> value)
    {
        if (length + value.Length > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, length + value.Length));
        }

        value.CopyTo(bytes.AsSpan(length));
        length += value.Length;
    }

    private void End()
    {
        if (Count == ends.Length)
        {
            Array.Resize(ref ends, Count * 2);
        }

        ends[Count++] = length;
    }
}
