using GenomeNode.Passport.Web;

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
    /// <summary>Requests as addressed to <c>Node:PublicUrl</c>; nothing when the node has none.</summary>
    /// <remarks>Read from configuration here: the setting is validated when the node starts, before the middleware is built.</remarks>
    public static IApplicationBuilder UsePublicUrl(this IApplicationBuilder app, IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration[$"{NodeOptions.Section}:PublicUrl"]) ? app : app.UseMiddleware<PublicUrlRequests>();
}
