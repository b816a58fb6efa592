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
/// A ticket URL as text, or as UTF-8 bytes kept from an earlier ticket (inline <c>data:</c> URIs of tens of kilobytes,
/// which are written in small segments rather than as one string the writer would need one large buffer for).
/// </summary>
public readonly record struct TicketUrl
{
    private readonly string? text;
    private readonly ReadOnlyMemory<byte> utf8;

    public TicketUrl(string text) => this.text = text ?? throw new ArgumentNullException(nameof(text));

    public TicketUrl(ReadOnlyMemory<byte> utf8) => this.utf8 = utf8;

    public static implicit operator TicketUrl(string text) => new(text);

    /// <summary>The URL as a string (a copy for one kept as bytes).</summary>
    public override string ToString() => text ?? System.Text.Encoding.UTF8.GetString(utf8.Span);

    internal void WriteTo(Utf8JsonWriter writer)
    {
        if (text is not null)
        {
            writer.WriteStringValue(text);
            return;
        }

        // Segments small enough that the writer's worst-case escaping of each fits a pooled buffer block.
        const int SegmentLength = 512;
        var remaining = utf8.Span;
        while (remaining.Length > SegmentLength)
        {
            writer.WriteStringValueSegment(remaining[..SegmentLength], isFinalSegment: false);
            remaining = remaining[SegmentLength..];
        }

        writer.WriteStringValueSegment(remaining, isFinalSegment: true);
    }
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
