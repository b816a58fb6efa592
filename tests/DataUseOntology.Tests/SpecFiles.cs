using System.Text;

namespace GenomeNode.DataUseOntology.Tests;

/// <summary>The vendored spec files copied beside the tests, and a small reader for their CSV tables.</summary>
internal static class SpecFiles
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "specs", name);

    /// <summary>Rows of a CSV file with a header, as column name → value (RFC 4180 quoting, fields may span lines).</summary>
    public static List<Dictionary<string, string>> ReadCsv(string name)
    {
        var records = ParseRecords(File.ReadAllText(PathOf(name)));
        var header = records[0];
        return records.Skip(1)
            .Where(record => record.Count == header.Count)
            .Select(record => header.Zip(record).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal))
            .ToList();
    }

    private static List<List<string>> ParseRecords(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                record.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        return records;
    }
}
