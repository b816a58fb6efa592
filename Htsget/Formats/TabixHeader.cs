using System.Buffers.Binary;
using System.Text;

namespace GenomeNode.Htsget.Formats;

public enum TabixFileType
{
    Generic = 0,
    Sam = 1,
    Vcf = 2,
}

/// <summary>
/// The tabix header (tabix.tex): how to find sequence, begin and end in a text line, the comment character, the
/// lines to skip, and the sequence names whose order gives the reference ids. CSI stores the same bytes as its aux.
/// </summary>
public sealed record TabixHeader(
    int Format,
    int SequenceColumn,
    int BeginColumn,
    int EndColumn,
    char MetaCharacter,
    int SkipLines,
    IReadOnlyList<string> SequenceNames)
{
    /// <summary>format, col_seq, col_beg, col_end, meta, skip and l_nm: seven int32.</summary>
    public const int FixedLength = 28;

    private const int ZeroBasedFlag = 0x10000;

    public TabixFileType FileType => (TabixFileType)(Format & 0xFFFF);

    /// <summary>BED-style half-open, zero-based coordinates rather than GFF/VCF-style one-based closed ones.</summary>
    public bool IsZeroBased => (Format & ZeroBasedFlag) != 0;

    /// <summary>Length of the concatenated names (l_nm) in a header whose first 28 bytes are given.</summary>
    internal static int ReadNamesLength(ReadOnlySpan<byte> fixedPart) =>
        BinaryPrimitives.ReadInt32LittleEndian(fixedPart[24..]);

    /// <summary>Parses the 28 fixed bytes followed by l_nm bytes of NUL-terminated names.</summary>
    internal static TabixHeader Parse(ReadOnlySpan<byte> bytes)
    {
        return new TabixHeader(
            Field(bytes, 0), Field(bytes, 1), Field(bytes, 2), Field(bytes, 3), (char)Field(bytes, 4), Field(bytes, 5),
            SplitNames(bytes.Slice(FixedLength, Field(bytes, 6))));
    }

    private static int Field(ReadOnlySpan<byte> bytes, int index) =>
        BinaryPrimitives.ReadInt32LittleEndian(bytes[(index * 4)..]);

    /// <summary>True when CSI aux data has exactly the tabix header's shape.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> aux, out TabixHeader? header)
    {
        header = null;
        if (aux.Length < FixedLength)
        {
            return false;
        }

        var namesLength = ReadNamesLength(aux);
        if (namesLength < 0 || namesLength != aux.Length - FixedLength)
        {
            return false;
        }

        header = Parse(aux);
        return true;
    }

    private static List<string> SplitNames(ReadOnlySpan<byte> names)
    {
        var result = new List<string>();
        while (!names.IsEmpty)
        {
            var end = names.IndexOf((byte)0);
            var name = end < 0 ? names : names[..end];
            result.Add(Encoding.UTF8.GetString(name));
            names = end < 0 ? [] : names[(end + 1)..];
        }

        return result;
    }
}
