using GenomeNode.Passport.Web;
using Microsoft.AspNetCore.Routing.Patterns;

namespace GenomeNode.Host.Hosting;

/// <summary>
/// With <c>Node:PublicUrl</c>, every request is taken as addressed to that URL: its host and path become the
/// request's Host and PathBase. What ASP.NET Core and OpenIddict build from the request (the discovery document's
/// endpoints, redirects to the sign-in form, cookie paths) then follows the public URL, below a path prefix too,
/// and never a Host header a caller sent. A proxy may forward the prefix or strip it: a path that starts with it has
/// it removed, as <c>UsePathBase</c> does. The scheme is the connection's, or a trusted proxy's
/// <c>X-Forwarded-Proto</c> (<see cref="TrustedProxies"/>), so that the broker's https requirement still means
/// something.
/// </summary>
internal sealed class PublicUrlRequests
{
    private readonly RequestDelegate next;
    private readonly HostString host;
    private readonly PathString pathBase;

    public PublicUrlRequests(RequestDelegate next, PublicBaseUrl publicUrl)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        this.next = next;
        var uri = new Uri(publicUrl.Configured ?? throw new ArgumentException("no public URL is configured", nameof(publicUrl)));
        host = HostString.FromUriComponent(uri);
        pathBase = PathString.FromUriComponent(uri.AbsolutePath.TrimEnd('/'));
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        request.Host = host;
        if (pathBase.HasValue)
        {
            if (request.Path.StartsWithSegments(pathBase, out var remainder))
            {
                // The prefix itself, without its slash: the pages' relative links only resolve below "prefix/".
                if (!remainder.HasValue && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
                {
                    context.Response.Redirect(pathBase + "/" + request.QueryString);
                    return Task.CompletedTask;
                }

                request.Path = remainder;
            }

            request.PathBase = pathBase;
        }

        return next(context);
    }
}

internal static class PublicUrlRequestsExtensions
{
    /// <summary>
    /// Why <paramref name="publicUrl"/>'s path cannot serve as the node's prefix, or null: when its first segment is
    /// also one the node serves (<c>/api</c>, say), a request a proxy stripped the prefix from could not be told apart
    /// from one whose proxy kept it.
    /// </summary>
    /// <param name="servedPaths">the node's own first path segments: its endpoints' and those its middleware answers</param>
    public static string? PrefixFault(string? publicUrl, IEnumerable<string> servedPaths)
    {
        if (string.IsNullOrWhiteSpace(publicUrl) || !Uri.TryCreate(publicUrl, UriKind.Absolute, out var uri)
            || uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is not { } first)
        {
            return null;
        }

        var segment = Uri.UnescapeDataString(first);
        return servedPaths.Contains(segment, StringComparer.OrdinalIgnoreCase)
            ? $"{NodeOptions.Section}:PublicUrl must not begin with a path the node serves itself ('/{segment}'): a request " +
              $"a proxy stripped the prefix from could not be told apart from one that kept it; choose another prefix (got '{publicUrl}')"
            : null;
    }

    /// <summary>The first path segment of every route endpoint, and the paths middleware answers before routing.</summary>
    public static IEnumerable<string> ServedPaths(IEnumerable<EndpointDataSource> sources, params string[] middlewarePaths) =>
        sources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => endpoint.RoutePattern.PathSegments is [{ Parts: [RoutePatternLiteralPart literal] }, ..] ? literal.Content : null)
            .Concat(middlewarePaths.Select(path => path.Trim('/').Split('/')[0]))
            .OfType<string>()
            .Where(segment => segment.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests as addressed to <c>Node:PublicUrl</c>; nothing when the node has none.</summary>
    /// <remarks>Read from configuration here: the setting is validated when the node starts, before the middleware is built.</remarks>
    public static IApplicationBuilder UsePublicUrl(this IApplicationBuilder app, IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration[$"{NodeOptions.Section}:PublicUrl"]) ? app : app.UseMiddleware<PublicUrlRequests>();
}
