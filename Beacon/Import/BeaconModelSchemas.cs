using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GenomeNode.Beacon.Entries;
using Json.Schema;

namespace GenomeNode.Beacon.Import;

/// <summary>Where a document breaks its schema: the JSON pointer of the fault and what is wrong there.</summary>
public sealed record SchemaFault(string Location, string Message)
{
    public override string ToString() => $"{(Location.Length == 0 ? "/" : Location)}: {Message}";
}

/// <summary>
/// The Beacon v2 default model's entry schemas (v2.1.1, vendored in specs/beacon-v2 and embedded in this assembly, so a
/// published node needs no specs folder), resolved offline under the URLs the schemas name each other by. A document
/// is checked against its entry type's <c>defaultSchema.json</c>; its faults are named by JSON pointer, and where the
/// schema offers alternatives (<c>oneOf</c>: an age, an age range, an ontology term, ...) none of which fits, by the
/// closest one.
/// </summary>
public static partial class BeaconModelSchemas
{
    private const string RawBase = "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/";
    private const string VrsUrl = "https://w3id.org/ga4gh/schema/vrs/1.3/vrs.json";
    private const string ResourcePrefix = "BeaconSchemas/";

    private static readonly Lazy<(IReadOnlyDictionary<EntryType, JsonSchema> Schemas, EvaluationOptions Flag, EvaluationOptions Detailed)> Loaded = new(Load);

    /// <summary>The path of an entry type's schema below specs/beacon-v2.</summary>
    public static string SchemaPath(EntryType type) =>
        $"models/json/beacon-v2-default-model/{(type == EntryType.GenomicVariation ? "genomicVariations" : type.PathSegment())}/defaultSchema.json";

    /// <summary>The faults of a document against its entry type's schema, in document order; empty when it is valid.</summary>
    public static IReadOnlyList<SchemaFault> Validate(EntryType type, JsonElement document)
    {
        var (schemas, flag, detailed) = Loaded.Value;
        // Most documents are valid: the pass/fail answer first, the detail only for those that are not.
        if (schemas[type].Evaluate(document, flag).IsValid)
        {
            return [];
        }

        var results = schemas[type].Evaluate(document, detailed);

        var faults = new List<SchemaFault>();
        Collect(results, faults);
        if (faults.Count == 0)
        {
            faults.Add(new SchemaFault(results.InstanceLocation.ToString(), "does not match the schema"));
        }

        return faults.Distinct().ToList();
    }

    /// <summary>Up to <paramref name="most"/> faults as one line: "/a: x; /b: y (and 3 more)".</summary>
    public static string Describe(IReadOnlyList<SchemaFault> faults, int most = 3)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var shown = string.Join("; ", faults.Take(most));
        return faults.Count > most ? $"{shown} (and {faults.Count - most} more)" : shown;
    }

    private static void Collect(EvaluationResults node, List<SchemaFault> faults)
    {
        if (node.IsValid)
        {
            return;
        }

        var children = node.Details ?? [];
        var branches = children.Where(IsBranch).ToList();
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            // A failed oneOf/anyOf is told by its closest alternative (below), not by its count of matches.
            if (branches.Count == 0 || keyword is not ("oneOf" or "anyOf"))
            {
                faults.Add(new SchemaFault(node.InstanceLocation.ToString(), Explain(node, keyword, message)));
            }
        }

        if (branches.Count > 0)
        {
            if (branches.Any(b => b.IsValid))
            {
                // oneOf with more than one fitting alternative.
                faults.Add(new SchemaFault(node.InstanceLocation.ToString(), "fits more than one of the forms the schema allows here"));
            }
            else
            {
                faults.AddRange(Closest(branches, node));
            }
        }

        foreach (var child in children.Where(c => !IsBranch(c)))
        {
            Collect(child, faults);
        }
    }

    // The alternative the document most nearly fits: not one whose very type is wrong, then the fewest faults.
    private static IEnumerable<SchemaFault> Closest(List<EvaluationResults> branches, EvaluationResults node)
    {
        var candidates = branches.Select(branch =>
        {
            var inner = new List<SchemaFault>();
            Collect(branch, inner);
            var wrongType = inner.Any(f => f.Location == node.InstanceLocation.ToString() && f.Message.StartsWith("should be", StringComparison.Ordinal));
            return (Faults: inner, WrongType: wrongType);
        }).ToList();
        var best = candidates.OrderBy(c => c.WrongType).ThenBy(c => c.Faults.Count).First();
        var pointer = node.InstanceLocation.ToString();
        return best.Faults.Select(f => f.Location == pointer && branches.Count > 1
            ? f with { Message = $"{f.Message} (none of the {branches.Count} forms the schema allows here fits; this is the closest)" }
            : f);
    }

    private static bool IsBranch(EvaluationResults node)
    {
        var segments = node.EvaluationPath.ToString().Split('/');
        return segments.Length >= 2 && segments[^2] is "oneOf" or "anyOf"
            && int.TryParse(segments[^1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private static string Explain(EvaluationResults node, string keyword, string message)
    {
        var path = node.EvaluationPath.ToString();
        if (keyword == "required" && QuotedNames().Matches(message) is { Count: > 0 } names)
        {
            var listed = string.Join(", ", names.Select(m => $"'{m.Groups[1].Value}'"));
            return names.Count == 1 ? $"required property {listed} missing" : $"required properties {listed} missing";
        }

        if (path.EndsWith("/additionalProperties", StringComparison.Ordinal) || path.EndsWith("/unevaluatedProperties", StringComparison.Ordinal))
        {
            var name = node.InstanceLocation.Count > 0 ? node.InstanceLocation[^1] : "";
            return $"property '{name}' is not allowed here";
        }

        if (keyword == "type" && TypeMessage().Match(message) is { Success: true } type)
        {
            return $"should be {Article(type.Groups[2].Value)}, not {Article(type.Groups[1].Value)}";
        }

        if (keyword == "pattern")
        {
            return node.SchemaLocation.ToString().EndsWith("/CURIE", StringComparison.Ordinal)
                ? "is not a CURIE (prefix:local-part, e.g. NCIT:C16576)"
                : "does not match the pattern the schema requires";
        }

        return message.Replace("\\u0022", "", StringComparison.Ordinal);
    }

    private static string Article(string type) => type switch
    {
        "object" or "array" or "integer" => $"an {type}",
        "null" => "null",
        _ => $"a {type}",
    };

    /// <summary>
    /// VRS 1.3 (draft-07) lists deprecated alternatives in a "deprecated" array; draft-07 has no such keyword (it is an
    /// annotation only), but JsonSchema.Net 7 reads every "deprecated" as 2019-09's boolean one and refuses the file.
    /// </summary>
    private static string WithoutNonBooleanDeprecated(string text)
    {
        var root = JsonNode.Parse(text)!;
        Strip(root);
        return root.ToJsonString();

        static void Strip(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                if (obj["deprecated"] is JsonArray)
                {
                    obj.Remove("deprecated");
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Strip(child);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array)
                {
                    Strip(child);
                }
            }
        }
    }

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedNames();

    [GeneratedRegex("^Value is \"(\\w+)\" but should be \"(\\w+)\"")]
    private static partial Regex TypeMessage();

    private static (IReadOnlyDictionary<EntryType, JsonSchema>, EvaluationOptions, EvaluationOptions) Load()
    {
        var assembly = typeof(BeaconModelSchemas).Assembly;
        // The schemas by their URLs, in registries local to these options (nothing is fetched; nothing global changes).
        var flag = new EvaluationOptions { OutputFormat = OutputFormat.Flag };
        var detailed = new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical };
        var built = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var relative = name[ResourcePrefix.Length..].Replace('\\', '/');
            var text = Read(name);
            var schema = JsonSchema.FromText(relative == "external/vrs-1.3/vrs.json" ? WithoutNonBooleanDeprecated(text) : text);
            var uri = new Uri(relative == "external/vrs-1.3/vrs.json" ? VrsUrl : RawBase + relative);
            flag.SchemaRegistry.Register(uri, schema);
            detailed.SchemaRegistry.Register(uri, schema);
            built[relative] = schema;
            if (relative == "framework/json/common/info.json")
            {
                // Upstream defect (specs/beacon-v2/PROVENANCE.txt, 1): the entry schemas name "../common/info.json" beside
                // themselves, where no such file is; the framework's info.json is the one they mean.
                var info = JsonSchema.FromText(text);
                flag.SchemaRegistry.Register(new Uri(RawBase + "models/json/beacon-v2-default-model/common/info.json"), info);
                detailed.SchemaRegistry.Register(new Uri(RawBase + "models/json/beacon-v2-default-model/common/info.json"), info);
            }
        }

        var schemas = EntryTypes.All.ToDictionary(type => type, type => built.TryGetValue(SchemaPath(type), out var schema)
            ? schema
            : throw new InvalidOperationException($"the Beacon model schema {SchemaPath(type)} is not embedded in {assembly.GetName().Name}"));
        // Each schema finishes setting itself up on its first evaluation: done here, once, before imports share them.
        using var empty = JsonDocument.Parse("{}");
        foreach (var schema in schemas.Values)
        {
            schema.Evaluate(empty.RootElement, flag);
            schema.Evaluate(empty.RootElement, detailed);
        }

        return (schemas, flag, detailed);

        string Read(string resource)
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }
}
