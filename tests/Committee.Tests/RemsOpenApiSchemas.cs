using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace GenomeNode.Committee.Tests;

/// <summary>
/// The component schemas of the access management service's <c>rems.yaml</c> (specs/rems) as JSON Schema 2020-12:
/// OpenAPI 3.0's <c>nullable</c> becomes a <c>null</c> type, <c>$ref</c>s point into <c>$defs</c>, extensions
/// (<c>x-*</c>) and <c>example</c> go. Two rules are added to rems.yaml's own, both stricter: every object answers
/// only members that rems.yaml names or that REMS itself answers (<see cref="RemsOnlyMembers"/>), so a misspelled
/// optional member fails too; and <c>date-time</c> formats are asserted.
/// </summary>
internal static class RemsOpenApiSchemas
{
    /// <summary>
    /// Where rems.yaml and REMS (CSCfi/rems src/clj/rems/api/schema.clj) disagree, the node answers as REMS: these
    /// patches say so, one by one (specs/rems/PROVENANCE.md).
    /// </summary>
    private static void FollowRems(JsonObject defs)
    {
        // A typo in rems.yaml: REMS' member is application/licenses.
        var required = defs["Application"]!["required"]!.AsArray();
        required[required.Select(item => item!.GetValue<string>()).ToList().IndexOf("applications/licenses")] = "application/licenses";

        // REMS' V2License type is (s/enum :text :link :attachment): "text", never "license/text".
        defs["V2License"]!["properties"]!["license/type"]!["enum"] = new JsonArray("text", "link", "attachment");

        // REMS gives field-id and form-id only with a form field's error (e.g. not with licenses-not-accepted).
        defs["ValidationField"]!["required"] = new JsonArray("type");
    }

    /// <summary>Members REMS answers (schema.clj) that rems.yaml does not list, per schema.</summary>
    private static readonly Dictionary<string, string[]> RemsOnlyMembers = new(StringComparer.Ordinal)
    {
        ["CatalogueItem"] = ["organization", "localizations", "start", "end", "workflow-name", "form-name", "resource-name", "categories"],
        ["Form"] = ["form/title"],
        ["Field"] = ["field/options", "field/placeholder", "field/max-length", "field/info-text", "field/columns", "field/privacy", "field/visibility", "field/previous-value"],
    };

    /// <summary>Schemas whose objects carry members of their own: an event its type's payload (REMS: s/Keyword s/Any), errors their details.</summary>
    private static readonly HashSet<string> Open = new(StringComparer.Ordinal) { "Event", "CreateApplicationError", "ValidationField" };

    private static readonly Lazy<JsonObject> Defs = new(Load);

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>The errors of <paramref name="answer"/> against component <paramref name="component"/> (or an array of it); empty when valid.</summary>
    public static IReadOnlyList<string> Errors(JsonNode? answer, string component, bool array = false)
    {
        var reference = new JsonObject { ["$ref"] = "#/$defs/" + component };
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = Defs.Value.DeepClone(),
        };
        if (array)
        {
            root["type"] = "array";
            root["items"] = reference;
        }
        else
        {
            root["$ref"] = reference["$ref"]!.GetValue<string>();
        }

        var schema = JsonSchema.FromText(root.ToJsonString());
        using var document = JsonDocument.Parse(answer?.ToJsonString() ?? "null");
        var results = schema.Evaluate(document.RootElement, Options);
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details.Count > 0 ? results.Details : [results])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation} ({detail.EvaluationPath}): {error.Key}: {error.Value}"))];
    }

    /// <summary>Asserts that <paramref name="answer"/> matches the component, naming every error.</summary>
    public static void AssertValid(JsonNode? answer, string component, bool array = false)
    {
        var errors = Errors(answer, component, array);
        Assert.True(errors.Count == 0, $"{component}{(array ? "[]" : "")}: {string.Join(Environment.NewLine, errors)}{Environment.NewLine}{answer?.ToJsonString()}");
    }

    private static JsonObject Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "specs", "rems", "rems.yaml")))
        {
            stream.Load(reader);
        }

        var document = (JsonObject)ToJson(stream.Documents[0].RootNode)!;
        var components = document["components"]!["schemas"]!.AsObject();
        var defs = new JsonObject();
        foreach (var (name, schema) in components)
        {
            var converted = Convert(schema!.AsObject());
            if (converted["properties"] is JsonObject properties && !Open.Contains(name) && converted["additionalProperties"] is null)
            {
                foreach (var member in RemsOnlyMembers.GetValueOrDefault(name, []))
                {
                    properties.TryAdd(member, new JsonObject());
                }

                converted["additionalProperties"] = false;
            }

            defs[name] = converted;
        }

        FollowRems(defs);
        return defs;
    }

    /// <summary>One OpenAPI 3.0 schema object as JSON Schema 2020-12.</summary>
    private static JsonObject Convert(JsonObject schema)
    {
        var result = new JsonObject();
        foreach (var (keyword, value) in schema)
        {
            if (keyword.StartsWith("x-", StringComparison.Ordinal) || keyword is "example" or "nullable")
            {
                continue;
            }

            result[keyword] = keyword switch
            {
                "$ref" => value!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal),
                "properties" => new JsonObject([.. value!.AsObject().Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)Convert(pair.Value!.AsObject())))]),
                "items" or "additionalProperties" when value is JsonObject inner => Convert(inner),
                _ => value?.DeepClone(),
            };
        }

        if (schema["nullable"]?.GetValue<bool>() == true)
        {
            if (result["type"] is JsonValue type)
            {
                result["type"] = new JsonArray(type.GetValue<string>(), "null");
            }

            if (result["enum"] is JsonArray values)
            {
                values.Add(null);
            }
        }

        return result;
    }

    /// <summary>YAML as JSON: plain scalars that read as booleans or integers are those, everything else is text.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject([.. mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))]),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" } => JsonValue.Create(true),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "false" } => JsonValue.Create(false),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" } => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar
            when long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType}"),
    };
}
