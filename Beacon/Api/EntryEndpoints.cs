using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Requests;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// The Beacon v2 default model's entry types besides g_variants, under <c>/api</c>: individuals, biosamples, runs and
/// analyses (collection, one entry, and every cross-entry endpoint the model's endpoints.json files list), and the
/// collections datasets and cohorts. GET reads the query string, POST a Beacon request body; both answer alike.
/// </summary>
public static class EntryEndpoints
{
    /// <summary>The entry types queried like g_variants (granularity, privacy, budget, audit).</summary>
    public static IReadOnlyList<EntryType> RecordTypes { get; } = [EntryType.Individual, EntryType.Biosample, EntryType.Run, EntryType.Analysis];

    /// <summary>The collection entry types.</summary>
    public static IReadOnlyList<EntryType> CollectionTypes { get; } = [EntryType.Dataset, EntryType.Cohort];

    /// <summary>Cross-entry endpoints: from an entry of the first type, the related entries of the second (the model's endpoints.json).</summary>
    public static IReadOnlyList<(EntryType From, EntryType To)> CrossEntry { get; } =
    [
        (EntryType.Individual, EntryType.GenomicVariation),
        (EntryType.Individual, EntryType.Biosample),
        (EntryType.Biosample, EntryType.GenomicVariation),
        (EntryType.Biosample, EntryType.Analysis),
        (EntryType.Biosample, EntryType.Run),
        (EntryType.Run, EntryType.Analysis),
        (EntryType.Run, EntryType.GenomicVariation),
        (EntryType.Analysis, EntryType.GenomicVariation),
        (EntryType.GenomicVariation, EntryType.Individual),
        (EntryType.GenomicVariation, EntryType.Biosample),
        (EntryType.Dataset, EntryType.Individual),
        (EntryType.Dataset, EntryType.Biosample),
        (EntryType.Dataset, EntryType.GenomicVariation),
        (EntryType.Cohort, EntryType.Individual),
    ];

    public static IEndpointRouteBuilder MapBeaconEntries(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(BeaconEndpoints.Prefix).WithTags("Beacon v2");
        foreach (var type in RecordTypes)
        {
            var segment = type.PathSegment();
            Map(group, $"/{segment}", $"{type.Name()} entries, narrowed by filters and variant parameters",
                (http, fromBody, services) => Entries(http, fromBody, services, type, EntryPath.Collection));
            Map(group, $"/{segment}/{{id}}", $"One {type.Name()} by id",
                (http, fromBody, services) => Entries(http, fromBody, services, type, new EntryPath(type, Id(http))));
        }

        foreach (var (from, to) in CrossEntry)
        {
            Map(group, $"/{from.PathSegment()}/{{id}}/{to.PathSegment()}", $"The {to.PathSegment()} of one {from.Name()}",
                (http, fromBody, services) => CollectionTypes.Contains(from) || from == EntryType.GenomicVariation
                    ? Related(http, fromBody, services, from, to)
                    : Entries(http, fromBody, services, to, new EntryPath(from, Id(http))));
        }

        foreach (var type in CollectionTypes)
        {
            var segment = type.PathSegment();
            Map(group, $"/{segment}", $"The {segment} this caller may learn of, with their counts",
                (http, fromBody, services) => Collections(http, fromBody, services, type, null));
            Map(group, $"/{segment}/{{id}}", $"One of the {segment}",
                (http, fromBody, services) => Collections(http, fromBody, services, type, Id(http)));
        }

        return endpoints;
    }

    private static string Id(HttpRequest http) => (string)http.RouteValues["id"]!;

    private static void Map(RouteGroupBuilder group, string pattern, string summary, Func<HttpRequest, bool, IServiceProvider, Task<IResult>> handler)
    {
        var name = string.Concat(pattern.Split('/', '{', '}').Select(p => p.Length == 0 ? "" : char.ToUpperInvariant(p[0]) + p[1..]));
        group.MapGet(pattern, (HttpRequest http) => handler(http, false, http.HttpContext.RequestServices))
            .WithName("Get" + name).WithSummary(summary + " (query-string parameters)")
            .Produces<EntryResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized).Produces<ErrorResponse>(StatusCodes.Status403Forbidden);
        group.MapPost(pattern, (HttpRequest http) => handler(http, true, http.HttpContext.RequestServices))
            .WithName("Post" + name).WithSummary(summary + " (Beacon request body)")
            .Produces<EntryResultSetsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized).Produces<ErrorResponse>(StatusCodes.Status403Forbidden);
    }

    private static Task<IResult> Entries(HttpRequest http, bool fromBody, IServiceProvider services, EntryType target, EntryPath path) =>
        Answer(http, fromBody, services, target, async (request, access, caller, asked) => Respond(
            await services.GetRequiredService<EntryService>().AnswerAsync(target, path, request, access, caller, asked, http.HttpContext.RequestAborted)));

    /// <summary>From a collection (a dataset, a cohort) or a variant: its path's id read with the request's parameters.</summary>
    private static Task<IResult> Related(HttpRequest http, bool fromBody, IServiceProvider services, EntryType from, EntryType target)
    {
        var id = Id(http);
        return Answer(http, fromBody, services, target, async (request, access, caller, asked) =>
        {
            var path = from == EntryType.GenomicVariation
                ? new EntryPath(from, id, VariantQueryParser.FromVariantId(id, request.Parameters))
                : new EntryPath(from, id);
            // A dataset's entries are asked of that dataset only, whatever datasetIds the request names.
            var scoped = from == EntryType.Dataset ? request with { Parameters = request.Parameters with { DatasetIds = [id] } } : request;
            return Respond(await services.GetRequiredService<EntryService>()
                .AnswerAsync(target, path, scoped, access, caller, asked, http.HttpContext.RequestAborted));
        });
    }

    private static Task<IResult> Collections(HttpRequest http, bool fromBody, IServiceProvider services, EntryType type, string? id) =>
        Answer(http, fromBody, services, type, async (request, access, caller, asked) => TypedResults.Json(
            await services.GetRequiredService<CollectionService>().AnswerAsync(type, id, request, access, caller, asked, http.HttpContext.RequestAborted),
            BeaconJsonContext.Default.CollectionsResponse));

    /// <summary>An entry request of <paramref name="type"/>, read from the query string or the body, answered under the Beacon rules (<see cref="BeaconEndpoints.RunAsync"/>).</summary>
    private static Task<IResult> Answer(
        HttpRequest http, bool fromBody, IServiceProvider services, EntryType type, Func<EntryRequest, RequestAccess, Caller, string, Task<IResult>> answer)
    {
        var beacon = services.GetRequiredService<IOptions<BeaconOptions>>().Value;
        var access = RequestAccess.For(http.HttpContext);
        return BeaconEndpoints.RunAsync(http, fromBody, access, beacon, EntryService.Resource(type),
            query => GVariantRequestParser.EntryFromQuery(query, beacon.RequestSettings),
            body => GVariantRequestParser.EntryFromBody(body, beacon.RequestSettings),
            request => request.Received,
            (request, caller, asked) => answer(request, access, caller, asked),
            http.HttpContext.RequestAborted);
    }

    private static IResult Respond(EntryAnswer answer) =>
        answer.ResultSets is { } sets
            ? new BufferedJsonResult<EntryResultSetsResponse>(
                new EntryResultSetsResponse(answer.Meta, answer.Summary, sets, answer.Info), BeaconJsonContext.Default.EntryResultSetsResponse)
            : new BufferedJsonResult<BooleanResponse>(new BooleanResponse(answer.Meta, answer.Summary, answer.Info), BeaconJsonContext.Default.BooleanResponse);
}
