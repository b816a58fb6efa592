using System.Text;

namespace GenomeNode.Htsget.Formats;

/// <summary>Reads the header of a bgzipped VCF: the lines up to the first one that does not start with '#'.</summary>
public static class VcfHeaderReader
{
    public static VcfHeader Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var bgzf = new BgzfReadStream(stream, leaveOpen: true);
        var text = new StringBuilder();
        using var line = new MemoryStream();
        while (true)
        {
            var lineStart = bgzf.VirtualPosition;
            var first = bgzf.ReadByte();
            if (first != '#')
            {
                if (text.Length == 0)
                {
                    throw new HtsFormatException("Not a VCF file: it does not start with a '#' header line", 0);
                }

                // The first record, or the end of a file that has only a header.
                return new VcfHeader(text.ToString(), VcfContigLines.Parse(text.ToString()), lineStart);
            }

            line.SetLength(0);
            line.WriteByte((byte)first);
            int next;
            while ((next = bgzf.ReadByte()) >= 0)
            {
                line.WriteByte((byte)next);
                if (next == '\n')
                {
                    break;
                }
            }

            text.Append(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
        }
    }
}
