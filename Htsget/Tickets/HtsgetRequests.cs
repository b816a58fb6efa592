using System.Globalization;
using System.Text.Json.Serialization;
using GenomeNode.Htsget.Registration;
using GenomeNode.Shared;

namespace GenomeNode.Htsget.Tickets;

/// <summary>The JSON body of an htsget POST request (htsget 1.3 "Request body").</summary>
public sealed record HtsgetPostBody(
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("class")] string? Class,
    [property: JsonPropertyName("fields")] IReadOnlyList<string>? Fields,
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags,
    [property: JsonPropertyName("notags")] IReadOnlyList<string>? NoTags,
    [property: JsonPropertyName("regions")] IReadOnlyList<HtsgetPostRegion?>? Regions)
{
    /// <summary>htsget's <c>encryptionScheme</c>: <c>c4gh</c> asks for the data as one Crypt4GH stream.</summary>
    [JsonPropertyName("encryptionScheme")]
    public string? EncryptionScheme { get; init; }
}

/// <summary>One entry of a POST body's <c>regions</c>.</summary>
public sealed record HtsgetPostRegion(
    [property: JsonPropertyName("referenceName")] string? ReferenceName,
    [property: JsonPropertyName("start")] long? Start,
    [property: JsonPropertyName("end")] long? End);

/// <summary>
/// Turns GET query parameters and POST bodies into a <see cref="HtsgetQuery"/>, answering malformed ones with the
/// error types the htsget specification names for them.
/// </summary>
public static class HtsgetRequests
{
    /// <summary>The SAM fields a reads request may name in <c>fields</c>.</summary>
    public static IReadOnlyList<string> ReadFields { get; } =
        ["QNAME", "FLAG", "RNAME", "POS", "MAPQ", "CIGAR", "RNEXT", "PNEXT", "TLEN", "SEQ", "QUAL"];

    /// <summary>The query parameters GET understands (others are ignored; POST takes none).</summary>
    public static IReadOnlyList<string> Parameters { get; } =
        ["format", "class", "referenceName", "start", "end", "fields", "tags", "notags", "encryptionScheme"];

    /// <summary>Reads a GET request's parameters; each may appear once.</summary>
    public static HtsgetQuery FromQueryString(HtsgetKind kind, IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, given) in parameters)
        {
            var known = Parameters.FirstOrDefault(parameter => string.Equals(parameter, name, StringComparison.Ordinal));
            if (known is null)
            {
                continue;
            }

            if (given.Count != 1 || values.ContainsKey(known))
            {
                throw Invalid($"The parameter '{known}' must be given once.");
            }

            // Checked before the value reaches a message or a query: text that is not Unicode names nothing here.
            if (given[0] is { } value && !UnicodeText.IsWellFormed(value))
            {
                throw Invalid($"The parameter '{known}' is not valid Unicode text (it holds a lone UTF-16 surrogate).");
            }

            values[known] = given[0] ?? "";
        }

        var format = CheckFormat(kind, values.GetValueOrDefault("format"));
        var headerOnly = CheckClass(values.GetValueOrDefault("class"));
        var encryption = CheckEncryption(values.TryGetValue("encryptionScheme", out var scheme) ? scheme : null);
        values.TryGetValue("referenceName", out var referenceName);
        var start = values.TryGetValue("start", out var startText) ? ParseCoordinate("start", startText) : null;
        var end = values.TryGetValue("end", out var endText) ? ParseCoordinate("end", endText) : null;
        var fields = values.TryGetValue("fields", out var fieldText) ? fieldText.Split(',') : null;
        var tags = values.TryGetValue("tags", out var tagText) ? SplitTags(tagText) : null;
        var noTags = values.TryGetValue("notags", out var noTagText) ? SplitTags(noTagText) : null;

        if (headerOnly && (referenceName is not null || start is not null || end is not null || fields is not null || tags is not null || noTags is not null))
        {
            throw Invalid("class=header takes no other parameter than format.");
        }

        CheckFields(kind, fields);
        CheckTags(tags, noTags);
        if (referenceName is null)
        {
            if (start is not null || end is not null)
            {
                throw Invalid("start and end need a referenceName.");
            }

            return new HtsgetQuery(kind, format, headerOnly) { Fields = fields, Tags = tags, NoTags = noTags, EncryptionScheme = encryption };
        }

        if (referenceName.Length == 0)
        {
            throw Invalid("referenceName must not be empty.");
        }

        if (referenceName == HtsgetRegion.Unplaced && (start is not null || end is not null))
        {
            throw Invalid("start and end cannot be given with referenceName=*.");
        }

        if (start is { } s && end is { } e && s > e)
        {
            throw new HtsgetException(HtsgetErrorType.InvalidRange, $"start ({s}) is greater than end ({e}).");
        }

        return new HtsgetQuery(kind, format, headerOnly, [new HtsgetRegion(referenceName, start, end)]) { Fields = fields, Tags = tags, NoTags = noTags, EncryptionScheme = encryption };
    }

    /// <summary>Reads a POST body; <paramref name="maxRegions"/> bounds the region list (more: PayloadTooLarge).</summary>
    public static HtsgetQuery FromPostBody(HtsgetKind kind, HtsgetPostBody? body, int maxRegions)
    {
        if (body is null)
        {
            throw Invalid("The request body must be a JSON object.");
        }

        var format = CheckFormat(kind, body.Format);
        var headerOnly = CheckClass(body.Class);
        var encryption = CheckEncryption(body.EncryptionScheme);
        if (headerOnly && (body.Regions is not null || body.Fields is not null || body.Tags is not null || body.NoTags is not null))
        {
            throw Invalid("\"class\": \"header\" takes no other parameter than format.");
        }

        if (body.Fields?.Any(field => field is null) == true || body.Tags?.Any(tag => tag is null) == true
            || body.NoTags?.Any(tag => tag is null) == true)
        {
            throw Invalid("fields, tags and notags must be arrays of strings.");
        }

        CheckFields(kind, body.Fields);
        CheckTags(body.Tags, body.NoTags);
        if (body.Regions is null)
        {
            return new HtsgetQuery(kind, format, headerOnly) { Fields = body.Fields, Tags = body.Tags, NoTags = body.NoTags, EncryptionScheme = encryption };
        }

        if (body.Regions.Count == 0)
        {
            throw Invalid("regions, when given, must list at least one region.");
        }

        if (body.Regions.Count > maxRegions)
        {
            throw new HtsgetException(HtsgetErrorType.PayloadTooLarge,
                $"The request lists {body.Regions.Count} regions; at most {maxRegions} are accepted.");
        }

        var regions = new List<HtsgetRegion>(body.Regions.Count);
        for (var i = 0; i < body.Regions.Count; i++)
        {
            var region = body.Regions[i] ?? throw Invalid($"regions[{i}] must be an object.");
            if (string.IsNullOrEmpty(region.ReferenceName))
            {
                throw Invalid($"regions[{i}] needs a referenceName.");
            }

            if (region.Start < 0 || region.End < 0)
            {
                throw Invalid($"regions[{i}]: start and end must be unsigned integers.");
            }

            if (region.ReferenceName == HtsgetRegion.Unplaced && (region.Start is not null || region.End is not null))
            {
                throw Invalid($"regions[{i}]: start and end cannot be given with referenceName \"*\".");
            }

            if (region.Start is { } s && region.End is { } e && s >= e)
            {
                throw new HtsgetException(HtsgetErrorType.InvalidRange, $"regions[{i}]: start ({s}) must be less than end ({e}).");
            }

            regions.Add(new HtsgetRegion(region.ReferenceName, region.Start, region.End));
        }

        return new HtsgetQuery(kind, format, headerOnly, regions) { Fields = body.Fields, Tags = body.Tags, NoTags = body.NoTags, EncryptionScheme = encryption };
    }

    // class=header takes no other parameter than format; encryptionScheme is how the bytes travel, so it goes with any.
    private static string? CheckEncryption(string? scheme) => scheme switch
    {
        null => null,
        _ when string.Equals(scheme, HtsgetQuery.Crypt4gh, StringComparison.OrdinalIgnoreCase) => HtsgetQuery.Crypt4gh,
        _ => throw Invalid($"encryptionScheme must be '{HtsgetQuery.Crypt4gh}' when given, not '{Shorten(scheme)}'."),
    };

    private static string? CheckFormat(HtsgetKind kind, string? format)
    {
        if (format is null)
        {
            return null;
        }

        var formats = HtsgetQuery.Formats(kind);
        return formats.FirstOrDefault(known => string.Equals(known, format, StringComparison.OrdinalIgnoreCase))
            ?? throw new HtsgetException(HtsgetErrorType.UnsupportedFormat,
                $"The format '{Shorten(format)}' is not served for {(kind == HtsgetKind.Reads ? "reads" : "variants")}; use {string.Join(" or ", formats)}.");
    }

    private static bool CheckClass(string? value) => value switch
    {
        null => false,
        _ when string.Equals(value, "header", StringComparison.OrdinalIgnoreCase) => true,
        _ => throw Invalid($"class must be 'header' when given, not '{Shorten(value)}'."),
    };

    private static long? ParseCoordinate(string name, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid($"{name} must be an unsigned integer, not '{Shorten(text)}'.");

    private static string[] SplitTags(string text) => text.Length == 0 ? [] : text.Split(',');

    private static void CheckFields(HtsgetKind kind, IReadOnlyList<string>? fields)
    {
        if (fields is null || kind != HtsgetKind.Reads)
        {
            return;
        }

        var unknown = fields.FirstOrDefault(field => !ReadFields.Contains(field, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw Invalid($"'{Shorten(unknown)}' is not a field; fields may name {string.Join(", ", ReadFields)}.");
        }
    }

    private static void CheckTags(IReadOnlyList<string>? tags, IReadOnlyList<string>? noTags)
    {
        if (tags is null || noTags is null)
        {
            return;
        }

        var both = tags.Intersect(noTags, StringComparer.Ordinal).FirstOrDefault();
        if (both is not null)
        {
            throw Invalid($"The tag '{Shorten(both)}' is both in tags and in notags.");
        }
    }

    private static HtsgetException Invalid(string message) => new(HtsgetErrorType.InvalidInput, message);

    /// <summary>Echoes at most 64 characters of what the caller sent (never half a surrogate pair).</summary>
    internal static string Shorten(string text) => UnicodeText.Shorten(text, 64);
}
