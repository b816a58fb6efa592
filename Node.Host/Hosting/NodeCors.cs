using Microsoft.AspNetCore.Cors.Infrastructure;

namespace GenomeNode.Host.Hosting;

/// <summary>
/// Which surfaces browsers on other origins may call, decided per surface. Beacon and the data-use API are called by
/// discovery portals from their own origins, with a passport in the Authorization header and never with cookies (the
/// node sets none); node-level documents may be read from anywhere; htsget has its own policy (HtsgetModule); the
/// reference page and the admin channel (a separate loopback server without CORS) are never called cross-origin.
/// </summary>
internal static class NodeCors
{
    /// <summary>Beacon and /dataUse: any origin, GET and POST, the Authorization header, no credentials.</summary>
    public const string PortalApis = "portal-apis";

    /// <summary>/service-info, /health and the OpenAPI document: any origin, GET only.</summary>
    public const string PublicDocuments = "public-documents";

    public static IServiceCollection AddNodeCors(this IServiceCollection services) =>
        services.AddCors(options =>
        {
            options.AddPolicy(PortalApis, policy => policy
                // "*": no origin is echoed, and browsers then never attach cookies or HTTP authentication.
                .AllowAnyOrigin()
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders("Authorization", "Content-Type", "Accept")
                .WithExposedHeaders("WWW-Authenticate")
                .SetPreflightMaxAge(TimeSpan.FromHours(1)));
            options.AddPolicy(PublicDocuments, policy => policy
                .AllowAnyOrigin()
                .WithMethods(HttpMethods.Get));
        });

    /// <summary>A route group, at the root, whose endpoints answer portals' cross-origin requests.</summary>
    public static IEndpointRouteBuilder PortalGroup(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup("").RequireCors(PortalApis);
}
