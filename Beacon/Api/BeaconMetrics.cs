using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// Beacon queries in meter <c>GenomeNode.Beacon</c>: one count per query of any entry type, by endpoint, the granularity
/// actually returned and the decision (answered, or why not).
/// </summary>
public sealed class BeaconMetrics
{
    public const string MeterName = "GenomeNode.Beacon";

    /// <summary>The counter's name (Prometheus: <c>genome_node_beacon_queries_total</c>).</summary>
    public const string QueriesName = "genome_node.beacon.queries";

    private readonly Counter<long> queries;

    public BeaconMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        queries = meters.Create(MeterName).CreateCounter<long>(QueriesName, "{query}",
            "Beacon queries, by endpoint, returned granularity (none when refused) and decision");
    }

    /// <summary>Counts one query of <paramref name="resource"/> (<c>beacon:g_variants</c>, ...) from the answer it got.</summary>
    public void Answered(string resource, IResult result)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        queries.Add(1,
            new KeyValuePair<string, object?>("endpoint", resource.StartsWith("beacon:", StringComparison.Ordinal) ? resource["beacon:".Length..] : resource),
            new KeyValuePair<string, object?>("granularity", status < 300 ? Granularity(result) : "none"),
            new KeyValuePair<string, object?>("decision", Decision(status)));
    }

    /// <summary>What an HTTP status says of a query: answered, or the reason it was not.</summary>
    public static string Decision(int status) => status switch
    {
        < 300 => "answered",
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status429TooManyRequests => "too_many_requests",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "error",
    };

    private static string Granularity(IResult result) => ((result as IValueHttpResult)?.Value switch
    {
        BooleanResponse answer => answer.Meta.ReturnedGranularity,
        ResultSetsResponse answer => answer.Meta.ReturnedGranularity,
        EntryResultSetsResponse answer => answer.Meta.ReturnedGranularity,
        CollectionsResponse answer => answer.Meta.ReturnedGranularity,
        _ => null,
    }) ?? "unknown";
}
