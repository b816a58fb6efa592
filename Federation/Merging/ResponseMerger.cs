using System.Text.Json.Nodes;

namespace GenomeNode.Federation.Merging;

/// <summary>
/// Merges the parts of a network query into one Beacon response. <c>exists</c> is true when any part found something;
/// <c>numTotalResults</c> is the sum only when every merged part gave a count; the answer's granularity is the weakest
/// of the parts' (a part's records are not included in a count or boolean answer), and <c>info.network</c> says so,
/// with each beacon's own summary and every part that failed and why. The node's own part is the base: its
/// <c>meta</c> (request summary, schemas) and its <c>info</c>.
/// </summary>
public static class ResponseMerger
{
    public const string BeaconIdMember = "beaconId";

    public static JsonObject Merge(AnswerKind kind, BeaconPart local, IReadOnlyList<BeaconPart> partners, bool forwarded = false)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(partners);
        if (local.Status != PartStatus.Ok || local.Body is null)
        {
            throw new ArgumentException("the node's own part must be a Beacon response", nameof(local));
        }

        var merged = new List<BeaconPart> { local };
        merged.AddRange(partners.Where(part => part.Status == PartStatus.Ok && part.Body is not null));
        var granularity = merged.Min(part => PartCheck.GranularityOf(part.Body!));
        var exists = merged.Any(part => part.Body!["responseSummary"]!["exists"]!.GetValue<bool>());
        var notes = new JsonArray();

        var meta = (JsonObject)local.Body["meta"]!.DeepClone();
        meta["returnedGranularity"] = Name(granularity);
        var summary = new JsonObject { ["exists"] = exists };
        if (granularity >= Granularity.Count)
        {
            summary["numTotalResults"] = merged.Sum(part => PartCheck.Count(part.Body!["responseSummary"]!["numTotalResults"]) ?? 0);
        }
        else if (merged.Any(part => PartCheck.GranularityOf(part.Body!) > Granularity.Boolean))
        {
            var weak = merged.Where(part => PartCheck.GranularityOf(part.Body!) == Granularity.Boolean).Select(part => part.BeaconId);
            notes.Add($"numTotalResults is not given: counts are summed only when every beacon gives one, and {string.Join(", ", weak)} answered at boolean granularity");
        }

        if (merged.Any(part => PartCheck.GranularityOf(part.Body!) > granularity))
        {
            var weakest = merged.Where(part => PartCheck.GranularityOf(part.Body!) == granularity).Select(part => part.BeaconId);
            notes.Add($"returnedGranularity is the weakest of the beacons' answers ({Name(granularity)}, from {string.Join(", ", weakest)}); each beacon's own is in info.network.beacons");
        }

        var answer = new JsonObject
        {
            ["meta"] = meta,
            ["responseSummary"] = summary,
        };
        if (kind == AnswerKind.ResultSets && granularity == Granularity.Record)
        {
            var sets = new JsonArray();
            foreach (var part in merged)
            {
                foreach (var set in ((part.Body!["response"] as JsonObject)?["resultSets"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    sets.Add(ResultSet(set, part));
                }
            }

            answer["response"] = new JsonObject { ["resultSets"] = sets };
        }
        else if (kind == AnswerKind.Collections)
        {
            var collections = new JsonArray();
            foreach (var part in merged)
            {
                foreach (var item in ((part.Body!["response"] as JsonObject)?["collections"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var copy = (JsonObject)item.DeepClone();
                    copy[BeaconIdMember] ??= part.BeaconId;
                    collections.Add(copy);
                }
            }

            answer["response"] = new JsonObject { ["collections"] = collections };
        }

        answer["info"] = Info(local, partners, notes, forwarded);
        return answer;
    }

    /// <summary>A result set as the merged answer lists it: what v2.0 left out filled in, tagged with its beacon.</summary>
    private static JsonObject ResultSet(JsonObject set, BeaconPart part)
    {
        var copy = (JsonObject)set.DeepClone();
        var results = copy["results"] as JsonArray ?? [];
        copy["results"] = results;
        copy["id"] ??= part.BeaconId;
        copy["setType"] ??= "dataset";
        copy["resultsCount"] ??= results.Count;
        copy["exists"] ??= (PartCheck.Count(copy["resultsCount"]) ?? 0) > 0;
        copy[BeaconIdMember] ??= part.BeaconId;
        return copy;
    }

    /// <summary>The node's own <c>info</c> with <c>network</c>: each beacon's part and the notes on the merge.</summary>
    public static JsonObject Info(BeaconPart local, IReadOnlyList<BeaconPart> partners, JsonArray notes, bool forwarded)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(partners);
        var info = local.Body?["info"] is JsonObject own ? (JsonObject)own.DeepClone() : [];
        var beacons = new JsonArray { Describe(local) };
        foreach (var part in partners)
        {
            beacons.Add(Describe(part));
        }

        var failed = partners.Count(part => part.Status is not (PartStatus.Ok or PartStatus.NotServed));
        if (forwarded)
        {
            notes.Add("a request forwarded by a beacon network: answered by this node alone, never fanned out again");
        }

        info["network"] = new JsonObject
        {
            ["partners"] = partners.Count,
            ["answered"] = partners.Count(part => part.Status == PartStatus.Ok),
            ["failed"] = failed,
            ["beacons"] = beacons,
            ["notes"] = notes,
        };
        return info;
    }

    private static JsonObject Describe(BeaconPart part)
    {
        var described = new JsonObject
        {
            [BeaconIdMember] = part.BeaconId,
        };
        if (part.PartnerId is { } partner)
        {
            described["partner"] = partner;
        }
        else
        {
            described["local"] = true;
        }

        described["status"] = BeaconPart.StatusName(part.Status);
        if (part.ApiVersion is { } version)
        {
            described["apiVersion"] = version;
        }

        if (part.Status == PartStatus.Ok && part.Body is { } body)
        {
            described["returnedGranularity"] = Name(PartCheck.GranularityOf(body));
            described["exists"] = body["responseSummary"]!["exists"]!.GetValue<bool>();
            if (PartCheck.GranularityOf(body) > Granularity.Boolean && PartCheck.Count(body["responseSummary"]!["numTotalResults"]) is { } count)
            {
                described["numTotalResults"] = count;
            }

            if (part.PartnerId is not null && body["info"] is JsonObject partnerInfo)
            {
                described["info"] = partnerInfo.DeepClone();
            }
        }

        if (part.Problem is { } problem)
        {
            described["problem"] = problem;
        }

        if (part.UnknownFilters is { Count: > 0 } unknown)
        {
            described["unknownFilters"] = new JsonArray([.. unknown.Select(id => (JsonNode)JsonValue.Create(id))]);
        }

        return described;
    }

    public static string Name(Granularity granularity) => granularity switch
    {
        Granularity.Boolean => "boolean",
        Granularity.Count => "count",
        _ => "record",
    };

    /// <summary>
    /// Filtering terms of every beacon that answered: the node's own response with the partners' terms (and ontology
    /// resources) added where their id is new, and <c>info.network</c> naming the beacons each came from.
    /// </summary>
    public static JsonObject MergeFilteringTerms(JsonObject local, IReadOnlyList<(BeaconPart Part, IReadOnlyList<JsonObject> Terms, IReadOnlyList<JsonObject> Resources)> partners)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(partners);
        var answer = (JsonObject)local.DeepClone();
        var response = answer["response"] as JsonObject ?? [];
        answer["response"] = response;
        var terms = response["filteringTerms"] as JsonArray ?? [];
        response["filteringTerms"] = terms;
        var known = new HashSet<string>(terms.OfType<JsonObject>().Select(IdOf).OfType<string>(), StringComparer.Ordinal);
        var resources = response["resources"] as JsonArray;
        var knownResources = new HashSet<string>((resources ?? []).OfType<JsonObject>().Select(IdOf).OfType<string>(), StringComparer.Ordinal);
        var beacons = new JsonArray
        {
            new JsonObject
            {
                [BeaconIdMember] = (local["meta"] as JsonObject)?["beaconId"]?.DeepClone(),
                ["local"] = true,
                ["status"] = "ok",
                ["filteringTerms"] = terms.Count,
            },
        };
        foreach (var (part, partnerTerms, partnerResources) in partners)
        {
            var described = new JsonObject { [BeaconIdMember] = part.BeaconId, ["partner"] = part.PartnerId, ["status"] = BeaconPart.StatusName(part.Status) };
            if (part.Status == PartStatus.Ok)
            {
                described["filteringTerms"] = partnerTerms.Count;
                foreach (var term in partnerTerms)
                {
                    if (IdOf(term) is { } id && known.Add(id))
                    {
                        terms.Add(term.DeepClone());
                    }
                }

                foreach (var resource in partnerResources)
                {
                    if (IdOf(resource) is { } id && knownResources.Add(id))
                    {
                        resources ??= [];
                        resources.Add(resource.DeepClone());
                    }
                }
            }

            if (part.Problem is { } problem)
            {
                described["problem"] = problem;
            }

            beacons.Add(described);
        }

        if (resources is not null)
        {
            response["resources"] = resources;
        }

        answer["info"] = new JsonObject
        {
            ["network"] = new JsonObject
            {
                ["partners"] = partners.Count,
                ["beacons"] = beacons,
            },
        };
        return answer;
    }

    private static string? IdOf(JsonObject item) => item["id"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
}
