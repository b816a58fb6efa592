using System.Globalization;
using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Requests;
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

using GVariantResults = Results<BufferedJsonResult<BooleanResponse>, BufferedJsonResult<ResultSetsResponse>, JsonHttpResult<ErrorResponse>>;

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

        group.MapGet("/g_variants", GetAsync)
            .WithName("GetGenomicVariants")
            .WithSummary("Genomic variant query (sequence, range, bracket, gene, amino-acid change, HGVS) from query-string parameters")
            .Produces<BooleanResponse>().Produces<ResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized).Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        group.MapPost("/g_variants", PostAsync)
            .WithName("PostGenomicVariants")
            .WithSummary("Genomic variant query from a Beacon request body (flat, nested or list requestParameters)")
            .Produces<BooleanResponse>().Produces<ResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized).Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        group.MapGet("/g_variants/{id}", GetOneAsync)
            .WithName("GetGenomicVariant")
            .WithSummary("One genomic variant by id (chromosome:start:ref:alt, as variantInternalId gives it)")
            .Produces<BooleanResponse>().Produces<ResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized).Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        group.MapPost("/g_variants/{id}", PostOneAsync)
            .WithName("PostGenomicVariant")
            .WithSummary("One genomic variant by id, with a Beacon request body for granularity and pagination")
            .Produces<BooleanResponse>().Produces<ResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized).Produces<ErrorResponse>(StatusCodes.Status403Forbidden)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
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

    private static Task<GVariantResults> GetAsync(
        HttpRequest http, RequestAccess access, GVariantService variants, IOptions<BeaconOptions> options, CancellationToken cancellationToken) =>
        AnswerAsync(http, null, fromBody: false, access, variants, options.Value, cancellationToken);

    private static Task<GVariantResults> GetOneAsync(
        HttpRequest http, string id, RequestAccess access, GVariantService variants, IOptions<BeaconOptions> options, CancellationToken cancellationToken) =>
        AnswerAsync(http, id, fromBody: false, access, variants, options.Value, cancellationToken);

    private static Task<GVariantResults> PostAsync(
        HttpRequest http, RequestAccess access, GVariantService variants, IOptions<BeaconOptions> options, CancellationToken cancellationToken) =>
        AnswerAsync(http, null, fromBody: true, access, variants, options.Value, cancellationToken);

    private static Task<GVariantResults> PostOneAsync(
        HttpRequest http, string id, RequestAccess access, GVariantService variants, IOptions<BeaconOptions> options, CancellationToken cancellationToken) =>
        AnswerAsync(http, id, fromBody: true, access, variants, options.Value, cancellationToken);

    /// <summary>
    /// A g_variants request: the caller first (a refused token is a 401 whatever the request), then the request read
    /// from the query string or the body (a 400 names the parameter at fault), then the answer.
    /// </summary>
    private static async Task<GVariantResults> AnswerAsync(
        HttpRequest http, string? id, bool fromBody, RequestAccess access, GVariantService variants, BeaconOptions beacon, CancellationToken cancellationToken)
    {
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
                return Refused(beacon, ReceivedRequest.Nothing, StatusCodes.Status503ServiceUnavailable, ex.Message);
            }

            http.HttpContext.Response.Headers.WWWAuthenticate = RequestAccess.Challenge(rejection);
            return Refused(beacon, ReceivedRequest.Nothing, StatusCodes.Status401Unauthorized, $"Authorization: the bearer token was not accepted ({rejection})");
        }

        GVariantRequest request;
        var asked = Asked(http, default);
        try
        {
            if (fromBody)
            {
                var body = await BodyAsync(http, cancellationToken);
                asked = Asked(http, body.Span);
                request = GVariantRequestParser.FromBody(body, id, beacon.RequestSettings);
            }
            else
            {
                request = GVariantRequestParser.FromQuery(http.Query, id, beacon.RequestSettings);
            }
        }
        catch (BeaconRequestException ex)
        {
            // What was asked is recorded even when it could not be read: probing is asking too.
            var problem = $"{ex.Parameter}: {ex.Message}";
            try
            {
                await access.AuditAsync(caller, GVariantService.Resource,
                    [new AuditedDecision(new AccessDecision(AuditEntry.NoDataset, AccessGrant.None, $"bad request: {problem}"), false, "none",
                        new AuditDetails(asked, "error", null, 0))]);
            }
            catch (AuditUnavailableException unavailable)
            {
                return Refused(beacon, ex.Received ?? ReceivedRequest.Nothing, StatusCodes.Status503ServiceUnavailable, unavailable.Message);
            }

            return Refused(beacon, ex.Received ?? ReceivedRequest.Nothing, StatusCodes.Status400BadRequest, problem);
        }

        try
        {
            var answer = await variants.AnswerAsync(request, access, caller, asked, cancellationToken);
            return answer.ResultSets is { } sets
                ? new BufferedJsonResult<ResultSetsResponse>(new ResultSetsResponse(answer.Meta, answer.Summary, sets, answer.Info), BeaconJsonContext.Default.ResultSetsResponse)
                : new BufferedJsonResult<BooleanResponse>(new BooleanResponse(answer.Meta, answer.Summary, answer.Info), BeaconJsonContext.Default.BooleanResponse);
        }
        catch (PrivacyRefusalException ex)
        {
            if (ex.RetryAfter is { } wait)
            {
                http.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
            else if (ex.Status == StatusCodes.Status401Unauthorized)
            {
                http.HttpContext.Response.Headers.WWWAuthenticate = RequestAccess.Challenge(null);
            }

            return Refused(beacon, request.Received, ex.Status, ex.Message);
        }
        catch (BeaconRequestException ex)
        {
            return Refused(beacon, request.Received, StatusCodes.Status400BadRequest, $"{ex.Parameter}: {ex.Message}");
        }
        catch (AuditUnavailableException ex)
        {
            // A request the audit could not record is refused, never answered unrecorded.
            return Refused(beacon, request.Received, StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
    }

    /// <summary>The most of a request the audit keeps: enough for any real query, bounded for a hostile one.</summary>
    private const int AskedLimit = 4096;

    /// <summary>The request as it came, for the audit: method, path and query string, and the body of a POST (cut at <see cref="AskedLimit"/>).</summary>
    private static string Asked(HttpRequest http, ReadOnlySpan<byte> body)
    {
        var text = $"{http.Method} {http.Path}{http.QueryString}";
        if (!body.IsEmpty)
        {
            text += " " + System.Text.Encoding.UTF8.GetString(body[..Math.Min(body.Length, AskedLimit)]);
        }

        return text.Length <= AskedLimit ? text : string.Concat(text.AsSpan(0, AskedLimit), "…");
    }

    /// <summary>The whole body, which the request parser reads under the node's rule for caller JSON.</summary>
    private static async Task<ReadOnlyMemory<byte>> BodyAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static JsonHttpResult<ErrorResponse> Refused(BeaconOptions beacon, ReceivedRequest received, int status, string message) =>
        TypedResults.Json(GVariantService.Error(beacon, received, status, message), BeaconJsonContext.Default.ErrorResponse, statusCode: status);

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
