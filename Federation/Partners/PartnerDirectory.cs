using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace GenomeNode.Federation.Partners;

/// <summary>What a partner's <c>/info</c>, <c>/map</c> and <c>/filtering_terms</c> said, when last fetched.</summary>
public sealed record PartnerMetadata(
    string? BeaconId,
    string? Name,
    string? ApiVersion,
    FrozenSet<string>? ServedPaths,
    FrozenSet<string>? FilteringTermIds,
    IReadOnlyList<JsonObject> FilteringTerms,
    IReadOnlyList<JsonObject> Resources,
    DateTimeOffset FetchedAt);

/// <summary>Whether a partner answered when last asked (a query or a probe).</summary>
public sealed record PartnerReachability(bool Reachable, string? Problem, DateTimeOffset CheckedAt);

/// <summary>One configured partner and what is known of it. Safe for concurrent readers; each field is replaced whole.</summary>
public sealed class PartnerState(PartnerOptions options)
{
    public PartnerOptions Options { get; } = options;

    public string Id => Options.Id;

    public PartnerMetadata? Metadata { get; set; }

    public PartnerReachability? Reachability { get; set; }

    /// <summary>The beacon id the partner gives itself, else this node's name for it.</summary>
    public string BeaconId => Metadata?.BeaconId ?? Options.Id;
}

/// <summary>The partners of section <c>Federation</c>, with their cached metadata and reachability.</summary>
public sealed class PartnerDirectory(IEnumerable<PartnerState> partners)
{
    public IReadOnlyList<PartnerState> Partners { get; } = [.. partners];

    /// <summary>The path segments a map's endpoint sets hang at (the last segment of each rootUrl), e.g. <c>g_variants</c>, <c>individuals</c>.</summary>
    public static FrozenSet<string>? ServedPaths(JsonObject? map)
    {
        if ((map?["response"] as JsonObject)?["endpointSets"] is not JsonObject sets)
        {
            return null;
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, set) in sets)
        {
            if ((set as JsonObject)?["rootUrl"] is JsonValue root && root.TryGetValue<string>(out var url))
            {
                var trimmed = url.TrimEnd('/');
                var slash = trimmed.LastIndexOf('/');
                paths.Add(slash < 0 ? trimmed : trimmed[(slash + 1)..]);
            }
        }

        return paths.ToFrozenSet(StringComparer.Ordinal);
    }
}
