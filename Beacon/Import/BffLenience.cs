using System.Text.Json.Nodes;

namespace GenomeNode.Beacon.Import;

/// <summary>
/// The deviations of real BFF exports that <c>--lenient</c> accepts, each rewritten to what the Beacon v2 model says
/// (docs/clinical-import.md, "Lenient mode"). Each one is harmless: the rewritten document says what the original
/// meant, nothing is guessed or dropped. Applied only to a document that fails its schema; the rewritten document must
/// then pass it.
/// </summary>
internal static class BffLenience
{
    /// <summary>One kind of deviation, with the line a warning gives for it.</summary>
    public enum Deviation
    {
        WrappedTimeElement,
        UnitsForUnit,
        PlainAlternativeId,
        SwappedZygosity,
    }

    // Properties whose value is a Beacon timeElement, and those whose value is an Age.
    private static readonly HashSet<string> TimeElements = new(StringComparer.Ordinal)
    {
        "ageOfOnset", "onset", "resolution", "observationMoment", "ageAtProcedure",
    };

    private static readonly HashSet<string> Ages = new(StringComparer.Ordinal) { "ageAtOnset", "ageAtExposure" };

    private static readonly HashSet<string> AgeWrapper = new(StringComparer.Ordinal) { "age" };

    // The Phenopackets v2 TimeElement members (and "ageGroup", the model's own examples' name for an ontology class).
    private static readonly HashSet<string> TimeElementWrappers = new(StringComparer.Ordinal)
    {
        "age", "ageRange", "gestationalAge", "ontologyClass", "ageGroup", "interval",
    };

    public static string Describe(Deviation deviation) => deviation switch
    {
        Deviation.WrappedTimeElement =>
            "a time element in the Phenopackets form ({\"age\": {...}}, {\"ageGroup\": {...}}, {\"ontologyClass\": {...}}, ...), read as the Beacon form (its content)",
        Deviation.UnitsForUnit => "a quantity with \"units\" for \"unit\", read as \"unit\"",
        Deviation.PlainAlternativeId => "variantAlternativeIds given as strings, read as {\"id\": ...}",
        Deviation.SwappedZygosity => "a zygosity whose id is a genotype (0/1) and whose label the GENO term, read the other way round",
        _ => deviation.ToString(),
    };

    /// <summary>Rewrites the deviations found in <paramref name="document"/>; returns each with its JSON pointer.</summary>
    public static List<(Deviation Deviation, string Pointer)> Apply(JsonNode document)
    {
        var found = new List<(Deviation, string)>();
        Walk(document, "", found);
        return found;
    }

    private static void Walk(JsonNode? node, string pointer, List<(Deviation, string)> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    var path = $"{pointer}/{Escape(name)}";
                    if (TimeElements.Contains(name) && Unwrap(obj, name, TimeElementWrappers))
                    {
                        found.Add((Deviation.WrappedTimeElement, path));
                    }
                    else if (Ages.Contains(name) && Unwrap(obj, name, AgeWrapper))
                    {
                        found.Add((Deviation.WrappedTimeElement, path));
                    }
                    else if (name == "zygosity" && Swap(obj[name]))
                    {
                        found.Add((Deviation.SwappedZygosity, path));
                    }
                    else if (name == "variantAlternativeIds" && obj[name] is JsonArray ids && Wrap(ids))
                    {
                        found.Add((Deviation.PlainAlternativeId, path));
                    }

                    Walk(obj[name], path, found);
                }

                if (obj["units"] is JsonObject && !obj.ContainsKey("unit") && obj.ContainsKey("value"))
                {
                    var units = obj["units"];
                    obj.Remove("units");
                    obj["unit"] = units;
                    found.Add((Deviation.UnitsForUnit, $"{pointer}/units"));
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{pointer}/{i}", found);
                }

                break;
            default:
                break;
        }
    }

    // {"age": {"iso8601duration": "P40Y"}} → {"iso8601duration": "P40Y"}: an object of exactly one wrapper member.
    private static bool Unwrap(JsonObject parent, string name, HashSet<string> wrappers)
    {
        if (parent[name] is not JsonObject { Count: 1 } wrapper)
        {
            return false;
        }

        var (key, inner) = wrapper.First();
        if (!wrappers.Contains(key) || inner is not JsonObject)
        {
            return false;
        }

        wrapper.Remove(key);
        parent[name] = inner;
        return true;
    }

    private static bool Swap(JsonNode? zygosity)
    {
        if (zygosity is not JsonObject term || term["id"] is not JsonValue id || term["label"] is not JsonValue label
            || !id.TryGetValue(out string? idText) || !label.TryGetValue(out string? labelText)
            || Entries.EntryFacts.IsCurie(idText) || !Entries.EntryFacts.IsCurie(labelText))
        {
            return false;
        }

        term["id"] = labelText;
        term["label"] = idText;
        return true;
    }

    private static bool Wrap(JsonArray ids)
    {
        var changed = false;
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is JsonValue value && value.TryGetValue(out string? text))
            {
                ids[i] = new JsonObject { ["id"] = text };
                changed = true;
            }
        }

        return changed;
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
