using System.Globalization;
using System.IO.Compression;

namespace GenomeNode.Htsget.Formats;

/// <summary>Reads a CRAM index: gzip-compressed text, one tab-separated row of six integers per slice (CRAMv3 §12).</summary>
public static class CraiReader
{
    public static IReadOnlyList<CraiEntry> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var entries = new List<CraiEntry>();
        try
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            using var text = new StreamReader(gzip);
            var lineNumber = 0;
            while (text.ReadLine() is { } line)
            {
                lineNumber++;
                if (line.Length > 0)
                {
                    entries.Add(ParseLine(line, lineNumber));
                }
            }
        }
        catch (InvalidDataException exception)
        {
            throw new HtsFormatException("Not a CRAM index: not gzip-compressed", exception);
        }

        return entries;
    }

    private static CraiEntry ParseLine(string line, int lineNumber)
    {
        var fields = line.Split('\t');
        if (fields.Length != 6)
        {
            throw new HtsFormatException($"CRAM index line {lineNumber} has {fields.Length} fields instead of 6");
        }

        var values = new long[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new HtsFormatException($"CRAM index line {lineNumber} field {i + 1} is not an integer");
            }
        }

        if (values[0] is < -1 or > int.MaxValue || values[3] < 0 || values[4] < 0 || values[5] < 0)
        {
            throw new HtsFormatException($"CRAM index line {lineNumber} has an out-of-range value");
        }

        return new CraiEntry((int)values[0], values[1], values[2], values[3], values[4], values[5]);
    }
}
