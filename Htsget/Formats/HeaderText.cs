using System.Text;

namespace GenomeNode.Htsget.Formats;

/// <summary>Header text as stored in BAM and BCF: UTF-8, possibly NUL-terminated or NUL-padded.</summary>
internal static class HeaderText
{
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
