using System.Text;

namespace GenomeNode.Tests;

/// <summary>A reader of CSV text as RFC 4180 defines it: quoted fields may hold commas, doubled quotes and line breaks.</summary>
public static class Rfc4180
{
    /// <param name="crlfOnly">
    /// records end at CRLF only, as RFC 4180 writes them (a bare LF is then field text); otherwise at LF, a CR before it
    /// dropped
    /// </param>
    public static List<string[]> Parse(string text, bool crlfOnly)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<string[]>();
        var fields = new List<string>();
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
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (crlfOnly ? c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' : c == '\n')
            {
                fields.Add(crlfOnly ? field.ToString() : field.ToString().TrimEnd('\r'));
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i += crlfOnly ? 1 : 0;
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
