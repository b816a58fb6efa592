using Microsoft.AspNetCore.Http;

namespace GenomeNode.Passport.Web;

/// <summary>
/// Where every absolute URL the node hands out starts (htsget data URLs, the Beacon map, service-info links): the
/// configured public URL when the host sets one (<c>Node:PublicUrl</c>), else the request's scheme, host and path
/// base, which the host accepts only for the hosts it allows (<c>AllowedHosts</c>). It lives here because Beacon and
/// htsget both reference this module, so the rule is written once for the node.
/// </summary>
public sealed class PublicBaseUrl
{
    /// <summary>No configured URL: every URL follows the request.</summary>
    public static PublicBaseUrl FromRequests { get; } = new(null);

    /// <param name="configured">an absolute http(s) URL, possibly with a path base; null or empty to follow requests</param>
    public PublicBaseUrl(string? configured) =>
        Configured = string.IsNullOrWhiteSpace(configured) ? null : configured.TrimEnd('/');

    /// <summary>The configured base URL without a trailing slash, or null.</summary>
    public string? Configured { get; }

    /// <summary>The base URL (no trailing slash) that URLs given in answer to <paramref name="request"/> start with.</summary>
    public string For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Configured ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
