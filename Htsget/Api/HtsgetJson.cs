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
    string Url,
    [property: JsonPropertyName("class")] string Class,
    IReadOnlyDictionary<string, string>? Headers = null);

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
