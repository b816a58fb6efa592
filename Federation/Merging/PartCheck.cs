using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenomeNode.Federation.Merging;

/// <summary>
/// Reads a partner's answer: JSON at all, then the shape of a Beacon v2.0 or v2.1 response of the kind asked, tolerant of
/// what v2.0 left out (a result set's <c>setType</c> or <c>id</c>, <c>returnedGranularity</c>) and strict on what the
/// merge relies on (<c>responseSummary.exists</c> a boolean, counts non-negative integers, results objects).
/// </summary>
public static class PartCheck
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 96 };

    /// <summary>The part made of a partner's body: <see cref="PartStatus.Ok"/> with the normalised body, or why not.</summary>
    public static BeaconPart Read(string fallbackBeaconId, string partnerId, ReadOnlySpan<byte> body, AnswerKind kind, IReadOnlyList<string>? unknownFilters)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            return new BeaconPart(fallbackBeaconId, partnerId, PartStatus.InvalidJson, Problem: $"not JSON: {ex.Message}", UnknownFilters: unknownFilters);
        }

        if (node is not JsonObject answer)
        {
            return new BeaconPart(fallbackBeaconId, partnerId, PartStatus.InvalidResponse, Problem: "not a JSON object", UnknownFilters: unknownFilters);
        }

        var beaconId = answer["meta"] is JsonObject meta && meta["beaconId"] is JsonValue id && id.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : fallbackBeaconId;
        var apiVersion = (answer["meta"] as JsonObject)?["apiVersion"] is JsonValue version && version.TryGetValue<string>(out var v) ? v : null;
        var problem = Problem(answer, kind);
        return problem is null
            ? new BeaconPart(beaconId, partnerId, PartStatus.Ok, answer, UnknownFilters: unknownFilters, ApiVersion: apiVersion)
            : new BeaconPart(beaconId, partnerId, PartStatus.InvalidResponse, Problem: problem, UnknownFilters: unknownFilters, ApiVersion: apiVersion);
    }

    /// <summary>What keeps an answer out of the merge, or null when it can be merged.</summary>
    public static string? Problem(JsonObject answer, AnswerKind kind)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer["meta"] is not JsonObject)
        {
            return "meta is missing or not an object";
        }

        if (answer["responseSummary"] is not JsonObject summary)
        {
            return "responseSummary is missing or not an object";
        }

        if (summary["exists"] is not JsonValue exists || exists.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return "responseSummary.exists is missing or not a boolean";
        }

        if (summary["numTotalResults"] is { } total && Count(total) is null)
        {
            return "responseSummary.numTotalResults is not a non-negative integer";
        }

        if (answer["response"] is null)
        {
            return null;
        }

        if (answer["response"] is not JsonObject response)
        {
            return "response is not an object";
        }

        return kind switch
        {
            AnswerKind.ResultSets => ResultSetsProblem(response),
            _ => CollectionsProblem(response),
        };
    }

    private static string? ResultSetsProblem(JsonObject response)
    {
        if (response["resultSets"] is null)
        {
            return null;
        }

        if (response["resultSets"] is not JsonArray sets)
        {
            return "response.resultSets is not an array";
        }

        for (var i = 0; i < sets.Count; i++)
        {
            if (sets[i] is not JsonObject set)
            {
                return $"response.resultSets[{i}] is not an object";
            }

            if (set["exists"] is { } exists && exists.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return $"response.resultSets[{i}].exists is not a boolean";
            }

            if (set["resultsCount"] is { } count && Count(count) is null)
            {
                return $"response.resultSets[{i}].resultsCount is not a non-negative integer";
            }

            foreach (var name in (string[])["id", "setType"])
            {
                if (set[name] is { } value && value.GetValueKind() != JsonValueKind.String)
                {
                    return $"response.resultSets[{i}].{name} is not a string";
                }
            }

            if (set["results"] is { } results && (results is not JsonArray list || list.Any(result => result is not JsonObject)))
            {
                return $"response.resultSets[{i}].results is not an array of objects";
            }
        }

        return null;
    }

    private static string? CollectionsProblem(JsonObject response)
    {
        if (response["collections"] is null)
        {
            return null;
        }

        if (response["collections"] is not JsonArray collections || collections.Any(item => item is not JsonObject))
        {
            return "response.collections is not an array of objects";
        }

        return null;
    }

    /// <summary>A JSON value as a non-negative integer count, or null.</summary>
    public static long? Count(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var count) && count >= 0 ? count : null;

    /// <summary>
    /// The granularity an answer was given at: its <c>meta.returnedGranularity</c>, else (v2.0 beacons often omit it)
    /// what it holds: results, a count, or only <c>exists</c>.
    /// </summary>
    public static Granularity GranularityOf(JsonObject answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var said = (answer["meta"] as JsonObject)?["returnedGranularity"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var hasCount = Count((answer["responseSummary"] as JsonObject)?["numTotalResults"]) is not null;
        Granularity? stated = said switch
        {
            "boolean" => Granularity.Boolean,
            "count" => Granularity.Count,
            "record" => Granularity.Record,
            _ => null,
        };
        if (stated is { } granularity)
        {
            // A count or record answer without a count is only as good as a boolean one for the merge.
            return granularity > Granularity.Boolean && !hasCount ? Granularity.Boolean : granularity;
        }

        if ((answer["response"] as JsonObject)?["resultSets"] is JsonArray sets && sets.OfType<JsonObject>().Any(set => set["results"] is JsonArray))
        {
            return hasCount ? Granularity.Record : Granularity.Boolean;
        }

        return hasCount ? Granularity.Count : Granularity.Boolean;
    }
}
