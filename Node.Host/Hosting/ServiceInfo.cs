using System.Text.Json.Serialization;

namespace GenomeNode.Host.Hosting;

/// <summary>A GA4GH service-info 1.0.0 document, extended with the list of APIs the node offers.</summary>
public sealed record ServiceInfo(
    string Id,
    string Name,
    ServiceType Type,
    string? Description,
    ServiceOrganization Organization,
    string? ContactUrl,
    string? DocumentationUrl,
    string Environment,
    string Version,
    IReadOnlyList<OfferedApi> Services);

public sealed record ServiceType(string Group, string Artifact, string Version);

public sealed record ServiceOrganization(string Name, string Url);

/// <summary>One API served by this node: its GA4GH type and where it lives, relative to the node's base URL.</summary>
public sealed record OfferedApi(
    [property: JsonPropertyName("type")] ServiceType Type,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("description")] string Description);

/// <summary>The APIs that the composition root mapped; service-info lists exactly these.</summary>
public sealed class OfferedApis
{
    private readonly List<OfferedApi> apis = [];

    public IReadOnlyList<OfferedApi> All => apis;

    public void Add(OfferedApi api) => apis.Add(api);
}
