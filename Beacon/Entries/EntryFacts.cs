using System.Globalization;
using System.Text.Json;

namespace GenomeNode.Beacon.Entries;

/// <summary>
/// What filters can ask of one entry, read once from its document: the ontology terms it carries (every object with a
/// CURIE <c>id</c>: sex, diseaseCode, featureType, assayCode, ...) and its scalar values by field path (property names
/// joined with '.', array positions left out: <c>diseases.ageOfOnset.iso8601duration</c>, as filter ids name fields).
/// </summary>
public sealed class EntryFacts
{
    public static EntryFacts None { get; } = new([], []);

    private EntryFacts(IReadOnlyList<string> terms, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        Terms = terms;
        Values = values;
    }

    /// <summary>The CURIEs of the ontology terms in the document, each once, in document order.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Every scalar of the document with its field path (a path repeats for each element of an array).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values { get; }

    /// <summary>The values at <paramref name="path"/> (ordinal comparison).</summary>
    public IEnumerable<string> ValuesAt(string path)
    {
        foreach (var (key, value) in Values)
        {
            if (string.Equals(key, path, StringComparison.Ordinal))
            {
                yield return value;
            }
        }
    }

    /// <summary>The facts of a document (a JSON object as the Beacon model has the entry).</summary>
    public static EntryFacts From(JsonElement document)
    {
        var terms = new List<string>();
        var values = new List<KeyValuePair<string, string>>();
        Walk(document, "", terms, values);
        return new EntryFacts(terms.Distinct(StringComparer.Ordinal).ToList(), values);
    }

    private static void Walk(JsonElement element, string path, List<string> terms, List<KeyValuePair<string, string>> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (path.Length > 0 && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && IsCurie(id.GetString()!))
                {
                    terms.Add(id.GetString()!);
                }

                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", terms, values);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, path, terms, values);
                }

                break;
            case JsonValueKind.String:
                values.Add(new(path, element.GetString()!));
                break;
            case JsonValueKind.Number:
                values.Add(new(path, element.TryGetInt64(out var integer)
                    ? integer.ToString(CultureInfo.InvariantCulture)
                    : element.GetDouble().ToString("R", CultureInfo.InvariantCulture)));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                values.Add(new(path, element.GetBoolean() ? "true" : "false"));
                break;
            default:
                break;
        }
    }

    /// <summary>A compact URI as ontology terms are written: a prefix of letters, digits, '_', '-' or '.', a colon, a local id.</summary>
    public static bool IsCurie(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-' or '.'))
            {
                return false;
            }
        }

        // Not a URL (http://...): the local part of a CURIE does not start with '//'.
        return !text.AsSpan(colon + 1).StartsWith("//") && !text.AsSpan(colon + 1).ContainsAny(" \t\r\n");
    }
}
