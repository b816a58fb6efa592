using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GenomeNode.Federation.Network;

/// <summary>
/// The Beacon network under <c>/network/api</c>: the Beacon v2 API of the node and its partners together. Entry
/// queries (g_variants, individuals, biosamples, runs, analyses, cross-entry paths) and collections (datasets, cohorts)
/// are fanned out and merged; <c>/info</c> and <c>/map</c> describe the network; <c>/filtering_terms</c> is every
/// beacon's; the other framework endpoints are the node's own.
/// </summary>
public static class NetworkEndpoints
{
    public const string Prefix = "/network/api";

    public static IEndpointRouteBuilder MapFederation(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).WithTags("Beacon network");
        group.MapGet("", (HttpContext http, NetworkAggregator network) => network.InfoAsync(http))
            .WithName("NetworkRoot").WithSummary("The node's Beacon info, with the partners of its network");
        group.MapGet("/info", (HttpContext http, NetworkAggregator network) => network.InfoAsync(http))
            .WithName("NetworkInfo").WithSummary("The node's Beacon info, with the partners of its network");
        group.MapGet("/map", (HttpContext http, NetworkAggregator network) => network.MapAsync(http))
            .WithName("NetworkMap").WithSummary("The node's Beacon map, its endpoints under /network/api");
        group.MapGet("/filtering_terms", (HttpContext http, NetworkAggregator network) => network.FilteringTermsAsync(http))
            .WithName("NetworkFilteringTerms").WithSummary("Filtering terms of the node and every partner, each once");
        group.MapGet("/{**path}", (HttpContext http, string path, NetworkAggregator network, CancellationToken cancellationToken) =>
                network.QueryAsync(http, path, cancellationToken))
            .WithName("NetworkQuery")
            .WithSummary("A Beacon query (query-string parameters) answered by the node and its partners, merged; failures reported in info.network");
        group.MapPost("/{**path}", (HttpContext http, string path, NetworkAggregator network, CancellationToken cancellationToken) =>
                network.QueryAsync(http, path, cancellationToken))
            .WithName("NetworkQueryBody")
            .WithSummary("A Beacon query (request body) answered by the node and its partners, merged; failures reported in info.network");
        return endpoints;
    }
}
