using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using GenomeNode.Federation;
using GenomeNode.Host.Hosting;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Datasets;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace GenomeNode.Host.Web;

/// <summary>
/// The researcher page (<c>/</c>) and the committee console (<c>/dac</c>): static pages and scripts embedded in the
/// binary (no build step, no files beside it), which call the node's own APIs from the browser. Two small JSON
/// answers serve only them: the sign-in settings and what the caller may do with each dataset.
/// </summary>
public static class WebPages
{
    public const string AssetsPath = "/web";

    // The pages load only the node's own scripts and styles and talk only to the node. igv.js draws on canvases and
    // sets style attributes as it lays out its tracks, which needs 'unsafe-inline' for styles (never for scripts).
    private const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IServiceCollection AddWebPages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.AddSingleton(_ => WebAssets.FromAssembly(typeof(WebPages).Assembly));
        return services;
    }

    public static IEndpointRouteBuilder MapWebPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<WebOptions>>().Value.Enabled)
        {
            endpoints.MapGet("/", (HttpContext context) => TypedResults.Redirect(context.Request.PathBase + NodeEndpoints.DocsPath)).ExcludeFromDescription();
            return endpoints;
        }

        // HEAD as well as GET for the files: monitors and link checkers ask with HEAD (Kestrel sends no body for it).
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        endpoints.MapMethods("/", read, (HttpContext context, WebAssets assets) => Page(context, assets, "index.html")).ExcludeFromDescription();
        endpoints.MapMethods("/dac", read, (HttpContext context, WebAssets assets) => Page(context, assets, "dac.html")).ExcludeFromDescription();
        endpoints.MapGet(AssetsPath + "/api/config", Config).ExcludeFromDescription();
        endpoints.MapGet(AssetsPath + "/api/access", AccessAsync).ExcludeFromDescription();
        endpoints.MapMethods(AssetsPath + "/{**name}", read, (string name, HttpContext context, WebAssets assets) => Page(context, assets, name))
            .ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Page(HttpContext context, WebAssets assets, string name)
    {
        if (assets.Find(name) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = PagePolicy;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static WebConfig Config(IOptions<WebOptions> web, IOptions<FederationOptions> federation) =>
        // Relative, like every path the pages use: behind a proxy that serves the node under a prefix they still resolve.
        new(web.Value.ClientId, "connect/authorize", "connect/token", "connect/logout", federation.Value.Partners.Count > 0);

    /// <summary>
    /// The datasets the caller may see, whether its credentials grant each (and why, as the access decision words it),
    /// and for granted datasets the htsget ids of their reads and variants. Hidden datasets are left out as everywhere.
    /// </summary>
    private static async Task<IResult> AccessAsync(
        HttpContext context, CatalogSnapshot datasets, Lazy<DatasetCatalog> catalog, DatasetVisibility visibility,
        HtsgetObjectStore objects, CancellationToken cancellationToken)
    {
        var access = RequestAccess.For(context);
        var caller = await access.CallerAsync(cancellationToken);
        if (caller.Rejection is { } rejection)
        {
            context.Response.Headers.WWWAuthenticate = RequestAccess.Challenge(rejection);
            return TypedResults.Json(new WebError("unauthorized", $"the token was refused: {rejection}"), statusCode: StatusCodes.Status401Unauthorized);
        }

        var visible = (await datasets.ListAsync(() => catalog.Value, cancellationToken))
            .Select(dataset => (Dataset: dataset, Decision: access.Decide(caller, dataset)))
            .Where(entry => visibility.IsVisible(entry.Dataset, entry.Decision))
            .ToList();
        // One read of the registered files for all granted datasets, not one per dataset.
        IReadOnlyList<RegisteredObject> registered = visible.Any(entry => entry.Decision.Granted) ? objects.List() : [];
        var files = registered.ToLookup(file => file.DatasetId, StringComparer.Ordinal);
        var answer = visible.Select(entry =>
        {
            var granted = entry.Decision.Granted ? files[entry.Dataset.Id] : [];
            return new WebDatasetAccess(
                entry.Dataset.Id, entry.Dataset.Name, entry.Dataset.Tier.ToName(), entry.Decision.Granted, entry.Decision.Reason, entry.Decision.Until,
                [.. granted.Where(f => f.Kind == HtsgetKind.Reads).Select(f => f.ObjectId).Distinct(StringComparer.Ordinal)],
                [.. granted.Where(f => f.Kind == HtsgetKind.Variants).Select(f => f.ObjectId).Distinct(StringComparer.Ordinal)]);
        }).ToList();

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new WebAccess(caller.Passport?.Subject, answer));
    }
}

public sealed record WebConfig(string? ClientId, string AuthorizeEndpoint, string TokenEndpoint, string LogoutEndpoint, bool Network);

public sealed record WebAccess(string? Subject, IReadOnlyList<WebDatasetAccess> Datasets);

public sealed record WebDatasetAccess(
    string Id, string Name, string Tier, bool Granted, string Reason, DateTimeOffset? Until, IReadOnlyList<string> Reads, IReadOnlyList<string> Variants);

public sealed record WebError(string Error, string ErrorDescription);

/// <summary>The pages' files, read once from the assembly's <c>web/</c> resources, each with its content type and ETag.</summary>
public sealed class WebAssets
{
    private readonly FrozenDictionary<string, WebAsset> assets;

    private WebAssets(FrozenDictionary<string, WebAsset> assets) => this.assets = assets;

    public static WebAssets FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".sizes"] = "text/plain";
        var found = new Dictionary<string, WebAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("web/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource["web/".Length..];
            var type = types.TryGetContentType(name, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal))
            {
                type += "; charset=utf-8";
            }

            found[name] = new WebAsset(content, type, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"").ToString());
        }

        return new WebAssets(found.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public WebAsset? Find(string name) => assets.GetValueOrDefault(name);
}

public sealed record WebAsset(byte[] Content, string ContentType, string ETag);
