using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Schema;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// The vendored Beacon v2 schemas (and VRS 1.3), resolved offline: every file is preloaded under the URL the schemas
/// use for it. Newtonsoft.Json.Schema's free quota is 1000 validations per hour per process; this counts them and
/// stops well before.
/// </summary>
internal static class BeaconSchemas
{
    public const string Framework = "framework/json/";
    public const string BooleanResponse = Framework + "responses/beaconBooleanResponse.json";
    public const string CountResponse = Framework + "responses/beaconCountResponse.json";
    public const string ResultsetsResponse = Framework + "responses/beaconResultsetsResponse.json";
    public const string ErrorResponse = Framework + "responses/beaconErrorResponse.json";
    public const string GenomicVariation = "models/json/beacon-v2-default-model/genomicVariations/defaultSchema.json";

    private const string RawBase = "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/";
    private const string VrsUrl = "https://w3id.org/ga4gh/schema/vrs/1.3/vrs.json";
    private const int Quota = 900;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, JSchema> Loaded = [];
    private static readonly Lazy<JSchemaPreloadedResolver> Resolver = new(CreateResolver);
    private static int validations;

    public static string Root => Path.Combine(AppContext.BaseDirectory, "specs", "beacon-v2");

    /// <summary>Validates a JSON text against a schema (path below specs/beacon-v2); the errors, empty when valid.</summary>
    public static IList<string> Errors(string json, string schemaPath)
    {
        var schema = Load(schemaPath);
        lock (Gate)
        {
            validations++;
            Assert.True(validations <= Quota, $"more than {Quota} schema validations in one test process (Newtonsoft.Json.Schema quota)");
        }

        var token = JToken.Parse(json);
        token.IsValid(schema, out IList<string> errors);
        return errors;
    }

    /// <summary>Asserts that the JSON is valid against the schema, listing the errors otherwise.</summary>
    public static void AssertValid(string json, string schemaPath)
    {
        var errors = Errors(json, schemaPath);
        Assert.True(errors.Count == 0, $"not valid against {schemaPath}:\n{string.Join("\n", errors)}\n{json[..Math.Min(json.Length, 2000)]}");
    }

    /// <summary>The response schema matching meta.returnedGranularity (see PROVENANCE.txt, defect 4).</summary>
    public static string ForGranularity(string granularity) => granularity switch
    {
        "boolean" => BooleanResponse,
        "count" => CountResponse,
        "record" => ResultsetsResponse,
        _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "unknown granularity"),
    };

    private static JSchema Load(string schemaPath)
    {
        lock (Gate)
        {
            if (!Loaded.TryGetValue(schemaPath, out var schema))
            {
                schema = JSchema.Parse(File.ReadAllText(Path.Combine(Root, schemaPath)), new JSchemaReaderSettings
                {
                    Resolver = Resolver.Value,
                    BaseUri = new Uri(RawBase + schemaPath),
                });
                Loaded[schemaPath] = schema;
            }

            return schema;
        }
    }

    private static JSchemaPreloadedResolver CreateResolver()
    {
        var resolver = new JSchemaPreloadedResolver();
        foreach (var file in Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
            if (relative.StartsWith("examples/", StringComparison.Ordinal))
            {
                continue;
            }

            resolver.Add(new Uri(relative == "external/vrs-1.3/vrs.json" ? VrsUrl : RawBase + relative), File.ReadAllBytes(file));
        }

        // The model schemas' "../common/info.json" names a file only the framework has (specs/beacon-v2/PROVENANCE.txt, defect 1).
        resolver.Add(new Uri(RawBase + "models/json/beacon-v2-default-model/common/info.json"),
            File.ReadAllBytes(Path.Combine(Root, "framework", "json", "common", "info.json")));
        return resolver;
    }
}
