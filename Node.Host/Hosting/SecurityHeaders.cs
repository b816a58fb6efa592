using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace GenomeNode.Host.Hosting;

/// <summary>
/// The browser-facing headers of every response of the public server, set in this one place: no MIME sniffing, no
/// referrer, no framing, and a Content-Security-Policy that allows nothing (JSON and binary answers need nothing)
/// except on the API reference page, which gets exactly its own scripts.
/// </summary>
internal static partial class SecurityHeaders
{
    /// <summary>For everything but the reference page: a JSON or binary answer loads nothing and is never framed.</summary>
    public const string StrictPolicy = "default-src 'none'; frame-ancestors 'none'";

    // What the Scalar page needs, as headless Chromium reports it (DocsRenderingTests): its scripts from the node plus
    // its inline start-up script (by hash), the OpenAPI document and "try it" requests to the node, its favicon, and
    // inline styles, which its components create as they render (so they cannot be hashed in advance). No fonts (the
    // node disables Scalar's default ones), no other origin.
    private static string DocsPolicy(IEnumerable<string> inlineScriptHashes) =>
        $"default-src 'none'; script-src 'self' {string.Join(' ', inlineScriptHashes)}; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineScript();

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var response = context.Response;
            // On starting: after any handler (the exception handler clears headers), right before they are sent.
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = StrictPolicy;
                }

                return Task.CompletedTask;
            });

            return next(context);
        });

    /// <summary>The reference page's own policy; after the request's path is final (below any path prefix).</summary>
    public static IApplicationBuilder UseDocsPagePolicy(this IApplicationBuilder app, PathString docsPath) =>
        app.Use((context, next) => IsDocsPage(context.Request.Path, docsPath) ? WithInlineScriptsHashedAsync(context, next) : next(context));

    /// <summary>The reference page itself (<c>/docs</c>, <c>/docs/</c>, <c>/docs/{document}</c>), not its script and image files.</summary>
    private static bool IsDocsPage(PathString path, PathString docsPath) =>
        path.StartsWithSegments(docsPath, StringComparison.OrdinalIgnoreCase, out var rest)
        && !Path.HasExtension(rest.Value ?? "");

    /// <summary>Serves the page from a buffer (it is small) so its policy can allow the inline scripts it holds by their hash.</summary>
    private static async Task WithInlineScriptsHashedAsync(HttpContext context, RequestDelegate next)
    {
        var response = context.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }

        if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var hashes = InlineScript().Matches(html)
                .Select(match => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(match.Groups["body"].Value)))}'")
                .Distinct(StringComparer.Ordinal);
            response.Headers.ContentSecurityPolicy = DocsPolicy(hashes);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }
}
