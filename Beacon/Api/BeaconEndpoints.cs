using GenomeNode.Passport.Access;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Web;
using GenomeNode.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>The Beacon v2 HTTP surface under <c>/api</c>: framework endpoints and genomic variants.</summary>
public static class BeaconEndpoints
{
    public const string Prefix = "/api";

    private const string DefaultSchemaUrl =
        "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/models/json/beacon-v2-default-model/genomicVariations/defaultSchema.json";

    private const string ConfigurationSchemaUrl =
        "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/configuration/beaconConfigurationSchema.json";

    private const string MapSchemaUrl =
        "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/configuration/beaconMapSchema.json";

    private static readonly IReadOnlyList<SchemaReference> NoSchemas = [];

    public static IEndpointRouteBuilder MapBeacon(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).WithTags("Beacon v2");
        group.MapGet("", Info).WithName("BeaconRoot").WithSummary("Beacon info (same as /api/info)")
            .Produces<InfoResponse>();
        group.MapGet("/info", Info).WithName("BeaconInfo").WithSummary("Beacon info: id, name, organisation, API version")
            .Produces<InfoResponse>();
        group.MapGet("/service-info", ServiceInfo).WithName("BeaconServiceInfo").WithSummary("The beacon as a GA4GH service-info 1.0.0 document")
            .Produces<BeaconServiceInfo>();
        group.MapGet("/configuration", Configuration).WithName("BeaconConfiguration").WithSummary("Maturity, security levels and entry types")
            .Produces<ConfigurationResponse>();
        group.MapGet("/map", Map).WithName("BeaconMap").WithSummary("Endpoints of each entry type").Produces<MapResponse>();
        group.MapGet("/entry_types", EntryTypes).WithName("BeaconEntryTypes").WithSummary("The entry types this beacon serves")
            .Produces<EntryTypesResponse>();
        group.MapGet("/filtering_terms", FilteringTerms).WithName("BeaconFilteringTerms").WithSummary("Filtering terms (none yet)")
            .Produces<FilteringTermsResponse>();

        group.MapGet("/g_variants", (HttpContext context, CancellationToken cancellationToken) => GVariants(context, null, cancellationToken))
            .WithName("GetGenomicVariants")
            .WithSummary("Genomic variant query (sequence, range, bracket, gene, amino-acid change, HGVS) from query-string parameters")
            .Produces<BooleanResponse>().Produces<ResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);
        group.MapPost("/g_variants", (HttpContext context, CancellationToken cancellationToken) => GVariants(context, null, cancellationToken))
            .WithName("PostGenomicVariants")
            .WithSummary("Genomic variant query from a Beacon request body (flat, nested or list requestParameters)")
            .Produces<BooleanResponse>().Produces<ResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);
        group.MapGet("/g_variants/{id}", (HttpContext context, string id, CancellationToken cancellationToken) => GVariants(context, id, cancellationToken))
            .WithName("GetGenomicVariant")
            .WithSummary("One genomic variant by id (chromosome:start:ref:alt, as variantInternalId gives it)")
            .Produces<BooleanResponse>().Produces<ResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);
        group.MapPost("/g_variants/{id}", (HttpContext context, string id, CancellationToken cancellationToken) => GVariants(context, id, cancellationToken))
            .WithName("PostGenomicVariant")
            .WithSummary("One genomic variant by id, with a Beacon request body for granularity and pagination")
            .Produces<BooleanResponse>().Produces<ResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<BeaconOptions>>().Value.BenchmarkEndpoint)
        {
            endpoints.MapGet("/bench/fixed", FixedBytes).ExcludeFromDescription();
        }

        return endpoints;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> Fixed = new();

    /// <summary>The benchmark's peer: a JSON document of exactly <paramref name="size"/> bytes, built once per size.</summary>
    private static FileContentHttpResult FixedBytes(int size) =>
        TypedResults.Bytes(Fixed.GetOrAdd(Math.Clamp(size, 16, 1 << 20), static n =>
        {
            var bytes = new byte[n];
            bytes.AsSpan().Fill((byte)' ');
            "{\"fixed\":\""u8.CopyTo(bytes);
            bytes[n - 2] = (byte)'"';
            bytes[n - 1] = (byte)'}';
            bytes.AsSpan(10, n - 12).Fill((byte)'x');
            return bytes;
        }), "application/json");

    private static async Task<IResult> GVariants(HttpContext context, string? id, CancellationToken cancellationToken)
    {
        var beacon = context.RequestServices.GetRequiredService<IOptions<BeaconOptions>>().Value;
        var echo = new RequestEcho();
        var access = RequestAccess.For(context);
        var caller = await access.CallerAsync(cancellationToken);
        if (caller.Rejection is { } rejection)
        {
            // A token that is not accepted is refused, rather than answered as if anonymous: the caller should know.
            try
            {
                await access.AuditAsync(caller, GVariantService.Resource,
                    new AccessDecision(AuditEntry.NoDataset, AccessGrant.None, $"token refused: {rejection}"), false, "none");
            }
            catch (AuditUnavailableException ex)
            {
                return AuditUnavailable(beacon, echo, ex);
            }

            context.Response.Headers.WWWAuthenticate = RequestAccess.Challenge(rejection);
            return TypedResults.Json(
                GVariantService.Error(beacon, echo, StatusCodes.Status401Unauthorized, $"Authorization: the bearer token was not accepted ({rejection})"),
                BeaconJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status401Unauthorized);
        }

        try
        {
            GVariantRequest request;
            if (HttpMethods.IsPost(context.Request.Method))
            {
                // Member names are read case-sensitively (TryGetProperty), so only exact repeats are ambiguous.
                var (document, error) = await StrictJson.ParseAsync(context.Request.Body, StringComparer.Ordinal, cancellationToken);
                if (error is not null)
                {
                    throw new BeaconRequestException(error.PathOr("body"),
                        error.Problem == StrictJsonProblem.Syntax ? $"the request body is {error.Message}" : error.Message);
                }

                using (document)
                {
                    request = GVariantRequestParser.FromBody(document!.RootElement, beacon, id, echo);
                }
            }
            else
            {
                request = GVariantRequestParser.FromQuery(context.Request.Query, beacon, id, echo);
            }

            var answer = await context.RequestServices.GetRequiredService<GVariantService>().AnswerAsync(request, access, caller, cancellationToken);
            return answer switch
            {
                ResultSetsResponse records => TypedResults.Json(records, BeaconJsonContext.Default.ResultSetsResponse),
                BooleanResponse summary => TypedResults.Json(summary, BeaconJsonContext.Default.BooleanResponse),
                _ => throw new InvalidOperationException($"unexpected answer {answer.GetType().Name}"),
            };
        }
        catch (BeaconRequestException ex)
        {
            return TypedResults.Json(
                GVariantService.Error(beacon, echo, StatusCodes.Status400BadRequest, $"{ex.Parameter}: {ex.Message}"),
                BeaconJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (AuditUnavailableException ex)
        {
            return AuditUnavailable(beacon, echo, ex);
        }
    }

    /// <summary>A request the audit could not record is refused, never answered unrecorded.</summary>
    private static JsonHttpResult<ErrorResponse> AuditUnavailable(BeaconOptions beacon, RequestEcho echo, AuditUnavailableException ex) =>
        TypedResults.Json(
            GVariantService.Error(beacon, echo, StatusCodes.Status503ServiceUnavailable, ex.Message),
            BeaconJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status503ServiceUnavailable);

    private static ResponseMeta InformationalMeta(BeaconOptions beacon, IReadOnlyList<SchemaReference>? schemas = null) =>
        new(beacon.Id, BeaconOptions.ApiVersion, schemas ?? NoSchemas);

    private static JsonHttpResult<InfoResponse> Info(IOptions<BeaconOptions> options)
    {
        var beacon = options.Value;
        var organization = beacon.Organization;
        var response = new InfoResponse(
            InformationalMeta(beacon),
            new InfoResults(beacon.Id, beacon.Name, BeaconOptions.ApiVersion, beacon.Environment,
                new InfoOrganization(organization.Id, organization.Name, organization.Description, organization.Address, organization.WelcomeUrl,
                    organization.ContactUrl, organization.LogoUrl),
                beacon.Description, Version, beacon.WelcomeUrl, beacon.AlternativeUrl, null, null));
        return TypedResults.Json(response, BeaconJsonContext.Default.InfoResponse);
    }

    private static JsonHttpResult<BeaconServiceInfo> ServiceInfo(IOptions<BeaconOptions> options, PublicBaseUrl publicUrl, HttpRequest request)
    {
        var beacon = options.Value;
        var url = beacon.Organization.WelcomeUrl is { } welcome && Uri.TryCreate(welcome, UriKind.Absolute, out _) ? welcome : publicUrl.For(request);
        return TypedResults.Json(new BeaconServiceInfo(
                beacon.Id, beacon.Name, new BeaconServiceType("org.ga4gh", "beacon", BeaconOptions.ApiVersion), beacon.Description,
                new BeaconServiceOrganization(beacon.Organization.Name, url), beacon.Organization.ContactUrl, null, beacon.Environment, Version),
            BeaconJsonContext.Default.BeaconServiceInfo);
    }

    private static JsonHttpResult<ConfigurationResponse> Configuration(IOptions<BeaconOptions> options)
    {
        var beacon = options.Value;
        var status = beacon.Environment switch
        {
            "prod" => "PROD",
            "test" => "TEST",
            _ => "DEV",
        };
        var body = new ConfigurationBody(
            ConfigurationSchemaUrl,
            new MaturityAttributes(status),
            new SecurityAttributes(beacon.DefaultGranularity.ToLowerInvariant(), [.. AccessTiers.Names.Select(n => n.ToUpperInvariant())]),
            EntryTypeDefinitions);
        return TypedResults.Json(new ConfigurationResponse(InformationalMeta(beacon), body), BeaconJsonContext.Default.ConfigurationResponse);
    }

    private static JsonHttpResult<MapResponse> Map(IOptions<BeaconOptions> options, PublicBaseUrl publicUrl, HttpRequest request)
    {
        var root = publicUrl.For(request) + Prefix;
        var body = new MapBody(MapSchemaUrl, new Dictionary<string, MapEndpoint>
        {
            [GVariantService.EntityType] = new(GVariantService.EntityType, $"{root}/g_variants", $"{root}/g_variants/{{id}}", null),
        });
        return TypedResults.Json(new MapResponse(InformationalMeta(options.Value), body), BeaconJsonContext.Default.MapResponse);
    }

    private static JsonHttpResult<EntryTypesResponse> EntryTypes(IOptions<BeaconOptions> options) =>
        TypedResults.Json(new EntryTypesResponse(InformationalMeta(options.Value), new EntryTypesBody(EntryTypeDefinitions)),
            BeaconJsonContext.Default.EntryTypesResponse);

    private static JsonHttpResult<FilteringTermsResponse> FilteringTerms(IOptions<BeaconOptions> options) =>
        TypedResults.Json(new FilteringTermsResponse(InformationalMeta(options.Value), new FilteringTermsBody([], [])),
            BeaconJsonContext.Default.FilteringTermsResponse);

    private static IReadOnlyDictionary<string, EntryTypeDefinition> EntryTypeDefinitions { get; } = new Dictionary<string, EntryTypeDefinition>
    {
        [GVariantService.EntityType] = new(
            GVariantService.EntityType,
            "Genomic Variants",
            "Genomic variants of the node's datasets, from ingested VCFs: one entry per ALT allele, trimmed to a canonical form.",
            new OntologyTerm("ENSGLOSSARY:0000092", "Variant"),
            "Beacon v2.1.1",
            new SchemaDefinitionReference(GVariantService.DefaultSchemaId, "Default schema for a genomic variation", DefaultSchemaUrl, "v2.1.0"),
            NonFilteredQueriesAllowed: false),
    };

    private static string Version => typeof(BeaconEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

}
