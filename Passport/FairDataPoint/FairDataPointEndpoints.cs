using System.Reflection;
using System.Text;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Rdf;
using GenomeNode.Passport.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace GenomeNode.Passport.FairDataPoint;

/// <summary>The two serialisations the FAIR Data Point answers in.</summary>
public enum RdfFormat
{
    Turtle,
    JsonLd,
}

/// <summary>
/// The FAIR Data Point's HTTP surface: <c>GET {Path}</c> (the FDP), <c>{Path}/catalog/{id}</c>,
/// <c>{Path}/dataset/{id}</c> and <c>{Path}/distribution/{id}/{name}</c>, in Turtle or JSON-LD by the Accept header
/// (Turtle when it names neither). Anonymous, and the same for every caller: only the datasets an operator described,
/// whose id follows the GDI identifier pattern and that anonymous callers may learn exist.
/// </summary>
public static partial class FairDataPointEndpoints
{
    public const string TurtleType = "text/turtle";
    public const string JsonLdType = "application/ld+json";

    public static IEndpointRouteBuilder MapFairDataPoint(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<FairDataPointOptions>>().Value;
        if (!options.Enabled)
        {
            return endpoints;
        }

        var group = endpoints.MapGroup(options.Path).WithTags("FAIR Data Point");
        group.MapGet("", Root).WithSummary("The FAIR Data Point (FDP 1.2): the node's metadata service, containing its catalogue");
        group.MapGet("/catalog/{id}", CatalogAsync).WithSummary("The catalogue: the described, listed datasets");
        group.MapGet("/dataset/{id}", DatasetAsync).WithSummary("A dataset's HealthDCAT-AP description");
        group.MapGet("/distribution/{id}/{name}", DistributionAsync).WithSummary("A distribution of a dataset (one per file format)");
        return endpoints;
    }

    /// <summary>
    /// The format the Accept header prefers: the highest quality among Turtle and JSON-LD (<c>application/json</c>
    /// counts as JSON-LD), Turtle for a tie, for wildcards and when it names neither or is absent or malformed.
    /// </summary>
    public static RdfFormat Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept) || !MediaTypeHeaderValue.TryParseList([accept], out var types))
        {
            return RdfFormat.Turtle;
        }

        double turtle = -1, jsonLd = -1;
        foreach (var type in types)
        {
            var quality = type.Quality ?? 1;
            var name = type.MediaType.Value ?? "";
            if (name.Equals(TurtleType, StringComparison.OrdinalIgnoreCase) || name.Equals("text/*", StringComparison.OrdinalIgnoreCase)
                || name.Equals("*/*", StringComparison.Ordinal))
            {
                turtle = Math.Max(turtle, quality);
            }
            else if (name.Equals(JsonLdType, StringComparison.OrdinalIgnoreCase) || name.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                jsonLd = Math.Max(jsonLd, quality);
            }
        }

        return jsonLd > 0 && jsonLd > turtle ? RdfFormat.JsonLd : RdfFormat.Turtle;
    }

    /// <summary>The graph in the format the request asks for.</summary>
    public static (string Body, string ContentType) Render(RdfGraph graph, RdfFormat format)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return format == RdfFormat.JsonLd
            ? (JsonLdWriter.Write(graph, FairDataPointDocuments.Prefixes), JsonLdType)
            : (TurtleWriter.Write(graph, FairDataPointDocuments.Prefixes), TurtleType);
    }

    private static ContentHttpResult Root(HttpContext http, FairDataPointCatalog fdp) =>
        Answer(http, fdp.Documents(http.Request).Root());

    private static async Task<ContentHttpResult> CatalogAsync(string id, HttpContext http, FairDataPointCatalog fdp, CancellationToken cancellationToken)
    {
        var documents = fdp.Documents(http.Request);
        return id != fdp.Options.CatalogId
            ? NotFound(http)
            : Answer(http, documents.Catalog(await fdp.ListedAsync(cancellationToken)));
    }

    private static async Task<ContentHttpResult> DatasetAsync(string id, HttpContext http, FairDataPointCatalog fdp, CancellationToken cancellationToken) =>
        await fdp.FindListedAsync(id, cancellationToken) is { } described
            ? Answer(http, fdp.Documents(http.Request).Dataset(described))
            : NotFound(http);

    private static async Task<ContentHttpResult> DistributionAsync(string id, string name, HttpContext http, FairDataPointCatalog fdp, CancellationToken cancellationToken) =>
        await fdp.FindListedAsync(id, cancellationToken) is { } described && fdp.Documents(http.Request).Distribution(described, name) is { } graph
            ? Answer(http, graph)
            : NotFound(http);

    private static ContentHttpResult Answer(HttpContext http, RdfGraph graph)
    {
        var (body, contentType) = Render(graph, Negotiate(http.Request.Headers.Accept.ToString()));
        http.Response.Headers.Vary = "Accept";
        return TypedResults.Text(body, contentType, Encoding.UTF8);
    }

    // The same answer for an unknown, undescribed, unlisted or hidden dataset: none tells them apart.
    private static ContentHttpResult NotFound(HttpContext http)
    {
        http.Response.Headers.Vary = "Accept";
        return TypedResults.Text("not found: no such resource in this FAIR Data Point\n", "text/plain", Encoding.UTF8, StatusCodes.Status404NotFound);
    }
}

/// <summary>What the FAIR Data Point lists, read per request from the catalog (one scoped connection).</summary>
public sealed partial class FairDataPointCatalog(
    Lazy<DatasetCatalog> catalog,
    DatasetVisibility visibility,
    IOptions<FairDataPointOptions> options,
    PublicBaseUrl publicBaseUrl,
    ILogger<FairDataPointCatalog> logger)
{
    private static readonly string SoftwareVersion =
        typeof(FairDataPointCatalog).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public FairDataPointOptions Options => options.Value;

    public FairDataPointDocuments Documents(HttpRequest request)
    {
        var nodeBase = publicBaseUrl.For(request);
        return new FairDataPointDocuments(options.Value, nodeBase + options.Value.Path, nodeBase, SoftwareVersion);
    }

    /// <summary>The datasets listed, ordered by id: described, with a GDI identifier, visible to anonymous callers.</summary>
    public async Task<IReadOnlyList<DescribedDataset>> ListedAsync(CancellationToken cancellationToken)
    {
        var listed = new List<DescribedDataset>();
        foreach (var described in await catalog.Value.ListDescribedAsync(cancellationToken))
        {
            if (Listable(described) is { } dataset)
            {
                listed.Add(dataset);
            }
        }

        return listed;
    }

    public async Task<DescribedDataset?> FindListedAsync(string id, CancellationToken cancellationToken) =>
        (await ListedAsync(cancellationToken)).FirstOrDefault(d => string.Equals(d.Dataset.Id, id, StringComparison.Ordinal));

    /// <summary>The dataset as listed (its description checked again by this build's rules), or null when it is not.</summary>
    private DescribedDataset? Listable(DescribedDataset described)
    {
        if (!DatasetMetadataRules.IsListableId(described.Dataset.Id) || !visibility.IsVisibleToAnonymous(described.Dataset))
        {
            return null;
        }

        var problems = new List<string>();
        var metadata = DatasetMetadataRules.Normalize(described.Metadata, described.Dataset.Tier, problems);
        if (problems.Count > 0)
        {
            LogNotListed(logger, described.Dataset.Id, string.Join("; ", problems));
            return null;
        }

        return described with { Metadata = metadata };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "FAIR Data Point: dataset {DatasetId} is described but not listed: {Problems}; describe it again with genome-node dataset update")]
    private static partial void LogNotListed(ILogger logger, string datasetId, string problems);
}
