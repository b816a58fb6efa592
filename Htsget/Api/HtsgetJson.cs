using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using GenomeNode.Htsget.Tickets;

namespace GenomeNode.Htsget.Api;

/// <summary>A ticket: <c>{"htsget": {"format": ..., "urls": [...]}}</c>.</summary>
public sealed record HtsgetTicketResponse(HtsgetTicket Htsget);

public sealed record HtsgetTicket(string Format, IReadOnlyList<HtsgetUrl> Urls);

/// <summary>One URL of a ticket: a data URL of this node or an inline <c>data:</c> URI, with its class.</summary>
public sealed record HtsgetUrl(
    [property: JsonConverter(typeof(TicketUrlConverter))] TicketUrl Url,
    [property: JsonPropertyName("class")] string Class,
    IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A ticket URL as text, or as a JSON string kept from an earlier ticket (an inline <c>data:</c> URI of tens of
/// kilobytes, quotes included and nothing to escape, which the writer copies as it is).
/// </summary>
public readonly record struct TicketUrl
{
    private readonly string? text;
    private readonly ReadOnlyMemory<byte> jsonString;

    public TicketUrl(string text) => this.text = text ?? throw new ArgumentNullException(nameof(text));

    private TicketUrl(ReadOnlyMemory<byte> jsonString) => this.jsonString = jsonString;

    public static implicit operator TicketUrl(string text) => new(text);

    /// <summary>
    /// A URL given as a JSON string of ASCII characters that need no escaping, quotes included: only what
    /// <see cref="InlineDataUris"/> encodes, which checks the media type and writes base64 after it.
    /// </summary>
    internal static TicketUrl FromJsonString(ReadOnlyMemory<byte> jsonString)
    {
        System.Diagnostics.Debug.Assert(
            jsonString.Length >= 2 && jsonString.Span[0] == (byte)'"' && jsonString.Span[^1] == (byte)'"'
            && !jsonString.Span[1..^1].ContainsAnyExcept(UnescapedUriBytes),
            "a JSON string of URI characters that need no escaping");
        return new TicketUrl(jsonString);
    }

    /// <summary>About the length of the URL in a JSON document (exact for one kept as a JSON string).</summary>
    internal int Utf8Length => text?.Length ?? jsonString.Length;

    /// <summary>The URL as a string (a copy for one kept as bytes).</summary>
    public override string ToString() => text ?? System.Text.Encoding.ASCII.GetString(jsonString.Span[1..^1]);

    internal void WriteTo(Utf8JsonWriter writer)
    {
        if (text is not null)
        {
            writer.WriteStringValue(text);
            return;
        }

        writer.WriteRawValue(jsonString.Span, skipInputValidation: true);
    }

    // What a data URI of base64 is made of: no quote, backslash or control character, so nothing JSON would escape.
    private static readonly System.Buffers.SearchValues<byte> UnescapedUriBytes = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:;,./+-=_"u8);
}

/// <summary>Writes <see cref="TicketUrl"/> as a JSON string, reads one back.</summary>
public sealed class TicketUrlConverter : JsonConverter<TicketUrl>
{
    public override TicketUrl Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("a ticket URL must be a string"));

    public override void Write(Utf8JsonWriter writer, TicketUrl value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        value.WriteTo(writer);
    }
}

/// <summary>An error: <c>{"htsget": {"error": ..., "message": ...}}</c>.</summary>
public sealed record HtsgetErrorResponse(HtsgetErrorBody Htsget);

public sealed record HtsgetErrorBody(string Error, string Message);

/// <summary>The htsget service-info document (GA4GH service-info 1.0 with the <c>htsget</c> object).</summary>
public sealed record HtsgetServiceInfo(
    string Id,
    string Name,
    HtsgetServiceType Type,
    string? Description,
    HtsgetServiceOrganization Organization,
    string? ContactUrl,
    string? DocumentationUrl,
    string? Environment,
    string Version,
    HtsgetCapabilities Htsget);

public sealed record HtsgetServiceType(string Group, string Artifact, string Version);

public sealed record HtsgetServiceOrganization(string Name, string Url);

/// <summary>The htsget capabilities of one endpoint (field names as htsget 1.3 spells them).</summary>
public sealed record HtsgetCapabilities(
    string Datatype,
    IReadOnlyList<string> Formats,
    bool FieldsParameterEffective,
    bool TagsParametersEffective);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(HtsgetTicketResponse))]
[JsonSerializable(typeof(HtsgetErrorResponse))]
[JsonSerializable(typeof(HtsgetServiceInfo))]
[JsonSerializable(typeof(HtsgetPostBody))]
public sealed partial class HtsgetJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the endpoints write with: as <see cref="JsonSerializerContext"/>'s defaults, but without escaping
    /// '+' in base64 data URIs (these documents are never embedded in HTML).
    /// </summary>
    public static HtsgetJsonContext Web { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
