using System.Text.Json;
using GenomeNode.Htsget.Access;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Web;
using GenomeNode.Shared;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tickets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget.Api;

/// <summary>
/// The <c>/htsget</c> HTTP surface (htsget 1.3): tickets by GET and POST for reads and variants, their service-info,
/// and the data endpoint the tickets' URLs point at. Every error answers in the specification's JSON form.
/// </summary>
public static class HtsgetEndpoints
{
    public const string Prefix = "/htsget";

    /// <summary>Content type of tickets and service-info, as htsget 1.3 suggests.</summary>
    public const string TicketContentType = "application/vnd.ga4gh.htsget.v1.3.0+json; charset=utf-8";

    /// <summary>Content type of error bodies, as htsget 1.3 gives it.</summary>
    public const string ErrorContentType = "application/json";

    private const string Tag = "htsget";

    /// <summary>Content type of Crypt4GH data answers.</summary>
    public const string Crypt4ghContentType = "application/vnd.ga4gh.crypt4gh";

    /// <summary>Where the node's Crypt4GH public key is published, for those who encrypt files for it.</summary>
    public const string Crypt4ghRecipientPath = "/.well-known/c4gh-recipient";

    public static IEndpointRouteBuilder MapHtsget(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(Prefix).WithTags(Tag).RequireCors(HtsgetModule.CorsPolicy);
        foreach (var kind in new[] { HtsgetKind.Reads, HtsgetKind.Variants })
        {
            var name = KindName(kind);
            var title = kind == HtsgetKind.Reads ? "Reads" : "Variants";
            group.MapGet($"/{name}/service-info", (IOptions<HtsgetServiceInfoOptions> options, HtsgetObjectCache objects) =>
                    ServiceInfo(kind, options.Value, objects.ServedFormats(kind)))
                .WithName($"Htsget{title}ServiceInfo")
                .WithSummary($"GA4GH service-info of the htsget {name} API")
                .Produces<HtsgetServiceInfo>(StatusCodes.Status200OK, TicketContentType);
            group.MapGet($"/{name}/{{id}}", (string id, HttpContext context, RequestAccess access, HtsgetService htsget, CancellationToken cancellationToken) =>
                    GetTicketAsync(kind, id, context, access, htsget, cancellationToken))
                .WithName($"Htsget{title}Ticket")
                .WithSummary($"htsget ticket for {name} of an object, optionally of one region (format, class, referenceName, start, end, fields, tags, notags)")
                .Produces<HtsgetTicketResponse>(StatusCodes.Status200OK, TicketContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status400BadRequest, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status401Unauthorized, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status404NotFound, ErrorContentType);
            group.MapPost($"/{name}/{{id}}", (string id, HttpContext context, RequestAccess access, HtsgetService htsget, IOptions<HtsgetOptions> options, CancellationToken cancellationToken) =>
                    PostTicketAsync(kind, id, context, access, htsget, options.Value, cancellationToken))
                .WithName($"Htsget{title}TicketForRegions")
                .WithSummary($"htsget ticket for {name} of an object over several regions (JSON body: format, class, fields, tags, notags, regions)")
                .Produces<HtsgetTicketResponse>(StatusCodes.Status200OK, TicketContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status400BadRequest, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status401Unauthorized, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status404NotFound, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status413PayloadTooLarge, ErrorContentType);
        }

        endpoints.MapGet(Crypt4ghRecipientPath, RecipientKey)
            .WithTags(Tag)
            .WithName("Crypt4ghRecipient")
            .WithSummary("The node's Crypt4GH public key (crypt4gh-keygen format): encrypt files for this node to it");
        group.MapGet("/data/{token}", GetDataAsync)
            .WithName("HtsgetData")
            .WithSummary("Bytes of an object's file that a ticket's signed, short-lived data URL grants (HTTP Range supported)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status200OK, contentType: Crypt4ghContentType)
            .Produces<HtsgetErrorResponse>(StatusCodes.Status403Forbidden, ErrorContentType)
            .Produces<HtsgetErrorResponse>(StatusCodes.Status404NotFound, ErrorContentType);
        return endpoints;
    }

    // formats: those some registered object can serve (all the endpoint serves while none of the kind is registered).
    private static JsonHttpResult<HtsgetServiceInfo> ServiceInfo(HtsgetKind kind, HtsgetServiceInfoOptions options, IReadOnlyList<string> formats) =>
        TypedResults.Json(
            new HtsgetServiceInfo(
                Id: $"{options.Id}.htsget-{KindName(kind)}",
                Name: $"{options.Name} htsget {KindName(kind)} API",
                Type: new HtsgetServiceType("org.ga4gh", "htsget", "1.3.0"),
                Description: kind == HtsgetKind.Reads
                    ? "Serves slices of aligned reads (BAM, CRAM) via the htsget protocol"
                    : "Serves slices of variant calls (VCF, BCF) via the htsget protocol",
                Organization: new HtsgetServiceOrganization(options.OrganizationName, options.OrganizationUrl),
                ContactUrl: options.ContactUrl,
                DocumentationUrl: options.DocumentationUrl,
                Environment: options.Environment,
                Version: options.Version,
                Htsget: new HtsgetCapabilities(KindName(kind), formats, FieldsParameterEffective: false, TagsParametersEffective: false)),
            HtsgetJsonContext.Web.HtsgetServiceInfo,
            TicketContentType);

    private static async Task<Results<TicketResult, JsonHttpResult<HtsgetErrorResponse>>> GetTicketAsync(
        HtsgetKind kind, string id, HttpContext context, RequestAccess access, HtsgetService htsget, CancellationToken cancellationToken)
    {
        try
        {
            var parameters = context.Request.Query.Select(parameter =>
                KeyValuePair.Create(parameter.Key, (IReadOnlyList<string?>)parameter.Value.ToArray()));
            var query = HtsgetRequests.FromQueryString(kind, parameters);
            return Ticket(context, kind, await htsget.TicketAsync(kind, id, query, access, htsget.DataBaseUrl(context.Request), cancellationToken, ClientKey(context.Request)));
        }
        catch (HtsgetException error)
        {
            return TicketError(context, kind, error);
        }
        catch (AuditUnavailableException error)
        {
            // A request the audit could not record is refused, never answered unrecorded.
            return TicketError(context, kind, new HtsgetException(HtsgetErrorType.Unavailable, error.Message));
        }
    }

    private static async Task<Results<TicketResult, JsonHttpResult<HtsgetErrorResponse>>> PostTicketAsync(
        HtsgetKind kind, string id, HttpContext context, RequestAccess access, HtsgetService htsget, HtsgetOptions options, CancellationToken cancellationToken)
    {
        try
        {
            if (context.Request.Query.Count > 0)
            {
                throw new HtsgetException(HtsgetErrorType.InvalidInput, "A POST request takes its parameters in the JSON body, not in the query string.");
            }

            var body = await ReadBodyAsync(context.Request, options.MaxPostBodyBytes, cancellationToken);
            var query = HtsgetRequests.FromPostBody(kind, ParsePostBody(body), options.MaxRegions);
            return Ticket(context, kind, await htsget.TicketAsync(kind, id, query, access, htsget.DataBaseUrl(context.Request), cancellationToken, ClientKey(context.Request)));
        }
        catch (HtsgetException error)
        {
            return TicketError(context, kind, error);
        }
        catch (AuditUnavailableException error)
        {
            // A request the audit could not record is refused, never answered unrecorded.
            return TicketError(context, kind, new HtsgetException(HtsgetErrorType.Unavailable, error.Message));
        }
    }

    private static IResult RecipientKey(NodeCrypt4ghKey key, ILogger<NodeCrypt4ghKey> logger)
    {
        try
        {
            return key.PublicKeyText() is { } text
                ? Results.Text(text, "text/plain; charset=utf-8")
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "This node has no Crypt4GH key", detail: "Its operator creates one with 'genome-node keys c4gh init'.");
        }
        catch (Formats.Crypt4gh.Crypt4ghException error)
        {
            // The operator's log says which file and why; the caller learns only that the key is unavailable.
            Log.Crypt4ghKeyUnreadable(logger, error);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The node's Crypt4GH key cannot be read right now");
        }
    }

    private static byte[]? ClientKey(HttpRequest request) =>
        Crypt4ghDelivery.ParseClientKey(request.Headers[Crypt4ghDelivery.ClientPublicKeyHeader].ToString());

    private static TicketResult Ticket(HttpContext context, HtsgetKind kind, HtsgetTicketResponse ticket)
    {
        Metrics(context)?.Ticket(kind, null);
        return new TicketResult(ticket);
    }

    private static JsonHttpResult<HtsgetErrorResponse> TicketError(HttpContext context, HtsgetKind kind, HtsgetException error)
    {
        Metrics(context)?.Ticket(kind, error.Type);
        return Error(context.Response, error);
    }

    private static HtsgetMetrics? Metrics(HttpContext context) => context.RequestServices.GetService<HtsgetMetrics>();

    /// <summary>The body under the node's rule for caller JSON (StrictJson), then bound; null for an empty body.</summary>
    private static HtsgetPostBody? ParsePostBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        // Members bind case-sensitively (the context sets no case-insensitive matching), so only exact repeats are ambiguous.
        if (!StrictJson.TryParse(body, StringComparer.Ordinal, StrictJson.DefaultMaxDepth, out var document, out var refused))
        {
            throw new HtsgetException(HtsgetErrorType.InvalidInput, refused.Problem == StrictJsonProblem.Syntax
                ? $"The request body is {refused.Message}"
                : $"The request body is not a valid htsget request: {refused.PathOr("body")}: {refused.Message}.");
        }

        using (document)
        {
            try
            {
                return document.RootElement.Deserialize(HtsgetJsonContext.Web.HtsgetPostBody);
            }
            catch (JsonException error)
            {
                throw new HtsgetException(HtsgetErrorType.InvalidInput, $"The request body is not a valid htsget request: {error.Message}");
            }
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var tooLarge = new HtsgetException(HtsgetErrorType.PayloadTooLarge, $"The request body is larger than {limit} bytes.");
        if (request.ContentLength > limit)
        {
            throw tooLarge;
        }

        var buffer = new byte[Math.Min(limit, 16 * 1024) + 1];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    throw tooLarge;
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
            if (length > limit)
            {
                throw tooLarge;
            }
        }
    }

    /// <summary>The ticket for a plan: file parts as signed data URLs under <paramref name="dataBaseUrl"/>, inline parts as data URIs.</summary>
    public static HtsgetTicketResponse Render(
        TicketPlan plan, RegisteredObject registered, string dataBaseUrl, DataUrls dataUrls, InlineDataUris inlineUris, string? ticketId = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(dataUrls);
        ArgumentNullException.ThrowIfNull(inlineUris);
        var expires = dataUrls.NewExpiry();
        var mediaType = $"application/vnd.ga4gh.{plan.Format.ToLowerInvariant()}";
        var urls = plan.Parts.Select(part => part switch
        {
            FilePart file => new HtsgetUrl(
                $"{dataBaseUrl}/{dataUrls.CreateToken(new DataRange(registered.ObjectId, file.Offset, file.Length), registered.Sha256, expires, ticketId)}",
                ClassName(file.Class)),
            InlinePart inline => new HtsgetUrl(TicketUrl.FromJsonString(inlineUris.JsonStringFor(mediaType, inline)), ClassName(inline.Class)),
            _ => throw new InvalidOperationException($"Unknown ticket part {part.GetType().Name}."),
        }).ToList();
        return new HtsgetTicketResponse(new HtsgetTicket(plan.Format, urls));
    }

    private static async Task<Results<FileSliceResult, PushStreamHttpResult, JsonHttpResult<HtsgetErrorResponse>>> GetDataAsync(
        string token, HttpContext context, RequestAccess access, HtsgetService htsget, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await htsget.FetchAsync(token, context.Request.Headers.Range.ToString(), access, cancellationToken, ClientKey(context.Request));
            var metrics = Metrics(context);
            metrics?.Fetch(null);
            if (answer.Slice is { } slice)
            {
                if (metrics is not null)
                {
                    // Counted as read out of the file, so a range asked of the slice counts what was sent.
                    slice.BytesRead = metrics.Streamed;
                }

                return new FileSliceResult(slice, "application/octet-stream");
            }

            // A Crypt4GH stream is answered whole (a Range over ciphertext helps no reader).
            if (answer.Length is { } length)
            {
                context.Response.ContentLength = length;
            }

            return TypedResults.Stream(async output =>
            {
                await answer.Write!(output, context.RequestAborted);
                if (answer.Length is { } sent)
                {
                    metrics?.Streamed(sent);
                }
            }, Crypt4ghContentType);
        }
        catch (HtsgetException error)
        {
            Metrics(context)?.Fetch(error.Type);
            return Error(context.Response, error);
        }
        catch (AuditUnavailableException error)
        {
            // A request the audit could not record is refused, never answered unrecorded.
            Metrics(context)?.Fetch(HtsgetErrorType.Unavailable);
            return Error(context.Response, new HtsgetException(HtsgetErrorType.Unavailable, error.Message));
        }
    }

    private static JsonHttpResult<HtsgetErrorResponse> Error(HttpResponse response, HtsgetException error)
    {
        if (error.Type == HtsgetErrorType.InvalidAuthentication)
        {
            response.Headers.WWWAuthenticate = error.Challenge ?? RequestAccess.Challenge(null);
        }

        return TypedResults.Json(
            new HtsgetErrorResponse(new HtsgetErrorBody(error.Type.ToString(), error.Message)),
            HtsgetJsonContext.Web.HtsgetErrorResponse,
            ErrorContentType,
            error.Type.StatusCode());
    }

    internal static string KindName(HtsgetKind kind) => kind == HtsgetKind.Reads ? "reads" : "variants";

    private static string ClassName(DataClass dataClass) => dataClass == DataClass.Header ? "header" : "body";
}
