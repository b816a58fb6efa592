using System.Globalization;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Requests;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
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
        endpoints.MapBeaconEntries();
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

    private static Task<IResult> GetAsync(
        HttpRequest http, RequestAccess access, GVariantService variants, IOptions<BeaconOptions> options, CancellationToken cancellationToken) =>
        VariantsAsync(http, null, fromBody: false, access, variants, options.Value, cancellationToken);

    private static Task<IResult> GetOneAsync(
        HttpRequest http, string id, RequestAccess access, GVariantService variants, IOptions<BeaconOptions> options, CancellationToken cancellationToken) =>
        VariantsAsync(http, id, fromBody: false, access, variants, options.Value, cancellationToken);

    private static Task<IResult> PostAsync(
        HttpRequest http, RequestAccess access, GVariantService variants, IOptions<BeaconOptions> options, CancellationToken cancellationToken) =>
        VariantsAsync(http, null, fromBody: true, access, variants, options.Value, cancellationToken);

    private static Task<IResult> PostOneAsync(
        HttpRequest http, string id, RequestAccess access, GVariantService variants, IOptions<BeaconOptions> options, CancellationToken cancellationToken) =>
        VariantsAsync(http, id, fromBody: true, access, variants, options.Value, cancellationToken);

    private static Task<IResult> VariantsAsync(
        HttpRequest http, string? id, bool fromBody, RequestAccess access, GVariantService variants, BeaconOptions beacon, CancellationToken cancellationToken) =>
        RunAsync(http, fromBody, access, beacon, GVariantService.Resource,
            query => GVariantRequestParser.FromQuery(query, id, beacon.RequestSettings),
            body => GVariantRequestParser.FromBody(body, id, beacon.RequestSettings),
            request => request.Received,
            async (request, caller, asked) =>
            {
                var answer = await variants.AnswerAsync(request, access, caller, asked, cancellationToken);
                return answer.ResultSets is { } sets
                    ? new BufferedJsonResult<ResultSetsResponse>(new ResultSetsResponse(answer.Meta, answer.Summary, sets, answer.Info), BeaconJsonContext.Default.ResultSetsResponse)
                    : new BufferedJsonResult<BooleanResponse>(new BooleanResponse(answer.Meta, answer.Summary, answer.Info), BeaconJsonContext.Default.BooleanResponse);
            },
            cancellationToken);

    /// <summary>
    /// A Beacon query of any entry type: the caller first (a refused token is a 401 whatever the request), then the
    /// request read from the query string or the body (a 400 names the parameter at fault), then the answer; every
    /// refusal is a Beacon errorResponse, and what was asked is audited even when it could not be read.
    /// </summary>
    internal static async Task<IResult> RunAsync<TRequest>(
        HttpRequest http, bool fromBody, RequestAccess access, BeaconOptions beacon, string resource,
        Func<IQueryCollection, TRequest> fromQuery, Func<ReadOnlyMemory<byte>, TRequest> fromBodyParse, Func<TRequest, ReceivedRequest> received,
        Func<TRequest, Caller, string, Task<IResult>> answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var result = await AnswerAsync(http, fromBody, access, beacon, resource, fromQuery, fromBodyParse, received, answer, cancellationToken);
        http.HttpContext.RequestServices.GetService<BeaconMetrics>()?.Answered(resource, result);
        return result;
    }

    private static async Task<IResult> AnswerAsync<TRequest>(
        HttpRequest http, bool fromBody, RequestAccess access, BeaconOptions beacon, string resource,
        Func<IQueryCollection, TRequest> fromQuery, Func<ReadOnlyMemory<byte>, TRequest> fromBodyParse, Func<TRequest, ReceivedRequest> received,
        Func<TRequest, Caller, string, Task<IResult>> answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(beacon);
        ArgumentNullException.ThrowIfNull(answer);
        var caller = await access.CallerAsync(cancellationToken);
        if (caller.Rejection is { } rejection)
        {
            // A token that is not accepted is refused, rather than answered as if anonymous: the caller should know.
            try
            {
                await access.AuditAsync(caller, resource,
                    new AccessDecision(AuditEntry.NoDataset, AccessGrant.None, $"token refused: {rejection}"), false, "none");
            }
            catch (AuditUnavailableException ex)
            {
                return Refused(beacon, ReceivedRequest.Nothing, StatusCodes.Status503ServiceUnavailable, ex.Message);
            }

            http.HttpContext.Response.Headers.WWWAuthenticate = RequestAccess.Challenge(rejection);
            return Refused(beacon, ReceivedRequest.Nothing, StatusCodes.Status401Unauthorized, $"Authorization: the bearer token was not accepted ({rejection})");
        }

        TRequest request;
        var asked = Asked(http, default);
        try
        {
            if (fromBody)
            {
                var body = await BodyAsync(http, cancellationToken);
                asked = Asked(http, body.Span);
                request = fromBodyParse(body);
            }
            else
            {
                request = fromQuery(http.Query);
            }
        }
        catch (BeaconRequestException ex)
        {
            // What was asked is recorded even when it could not be read: probing is asking too.
            var problem = $"{ex.Parameter}: {ex.Message}";
            try
            {
                await access.AuditAsync(caller, resource,
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
            return await answer(request, caller, asked);
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

            return Refused(beacon, received(request), ex.Status, ex.Message);
        }
        catch (BeaconRequestException ex)
        {
            return Refused(beacon, received(request), StatusCodes.Status400BadRequest, $"{ex.Parameter}: {ex.Message}");
        }
        catch (AuditUnavailableException ex)
        {
            // A request the audit could not record is refused, never answered unrecorded.
            return Refused(beacon, received(request), StatusCodes.Status503ServiceUnavailable, ex.Message);
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

    internal static JsonHttpResult<ErrorResponse> Refused(BeaconOptions beacon, ReceivedRequest received, int status, string message) =>
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
        var sets = new Dictionary<string, MapEndpoint>(StringComparer.Ordinal);
        foreach (var type in GenomeNode.Beacon.Entries.EntryTypes.All)
        {
            var segment = type.PathSegment();
            var related = EntryEndpoints.CrossEntry.Where(c => c.From == type)
                .ToDictionary(c => c.To.PathSegment(), c => new RelatedEndpoint(EntityTypeOf(c.To), $"{root}/{segment}/{{id}}/{c.To.PathSegment()}"),
                    StringComparer.Ordinal);
            sets[EntityTypeOf(type)] = new MapEndpoint(EntityTypeOf(type), $"{root}/{segment}", $"{root}/{segment}/{{id}}", null,
                related.Count == 0 ? null : related);
        }

        var body = new MapBody(MapSchemaUrl, sets);
        return TypedResults.Json(new MapResponse(InformationalMeta(options.Value), body), BeaconJsonContext.Default.MapResponse);
    }

    private static JsonHttpResult<EntryTypesResponse> EntryTypes(IOptions<BeaconOptions> options) =>
        TypedResults.Json(new EntryTypesResponse(InformationalMeta(options.Value), new EntryTypesBody(EntryTypeDefinitions)),
            BeaconJsonContext.Default.EntryTypesResponse);

    /// <summary>The entity type an entry type's answers name: genomicVariant for g_variants (as before), else the model's name.</summary>
    private static string EntityTypeOf(EntryType type) => type == EntryType.GenomicVariation ? GVariantService.EntityType : type.Name();

    private const string ModelUrl = "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/models/json/beacon-v2-default-model";

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
        ["individual"] = Definition(EntryType.Individual, "Individuals", "People of the node's datasets: VCF samples and imported clinical data, one entity per id.",
            new OntologyTerm("NCIT:C25190", "Person")),
        ["biosample"] = Definition(EntryType.Biosample, "Biosamples", "Samples taken from the individuals, as imported (BFF, FHIR Specimen, Phenopackets).",
            new OntologyTerm("NCIT:C70699", "Biospecimen")),
        ["run"] = Definition(EntryType.Run, "Sequencing runs", "Sequencing runs of the biosamples, as imported (BFF).",
            new OntologyTerm("NCIT:C148088", "Sequencing run")),
        ["analysis"] = Definition(EntryType.Analysis, "Bioinformatics analyses", "Analyses of the runs, as imported (BFF).",
            new OntologyTerm("edam:operation_2945", "Analysis")),
        ["cohort"] = Definition(EntryType.Cohort, "Cohorts", "Cohorts of the datasets, as imported (BFF), with their datasets' counts.",
            new OntologyTerm("NCIT:C61512", "Cohort"), nonFiltered: true),
        ["dataset"] = Definition(EntryType.Dataset, "Datasets", "The node's datasets, with their DUO data use conditions and counts.",
            new OntologyTerm("NCIT:C47824", "Data set"), nonFiltered: true),
    };

    private static EntryTypeDefinition Definition(EntryType type, string name, string description, OntologyTerm term, bool nonFiltered = true) =>
        new(type.Name(), name, description, term, "Beacon v2.1.1",
            new SchemaDefinitionReference(EntryService.SchemaId(type), $"Default schema for {name.ToLowerInvariant()}",
                $"{ModelUrl}/{(type == EntryType.Analysis ? "analyses" : type.Name() + "s")}/defaultSchema.json", "v2.0.0"),
            nonFiltered);

    private static string Version => typeof(BeaconEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

}
