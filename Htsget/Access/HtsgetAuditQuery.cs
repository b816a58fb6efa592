using System.Text;
using System.Text.Json;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Tickets;

namespace GenomeNode.Htsget.Access;

/// <summary>
/// What an htsget request asked, as the audit's <c>query</c> column keeps it: compact JSON in the request body's own
/// terms (htsget 1.3), so one form describes GET and POST tickets alike, and a data URL's bytes.
/// </summary>
public static class HtsgetAuditQuery
{
    /// <summary>
    /// A ticket request as its POST body would say it: <c>format</c>, <c>class</c> and <c>encryptionScheme</c> when asked, <c>fields</c>,
    /// <c>tags</c>, <c>notags</c> when named, and <c>regions</c> (a GET's referenceName/start/end is one region);
    /// no regions means the whole file.
    /// </summary>
    public static string Ticket(HtsgetQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Write(json =>
        {
            if (query.Format is { } format)
            {
                json.WriteString("format", format);
            }

            if (query.HeaderOnly)
            {
                json.WriteString("class", "header");
            }

            if (query.EncryptionScheme is { } encryption)
            {
                json.WriteString("encryptionScheme", encryption);
            }

            WriteList(json, "fields", query.Fields);
            WriteList(json, "tags", query.Tags);
            WriteList(json, "notags", query.NoTags);
            if (query.Regions is { } regions)
            {
                json.WriteStartArray("regions");
                foreach (var region in regions)
                {
                    json.WriteStartObject();
                    json.WriteString("referenceName", region.ReferenceName);
                    if (region.Start is { } start)
                    {
                        json.WriteNumber("start", start);
                    }

                    if (region.End is { } end)
                    {
                        json.WriteNumber("end", end);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }
        });
    }

    /// <summary>A data URL's fetch: the bytes its token grants (first-last, inclusive) and the HTTP Range asked, if any (its first 64 characters).</summary>
    public static string Fetch(DataRange bytes, string range) => Write(json =>
    {
        json.WriteString("bytes", FormattableString.Invariant($"{bytes.Offset}-{bytes.End - 1}"));
        if (!string.IsNullOrEmpty(range))
        {
            json.WriteString("range", HtsgetRequests.Shorten(range));
        }
    });

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static string Write(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
