using GenomeNode.Passport.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace GenomeNode.Host.Hosting;

/// <summary>The node-level HTTP surface: health, service-info, the OpenAPI document and its reference page.</summary>
public static class NodeEndpoints
{
    /// <summary>The service-info <c>type.group</c> of the node as a whole (it is not itself one GA4GH API).</summary>
    public const string NodeServiceGroup = "org.genomenode";

    /// <summary>Where the API reference page is served.</summary>
    public const string DocsPath = "/docs";

    public static IServiceCollection AddNodeEndpoints(this IServiceCollection services)
    {
        services.AddSingleton<OfferedApis>();
        services.AddHealthChecks().AddCheck<DuckDbHealthCheck>("duckdb");
        services.AddOpenApi(options => options.AddDocumentTransformer((document, context, _) =>
        {
            // The document names its server from the request's Host unless the node has a public URL.
            if (context.ApplicationServices.GetRequiredService<PublicBaseUrl>().Configured is { } publicUrl)
            {
                document.Servers = [new OpenApiServer { Url = publicUrl }];
            }

            document.Info.Title = "Genome Node";
            document.Info.Version = NodeComposition.Version;
            document.Info.Description =
                "GA4GH data-access node: node-level endpoints, and the Beacon v2, htsget, Passport and DUO APIs as they are enabled.";
            return Task.CompletedTask;
        }).AddSchemaTransformer((schema, context, _) =>
        {
            // A ticket URL is written as a JSON string by its own converter; the generator cannot see that.
            if (context.JsonTypeInfo.Type == typeof(GenomeNode.Htsget.Api.TicketUrl))
            {
                schema.Type = JsonSchemaType.String;
                schema.Format = "uri";
                schema.Properties?.Clear();
            }

            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapNodeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/service-info", GetServiceInfo)
            .WithName("GetServiceInfo")
            .WithTags("Node")
            .WithSummary("GA4GH service-info of the node, naming the APIs it offers")
            .RequireCors(NodeCors.PublicDocuments);

        endpoints.MapGet("/health", GetHealthAsync)
            .WithName("GetHealth")
            .WithTags("Node")
            .WithSummary("Health of the node and its DuckDB database (503 when unhealthy)")
            .RequireCors(NodeCors.PublicDocuments);

        endpoints.MapOpenApi("/openapi/{documentName}.json").RequireCors(NodeCors.PublicDocuments);
        endpoints.MapScalarApiReference(DocsPath, options => options
            .WithTitle("Genome Node API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts());
        return endpoints;
    }

    private static Ok<ServiceInfo> GetServiceInfo(IOptions<NodeOptions> options, OfferedApis apis, PublicBaseUrl publicUrl, HttpRequest request)
    {
        var node = options.Value;
        var baseUrl = publicUrl.For(request);
        return TypedResults.Ok(new ServiceInfo(
            Id: node.Id,
            Name: node.Name,
            Type: new ServiceType(NodeServiceGroup, "genome-node", NodeComposition.Version),
            Description: node.Description,
            Organization: new ServiceOrganization(node.Organization.Name, node.Organization.Url),
            ContactUrl: node.ContactUrl,
            DocumentationUrl: string.IsNullOrEmpty(node.DocumentationUrl) ? $"{baseUrl}/docs" : node.DocumentationUrl,
            Environment: node.Environment,
            Version: NodeComposition.Version,
            Services: apis.All));
    }

    private static async Task<JsonHttpResult<NodeHealth>> GetHealthAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var body = new NodeHealth(
            report.Status.ToString(),
            [.. report.Entries.Select(entry => new NodeHealthCheck(entry.Key, entry.Value.Status.ToString(), entry.Value.Description))]);
        return TypedResults.Json(body, statusCode: report.Status == HealthStatus.Unhealthy
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status200OK);
    }
}

public sealed record NodeHealth(string Status, IReadOnlyList<NodeHealthCheck> Checks);

public sealed record NodeHealthCheck(string Name, string Status, string? Description);
