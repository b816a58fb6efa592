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

    public static IEndpointRouteBuilder MapHtsget(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(Prefix).WithTags(Tag).RequireCors(HtsgetModule.CorsPolicy);
        foreach (var kind in new[] { HtsgetKind.Reads, HtsgetKind.Variants })
        {
            var name = KindName(kind);
            var title = kind == HtsgetKind.Reads ? "Reads" : "Variants";
            group.MapGet($"/{name}/service-info", (IOptions<HtsgetServiceInfoOptions> options) => ServiceInfo(kind, options.Value))
                .WithName($"Htsget{title}ServiceInfo")
                .WithSummary($"GA4GH service-info of the htsget {name} API")
                .Produces<HtsgetServiceInfo>(StatusCodes.Status200OK, TicketContentType);
            group.MapGet($"/{name}/{{id}}", (string id, HttpContext context, CancellationToken cancellationToken) =>
                    GetTicketAsync(kind, id, context, cancellationToken))
                .WithName($"Htsget{title}Ticket")
                .WithSummary($"htsget ticket for {name} of an object, optionally of one region (format, class, referenceName, start, end, fields, tags, notags)")
                .Produces<HtsgetTicketResponse>(StatusCodes.Status200OK, TicketContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status400BadRequest, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status401Unauthorized, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status404NotFound, ErrorContentType);
            group.MapPost($"/{name}/{{id}}", (string id, HttpContext context, CancellationToken cancellationToken) =>
                    PostTicketAsync(kind, id, context, cancellationToken))
                .WithName($"Htsget{title}TicketForRegions")
                .WithSummary($"htsget ticket for {name} of an object over several regions (JSON body: format, class, fields, tags, notags, regions)")
                .Produces<HtsgetTicketResponse>(StatusCodes.Status200OK, TicketContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status400BadRequest, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status401Unauthorized, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status404NotFound, ErrorContentType)
                .Produces<HtsgetErrorResponse>(StatusCodes.Status413PayloadTooLarge, ErrorContentType);
        }

        group.MapGet("/data/{token}", GetData)
            .WithName("HtsgetData")
            .WithSummary("Bytes of an object's file that a ticket's signed, short-lived data URL grants (HTTP Range supported)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .Produces<HtsgetErrorResponse>(StatusCodes.Status403Forbidden, ErrorContentType)
            .Produces<HtsgetErrorResponse>(StatusCodes.Status404NotFound, ErrorContentType);
        return endpoints;
    }

    private static JsonHttpResult<HtsgetServiceInfo> ServiceInfo(HtsgetKind kind, HtsgetServiceInfoOptions options) =>
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
                Htsget: new HtsgetCapabilities(KindName(kind), HtsgetQuery.Formats(kind), FieldsParameterEffective: false, TagsParametersEffective: false)),
            HtsgetJsonContext.Web.HtsgetServiceInfo,
            TicketContentType);

    private static async Task<IResult> GetTicketAsync(HtsgetKind kind, string id, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            var parameters = context.Request.Query.Select(parameter =>
                KeyValuePair.Create(parameter.Key, (IReadOnlyList<string?>)parameter.Value.ToArray()));
            var query = HtsgetRequests.FromQueryString(kind, parameters);
            return await TicketAsync(kind, id, query, context, cancellationToken);
        }
        catch (HtsgetException error)
        {
            return Error(context, error);
        }
        catch (AuditUnavailableException error)
        {
            return AuditUnavailable(error);
        }
    }

    private static async Task<IResult> PostTicketAsync(HtsgetKind kind, string id, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (context.Request.Query.Count > 0)
            {
                throw new HtsgetException(HtsgetErrorType.InvalidInput, "A POST request takes its parameters in the JSON body, not in the query string.");
            }

            var options = context.RequestServices.GetRequiredService<IOptions<HtsgetOptions>>().Value;
            var body = await ReadBodyAsync(context.Request, options.MaxPostBodyBytes, cancellationToken);
            var query = HtsgetRequests.FromPostBody(kind, ParsePostBody(body), options.MaxRegions);
            return await TicketAsync(kind, id, query, context, cancellationToken);
        }
        catch (HtsgetException error)
        {
            return Error(context, error);
        }
        catch (AuditUnavailableException error)
        {
            return AuditUnavailable(error);
        }
    }

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

    private static async Task<IResult> TicketAsync(HtsgetKind kind, string id, HtsgetQuery query, HttpContext context, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var logger = Logger(services);
        var store = services.GetRequiredService<HtsgetObjectStore>();
        var registered = HtsgetObjectRegistrar.IsValidObjectId(id) ? store.Find(id) : null;
        var unknown = new HtsgetException(HtsgetErrorType.NotFound, $"No {KindName(kind)} object has the id '{HtsgetRequests.Shorten(id)}'.");
        if (registered is null || registered.Kind != kind)
        {
            throw unknown;
        }

        var ticketId = DataUrls.NewTicketId();
        var access = await services.GetRequiredService<IHtsgetAccessPolicy>().DecideAsync(registered, RequestAccess.For(context), ticketId, cancellationToken);
        if (access.Decision == HtsgetAccessDecision.Hidden)
        {
            throw unknown;
        }

        if (access.Decision != HtsgetAccessDecision.Granted)
        {
            Log.AccessRefused(logger, registered.ObjectId, registered.DatasetId, access.Decision.ToString());
            throw access.Decision == HtsgetAccessDecision.Forbidden
                ? new HtsgetException(HtsgetErrorType.PermissionDenied, access.Message)
                : new HtsgetException(HtsgetErrorType.InvalidAuthentication, access.Message) { Challenge = access.Challenge };
        }

        if (ChangedSinceRegistration(registered, logger) is { } changed)
        {
            return changed;
        }

        TicketPlan plan;
        try
        {
            plan = services.GetRequiredService<TicketPlanner>().Plan(registered, query);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or HtsFormatException)
        {
            Log.DataFileUnreadable(logger, registered.ObjectId, error);
            return Unavailable(registered.ObjectId);
        }

        var ticket = Render(plan, registered, DataBaseUrl(context), services.GetRequiredService<DataUrls>(), ticketId);
        Log.TicketIssued(logger, registered.ObjectId, ticket.Htsget.Urls.Count, plan.FileBytes);
        return TypedResults.Json(ticket, HtsgetJsonContext.Web.HtsgetTicketResponse, TicketContentType);
    }

    /// <summary>The ticket for a plan: file parts as signed data URLs under <paramref name="dataBaseUrl"/>, inline parts as data URIs.</summary>
    public static HtsgetTicketResponse Render(TicketPlan plan, RegisteredObject registered, string dataBaseUrl, DataUrls dataUrls, string? ticketId = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(dataUrls);
        var expires = dataUrls.NewExpiry();
        var mediaType = $"application/vnd.ga4gh.{plan.Format.ToLowerInvariant()}";
        var urls = plan.Parts.Select(part => part switch
        {
            FilePart file => new HtsgetUrl(
                $"{dataBaseUrl}/{dataUrls.CreateToken(new DataRange(registered.ObjectId, file.Offset, file.Length), registered.Sha256, expires, ticketId)}",
                ClassName(file.Class)),
            InlinePart inline => new HtsgetUrl($"data:{mediaType};base64,{Convert.ToBase64String(inline.Data.Span)}", ClassName(inline.Class)),
            _ => throw new InvalidOperationException($"Unknown ticket part {part.GetType().Name}."),
        }).ToList();
        return new HtsgetTicketResponse(new HtsgetTicket(plan.Format, urls));
    }

    private static async Task<IResult> GetData(string token, HttpContext context)
    {
        var services = context.RequestServices;
        var logger = Logger(services);
        if (!DataToken.TryParse(token, out var parsed))
        {
            Log.DataUrlRefused(logger, "malformed token");
            return Error(context, new HtsgetException(HtsgetErrorType.PermissionDenied, "This is not a valid data URL; request a new ticket."));
        }

        var registered = services.GetRequiredService<HtsgetObjectStore>().Find(parsed.Range.ObjectId);
        if (registered is null)
        {
            return Error(context, new HtsgetException(HtsgetErrorType.NotFound, "The object of this data URL is no longer registered."));
        }

        switch (services.GetRequiredService<DataUrls>().Check(parsed, registered.Sha256))
        {
            case DataTokenStatus.Invalid:
                Log.DataUrlRefused(logger, "bad signature");
                return Error(context, new HtsgetException(HtsgetErrorType.PermissionDenied, "This data URL is not valid (altered, or for a file registered since); request a new ticket."));
            case DataTokenStatus.Expired:
                Log.DataUrlRefused(logger, "expired");
                try
                {
                    await AuditFetchAsync(context, registered, parsed, allowed: false, "expired");
                }
                catch (AuditUnavailableException error)
                {
                    return AuditUnavailable(error);
                }

                return Error(context, new HtsgetException(HtsgetErrorType.PermissionDenied, "This data URL has expired; request a new ticket."));
        }

        try
        {
            await AuditFetchAsync(context, registered, parsed, allowed: true, "signed data URL");
        }
        catch (AuditUnavailableException error)
        {
            return AuditUnavailable(error);
        }

        if (ChangedSinceRegistration(registered, logger) is { } changed)
        {
            return changed;
        }

        var range = parsed.Range;
        FileStream file;
        try
        {
            file = new FileStream(registered.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
            if (file.Length < range.End || range.End > registered.Size)
            {
                file.Dispose();
                throw new IOException($"{registered.Path} is shorter than registered.");
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Log.DataFileUnreadable(logger, registered.ObjectId, error);
            return Unavailable(registered.ObjectId);
        }

        return TypedResults.Stream(new FileSliceStream(file, range.Offset, range.Length), "application/octet-stream", enableRangeProcessing: true);
    }

    /// <summary>
    /// Records a fetch of an authentic data URL: which bytes (and the Range asked, if any) of which object, under which
    /// ticket (the ticket's own audit row names the caller it was issued to; data URLs carry no credentials).
    /// </summary>
    private static Task AuditFetchAsync(HttpContext context, RegisteredObject registered, DataToken token, bool allowed, string why)
    {
        var range = context.Request.Headers.Range.ToString();
        var access = $"bytes {token.Range.Offset}-{token.Range.End - 1}" + (range.Length == 0 ? "" : $" ({HtsgetRequests.Shorten(range)})");
        var reason = token.Ticket is { } ticket ? $"{why} of ticket {ticket}" : why;
        return RequestAccess.For(context).AuditAsync(Caller.Anonymous, $"htsget:data/{registered.ObjectId}",
            new AccessDecision(registered.DatasetId, allowed ? AccessGrant.Controlled : AccessGrant.None, reason), allowed, access, token.Ticket);
    }

    /// <summary>A request the audit could not record is refused, never answered unrecorded.</summary>
    private static JsonHttpResult<HtsgetErrorResponse> AuditUnavailable(AuditUnavailableException error) =>
        TypedResults.Json(
            new HtsgetErrorResponse(new HtsgetErrorBody("Unavailable", error.Message)),
            HtsgetJsonContext.Web.HtsgetErrorResponse,
            ErrorContentType,
            StatusCodes.Status503ServiceUnavailable);

    private static JsonHttpResult<HtsgetErrorResponse> Error(HttpContext context, HtsgetException error)
    {
        if (error.Type == HtsgetErrorType.InvalidAuthentication)
        {
            context.Response.Headers.WWWAuthenticate = error.Challenge ?? RequestAccess.Challenge(null);
        }

        return TypedResults.Json(
            new HtsgetErrorResponse(new HtsgetErrorBody(error.Type.ToString(), error.Message)),
            HtsgetJsonContext.Web.HtsgetErrorResponse,
            ErrorContentType,
            error.Type.StatusCode());
    }

    // Tickets and data URLs are cut from the registered layout: a file rewritten since is not served.
    private static JsonHttpResult<HtsgetErrorResponse>? ChangedSinceRegistration(RegisteredObject registered, ILogger logger)
    {
        if (registered.IsUnchangedOnDisk())
        {
            return null;
        }

        Log.DataFileChanged(logger, registered.ObjectId, registered.Path);
        return Unavailable(registered.ObjectId,
            $"The file of object '{registered.ObjectId}' changed since it was registered; it is served again once the node's operator registers it anew.");
    }

    private static JsonHttpResult<HtsgetErrorResponse> Unavailable(string objectId, string? why = null) =>
        TypedResults.Json(
            new HtsgetErrorResponse(new HtsgetErrorBody("Unavailable", why ?? $"The data of object '{objectId}' cannot be read right now; try again later.")),
            HtsgetJsonContext.Web.HtsgetErrorResponse,
            ErrorContentType,
            StatusCodes.Status503ServiceUnavailable);

    private static string DataBaseUrl(HttpContext context)
    {
        // Htsget:PublicBaseUrl, when set, wins for data URLs (e.g. bytes served from another address than the API).
        var configured = context.RequestServices.GetRequiredService<IOptions<HtsgetOptions>>().Value.PublicBaseUrl;
        var root = string.IsNullOrEmpty(configured)
            ? context.RequestServices.GetRequiredService<PublicBaseUrl>().For(context.Request)
            : configured.TrimEnd('/');
        return $"{root}{Prefix}/data";
    }

    private static string KindName(HtsgetKind kind) => kind == HtsgetKind.Reads ? "reads" : "variants";

    private static string ClassName(DataClass dataClass) => dataClass == DataClass.Header ? "header" : "body";

    private static ILogger Logger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("GenomeNode.Htsget");
}
