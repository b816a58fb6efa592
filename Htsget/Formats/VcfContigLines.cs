namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The contig names of a VCF/BCF header in dictionary order: BCF records name their contig by this index, which
/// is the contig line's IDX field when present and otherwise its position among the ##contig lines.
/// </summary>
public static class VcfContigLines
{
    private const string Prefix = "##contig=<";

    public static IReadOnlyList<string> Parse(string headerText)
    {
        ArgumentNullException.ThrowIfNull(headerText);
        var byIndex = new SortedDictionary<int, string>();
        var next = 0;
        foreach (var line in headerText.Split('\n'))
        {
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fields = StructuredFields(line.AsSpan(Prefix.Length).TrimEnd("\r>"));
            if (!fields.TryGetValue("ID", out var id))
            {
                continue;
            }

            var index = fields.TryGetValue("IDX", out var idx) && int.TryParse(idx, out var parsed) ? parsed : next;
            byIndex.TryAdd(index, id);
            next = Math.Max(next, index + 1);
        }

        // A gap in IDX values would shift every later name; keep the slot, empty.
        var names = new string[byIndex.Count == 0 ? 0 : byIndex.Keys.Max() + 1];
        Array.Fill(names, "");
        foreach (var (index, name) in byIndex)
        {
            names[index] = name;
        }

        return names;
    }

    // key=value pairs separated by commas; a value may be double-quoted, with backslash escapes, and hold commas.
    private static Dictionary<string, string> StructuredFields(ReadOnlySpan<char> text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!text.IsEmpty)
        {
            var equals = text.IndexOf('=');
            if (equals < 0)
            {
                break;
            }

            var key = text[..equals].Trim().ToString();
            text = text[(equals + 1)..];
            var value = new System.Text.StringBuilder();
            var quoted = !text.IsEmpty && text[0] == '"';
            var i = quoted ? 1 : 0;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted && c == '\\' && i + 1 < text.Length)
                {
                    value.Append(text[++i]);
                }
                else if (quoted && c == '"')
                {
                    quoted = false;
                }
                else if (!quoted && c == ',')
                {
                    break;
                }
                else
                {
                    value.Append(c);
                }
            }

            fields.TryAdd(key, value.ToString());
            text = i < text.Length ? text[(i + 1)..] : [];
        }

        return fields;
    }
}
