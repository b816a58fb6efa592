namespace GenomeNode.Htsget.Api;

/// <summary>
/// How the htsget service-info endpoints describe the service; the host fills it from the node's own identity
/// (it is not bound from configuration).
/// </summary>
public sealed class HtsgetServiceInfoOptions
{
    /// <summary>Service id in reverse domain notation; each endpoint appends <c>.htsget-reads</c> or <c>.htsget-variants</c>.</summary>
    public string Id { get; set; } = "org.example.genome-node";

    public string Name { get; set; } = "Genome Node";

    public string OrganizationName { get; set; } = "Unconfigured Genome Node operator";

    public string OrganizationUrl { get; set; } = "https://example.org";

    public string? ContactUrl { get; set; }

    public string? DocumentationUrl { get; set; }

    public string? Environment { get; set; }

    public string Version { get; set; } = "0.0.0";
}
