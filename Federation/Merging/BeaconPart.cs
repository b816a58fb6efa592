using System.Text.Json.Nodes;

namespace GenomeNode.Federation.Merging;

/// <summary>What became of one beacon's part of a network query.</summary>
public enum PartStatus
{
    /// <summary>A Beacon response, merged.</summary>
    Ok,

    /// <summary>No answer within the partner's timeout.</summary>
    Timeout,

    /// <summary>Not called: its circuit is open after repeated failures, or it could not be reached.</summary>
    Unreachable,

    /// <summary>An HTTP error status (its Beacon error message when it sent one).</summary>
    Error,

    /// <summary>The body was not JSON.</summary>
    InvalidJson,

    /// <summary>JSON, but not a Beacon response of the kind asked.</summary>
    InvalidResponse,

    /// <summary>Its map does not list the entry type asked: not asked.</summary>
    NotServed,
}

/// <summary>
/// One beacon's part of a network answer: the node's own (<see cref="PartnerId"/> null) or a partner's.
/// <see cref="Body"/> is the checked response (<see cref="PartStatus.Ok"/> only).
/// </summary>
public sealed record BeaconPart(
    string BeaconId,
    string? PartnerId,
    PartStatus Status,
    JsonObject? Body = null,
    string? Problem = null,
    IReadOnlyList<string>? UnknownFilters = null,
    string? ApiVersion = null)
{
    public bool IsLocal => PartnerId is null;

    public static string StatusName(PartStatus status) => status switch
    {
        PartStatus.Ok => "ok",
        PartStatus.Timeout => "timeout",
        PartStatus.Unreachable => "unreachable",
        PartStatus.Error => "error",
        PartStatus.InvalidJson => "invalidJson",
        PartStatus.InvalidResponse => "invalidResponse",
        PartStatus.NotServed => "notServed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

/// <summary>Beacon's granularities, weakest first.</summary>
public enum Granularity
{
    Boolean,
    Count,
    Record,
}

/// <summary>The kind of Beacon response a network endpoint merges.</summary>
public enum AnswerKind
{
    /// <summary>Entry queries (g_variants, individuals, biosamples, runs, analyses, cross-entry): result sets.</summary>
    ResultSets,

    /// <summary>Collections (datasets, cohorts).</summary>
    Collections,
}
