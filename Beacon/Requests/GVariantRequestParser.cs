using System.Globalization;
using System.Text.Json;
using GenomeNode.Beacon.Filters;
using GenomeNode.Shared;
using Microsoft.Extensions.Primitives;

namespace GenomeNode.Beacon.Requests;

/// <summary>
/// Reads g_variants requests, once, into a <see cref="GVariantRequest"/>: from a query string (with the <c>{id}</c> of
/// <c>/g_variants/{id}</c>, if any) or from a JSON body. Bodies come in three shapes, all accepted: flat
/// (<c>query.requestParameters = {"referenceName": ...}</c>, the form most implementations and examples use), nested per
/// entry type (<c>{"g_variant": {...}, "datasets": {"datasetIds": [...]}}</c>, the only form the v2.1.1
/// requestParameters schema validates), and a list of such objects (merged; a key given twice with different values is
/// refused). A body without <c>query</c> whose top level holds parameters is read as flat parameters. Which clients send
/// which: docs/beacon-store.md, "Request bodies".
/// </summary>
/// <remarks>
/// Reading checks each parameter's JSON type; <see cref="VariantQueryParser"/> then makes the query of them. A refusal
/// is a <see cref="BeaconRequestException"/> naming the parameter, with what was understood of the request so far.
/// </remarks>
public static class GVariantRequestParser
{
    public const long DefaultLimit = 10;

    private static readonly HashSet<string> ParameterNames = new(StringComparer.Ordinal)
    {
        "referenceName", "start", "end", "referenceBases", "alternateBases", "variantType", "variantMinLength", "variantMaxLength",
        "assemblyId", "geneId", "aminoacidChange", "genomicAlleleShortForm", "mateName", "datasetIds",
    };

    private static readonly string[] NestedKeys = ["g_variant", "g_variants", "genomicVariant", "genomicVariation", "genomicVariations"];

    private static readonly HashSet<string> Controls =
        new(["requestedGranularity", "includeResultsetResponses", "testMode", "pagination", "filters"], StringComparer.Ordinal);

    private const string NotUnicode = "the text is not valid Unicode (a lone UTF-16 surrogate)";

    /// <summary>Reads a GET request: its query string (names with their values) and the variant id of the path, if any.</summary>
    /// <exception cref="BeaconRequestException">a request the beacon refuses</exception>
    public static GVariantRequest FromQuery(IEnumerable<KeyValuePair<string, StringValues>> query, string? variantId, RequestSettings settings) =>
        ReadQuery(query, variantId, reading => reading.Request(variantId, settings));

    /// <summary>
    /// Reads a GET request to another entry type's endpoint (individuals, biosamples, ...; a cross-entry endpoint):
    /// the same parameters, filters and controls, the variant parameters optional.
    /// </summary>
    /// <exception cref="BeaconRequestException">a request the beacon refuses</exception>
    public static EntryRequest EntryFromQuery(IEnumerable<KeyValuePair<string, StringValues>> query, RequestSettings settings) =>
        ReadQuery(query, null, reading => reading.EntryRequest(settings));

    /// <summary>Reads an entry type's POST body as <see cref="FromBody(ReadOnlyMemory{byte}, string?, RequestSettings)"/> does.</summary>
    /// <exception cref="BeaconRequestException">a request the beacon refuses</exception>
    public static EntryRequest EntryFromBody(ReadOnlyMemory<byte> utf8, RequestSettings settings) =>
        ReadBody(utf8, null, reading => reading.EntryRequest(settings));

    private static T ReadQuery<T>(IEnumerable<KeyValuePair<string, StringValues>> query, string? variantId, Func<Reading, T> request)
    {
        ArgumentNullException.ThrowIfNull(query);
        var reading = new Reading();
        try
        {
            RequireWellFormed(query, variantId);
            foreach (var (key, values) in query)
            {
                reading.ReadQueryParameter(key, values);
            }

            return request(reading);
        }
        catch (BeaconRequestException ex) when (ex.Received is null)
        {
            throw new BeaconRequestException(ex.Parameter, ex.Message, reading.Received());
        }
    }

    /// <summary>Reads a POST body (UTF-8 JSON) under the node's rule for caller JSON (StrictJson), then as <see cref="FromBody(JsonElement, string?, RequestSettings)"/>.</summary>
    /// <exception cref="BeaconRequestException">a request the beacon refuses</exception>
    public static GVariantRequest FromBody(ReadOnlyMemory<byte> utf8, string? variantId, RequestSettings settings) =>
        ReadBody(utf8, variantId, reading => reading.Request(variantId, settings));

    private static T ReadBody<T>(ReadOnlyMemory<byte> utf8, string? variantId, Func<Reading, T> request)
    {
        // Member names are read case-sensitively (TryGetProperty), so only exact repeats are ambiguous.
        if (!StrictJson.TryParse(utf8, StringComparer.Ordinal, StrictJson.DefaultMaxDepth, out var document, out var error))
        {
            throw new BeaconRequestException(error.PathOr("body"),
                error.Problem == StrictJsonProblem.Syntax ? $"the request body is {error.Message}" : error.Message, ReceivedRequest.Nothing);
        }

        using (document)
        {
            return ReadBody(document.RootElement, variantId, request);
        }
    }

    /// <summary>Reads a POST body (flat, nested or list form; see the class summary) and the variant id of the path, if any.</summary>
    /// <exception cref="BeaconRequestException">a request the beacon refuses</exception>
    public static GVariantRequest FromBody(JsonElement body, string? variantId, RequestSettings settings) =>
        ReadBody(body, variantId, reading => reading.Request(variantId, settings));

    private static T ReadBody<T>(JsonElement body, string? variantId, Func<Reading, T> request)
    {
        var reading = new Reading();
        try
        {
            RequireWellFormed([], variantId);
            if (body.ValueKind != JsonValueKind.Object)
            {
                throw new BeaconRequestException("body", "the request body must be a JSON object");
            }

            if (body.TryGetProperty("meta", out var meta) && meta.ValueKind != JsonValueKind.Null)
            {
                reading.ReadMeta(meta);
            }

            if (body.TryGetProperty("query", out var query) && query.ValueKind != JsonValueKind.Null)
            {
                if (query.ValueKind != JsonValueKind.Object)
                {
                    throw new BeaconRequestException("query", "query must be an object");
                }

                // The controls may also stand beside query (some clients' examples put them there); query's own win.
                foreach (var property in body.EnumerateObject())
                {
                    if (Controls.Contains(property.Name))
                    {
                        reading.ReadQueryMember(property, flat: false);
                    }
                }

                foreach (var property in query.EnumerateObject())
                {
                    reading.ReadQueryMember(property, flat: false);
                }
            }
            else
            {
                // No query section: a flat body of parameters (and controls) at the top level.
                foreach (var property in body.EnumerateObject())
                {
                    reading.ReadQueryMember(property, flat: true);
                }
            }

            return request(reading);
        }
        catch (BeaconRequestException ex) when (ex.Received is null)
        {
            throw new BeaconRequestException(ex.Parameter, ex.Message, reading.Received());
        }
    }

    /// <summary>
    /// Refuses query-string names or values, or a variant id, that are not well-formed Unicode, before any of them is
    /// echoed or queried (a body's text is held to the same rule when it is parsed: StrictJson).
    /// </summary>
    private static void RequireWellFormed(IEnumerable<KeyValuePair<string, StringValues>> query, string? variantId)
    {
        if (variantId is not null && !UnicodeText.IsWellFormed(variantId))
        {
            throw new BeaconRequestException("id", NotUnicode);
        }

        foreach (var (key, values) in query)
        {
            if (!UnicodeText.IsWellFormed(key))
            {
                throw new BeaconRequestException(UnicodeText.Printable(key), "the parameter name is not valid Unicode text (a lone UTF-16 surrogate)");
            }

            foreach (var value in values)
            {
                if (value is not null && !UnicodeText.IsWellFormed(value))
                {
                    throw new BeaconRequestException(key, NotUnicode);
                }
            }
        }
    }

    /// <summary>One request as it is read: the parameters and controls so far, and which of them were found valid.</summary>
    private sealed class Reading
    {
        // As given.
        private string? granularityText;
        private string? includeText;
        private long? skip;
        private long? limit;
        private bool? testMode;
        private string? apiVersion;
        private List<SchemaReference>? schemas;

        // Found valid: what the echo says of the controls.
        private Granularity? granularity;
        private ResultSetResponses? include;
        private long echoedSkip;
        private long echoedLimit = DefaultLimit;
        private bool? echoedTestMode;

        private readonly List<string> named = [];
        private string? referenceName, referenceBases, alternateBases, variantType, assemblyId, geneId, aminoacidChange, genomicAlleleShortForm;
        private IReadOnlyList<long>? start, end;
        private long? variantMinLength, variantMaxLength;
        private IReadOnlyList<string>? datasetIds;
        private List<Filter>? filters;

        // A body's parameters as given, to tell a repeat with the same value (merged) from one with another (refused).
        private Dictionary<string, JsonElement>? given;

        public void ReadQueryParameter(string key, StringValues values)
        {
            if (values.Count > 1 && key is not ("start" or "end" or "datasetIds" or "filters"))
            {
                throw new BeaconRequestException(key, $"'{key}' is given {values.Count} times");
            }

            var text = values.ToString();
            switch (key)
            {
                case "requestedGranularity":
                    granularityText = text;
                    break;
                case "includeResultsetResponses":
                    includeText = text;
                    break;
                case "skip":
                    skip = ParseLong(key, text);
                    break;
                case "limit":
                    limit = ParseLong(key, text);
                    break;
                case "testMode":
                    testMode = bool.TryParse(text, out var flag) ? flag : throw new BeaconRequestException(key, $"testMode must be true or false, not '{text}'");
                    break;
                case "filters":
                    // filters=A,B or filters=A&filters=B: every id, in order.
                    filters = [.. values.SelectMany(value => FilterParser.FromQueryString(value ?? ""))];
                    break;
                case "requestedSchema":
                    (schemas ??= []).Add(new SchemaReference("genomicVariant", text));
                    break;
                case "start" or "end":
                    SetCoordinates(key, CoordinatesFromText(key, text));
                    break;
                case "variantMinLength" or "variantMaxLength":
                    SetLength(key, ParseLong(key, text));
                    break;
                case "datasetIds" or "datasets":
                    Name("datasetIds");
                    datasetIds = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                default:
                    if (!ParameterNames.Contains(key))
                    {
                        throw new BeaconRequestException(key, $"unknown parameter '{key}'");
                    }

                    SetText(key, text);
                    break;
            }
        }

        public void ReadMeta(JsonElement meta)
        {
            if (meta.ValueKind != JsonValueKind.Object)
            {
                throw new BeaconRequestException("meta", "meta must be an object");
            }

            if (meta.TryGetProperty("apiVersion", out var version))
            {
                apiVersion = version.ValueKind == JsonValueKind.String ? version.GetString()! : throw new BeaconRequestException("meta.apiVersion", "apiVersion must be a string");
            }

            if (meta.TryGetProperty("requestedSchemas", out var requested) && requested.ValueKind != JsonValueKind.Null)
            {
                if (requested.ValueKind != JsonValueKind.Array)
                {
                    throw new BeaconRequestException("meta.requestedSchemas", "requestedSchemas must be an array");
                }

                // Objects as the framework's schema has them, or bare schema names as the EGA reference implementation's model.
                foreach (var schema in requested.EnumerateArray())
                {
                    (schemas ??= []).Add(schema.ValueKind == JsonValueKind.String
                        ? new SchemaReference("genomicVariant", schema.GetString()!)
                        : new SchemaReference(
                            StringProperty(schema, "entityType", "meta.requestedSchemas") ?? "genomicVariant",
                            StringProperty(schema, "schema", "meta.requestedSchemas") ?? ""));
                }
            }

            granularityText = StringProperty(meta, "requestedGranularity", "meta");
        }

        /// <summary>A member of the body's query (or, in a flat body, of the body itself).</summary>
        public void ReadQueryMember(JsonProperty property, bool flat)
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "requestParameters":
                    ReadParameters(value, "requestParameters");
                    break;
                case "requestedGranularity":
                    granularityText = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BeaconRequestException(property.Name, "requestedGranularity must be a string");
                    break;
                case "includeResultsetResponses":
                    includeText = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BeaconRequestException(property.Name, "includeResultsetResponses must be a string");
                    break;
                case "testMode":
                    testMode = value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new BeaconRequestException(property.Name, "testMode must be true or false");
                    break;
                case "pagination":
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        throw new BeaconRequestException("pagination", "pagination must be an object with skip and limit");
                    }

                    skip = IntegerProperty(value, "skip", "pagination.skip");
                    limit = IntegerProperty(value, "limit", "pagination.limit");
                    break;
                case "filters":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (value.ValueKind != JsonValueKind.Array)
                    {
                        throw new BeaconRequestException("filters", "filters must be an array");
                    }

                    filters = [.. FilterParser.FromJson(value)];
                    break;
                case "$schema" or "meta" or "query":
                    break;
                default:
                    if (flat)
                    {
                        ReadParameter(property.Name, value, "");
                    }
                    else if (ParameterNames.Contains(property.Name) || NestedKeys.Contains(property.Name))
                    {
                        throw new BeaconRequestException(property.Name, $"'{property.Name}' belongs in query.requestParameters");
                    }

                    // Other members of query are extensions this beacon does not use.
                    break;
            }
        }

        private void ReadParameters(JsonElement value, string path)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    return;
                case JsonValueKind.Array:
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.Object)
                        {
                            throw new BeaconRequestException(path, "requestParameters as a list must hold objects");
                        }

                        ReadParameters(item, path);
                    }

                    return;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        ReadParameter(property.Name, property.Value, path + ".");
                    }

                    return;
                default:
                    throw new BeaconRequestException(path, "requestParameters must be an object or a list of objects");
            }
        }

        private void ReadParameter(string name, JsonElement value, string prefix)
        {
            if (NestedKeys.Contains(name))
            {
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw new BeaconRequestException(prefix + name, $"{name} must be an object of parameters");
                }

                foreach (var property in value.EnumerateObject())
                {
                    ReadParameter(property.Name, property.Value, prefix + name + ".");
                }

                return;
            }

            if (name == "datasets")
            {
                // {"datasets": {"datasetIds": [...]}} (the schema's example) or {"datasets": [...]}.
                var ids = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("datasetIds", out var inner) ? inner : value;
                ReadParameter("datasetIds", ids, prefix + "datasets.");
                return;
            }

            if (!ParameterNames.Contains(name))
            {
                throw new BeaconRequestException(prefix + name, $"unknown parameter '{name}'");
            }

            given ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (given.TryGetValue(name, out var earlier) && !JsonElement.DeepEquals(earlier, value))
            {
                throw new BeaconRequestException(prefix + name, $"'{name}' is given twice with different values");
            }

            given[name] = value;
            Name(name);
            if (value.ValueKind == JsonValueKind.Null)
            {
                return; // named, with no value
            }

            switch (name)
            {
                case "start" or "end":
                    SetCoordinates(name, value.ValueKind switch
                    {
                        JsonValueKind.Array => [.. value.EnumerateArray().Select(item => Integer(item, name))],
                        // The GDI portal sends requestParameters as a map of strings ("start": "43045702").
                        JsonValueKind.String => CoordinatesFromText(name, value.GetString()!),
                        _ => [Integer(value, name)],
                    });
                    break;
                case "variantMinLength" or "variantMaxLength":
                    SetLength(name, value.ValueKind == JsonValueKind.String ? ParseLong(name, value.GetString()!) : Integer(value, name));
                    break;
                case "datasetIds":
                    datasetIds = value.ValueKind switch
                    {
                        JsonValueKind.String => [value.GetString()!],
                        JsonValueKind.Array when value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String) =>
                            [.. value.EnumerateArray().Select(item => item.GetString()!)],
                        _ => throw new BeaconRequestException("datasetIds", "datasetIds must be a list of dataset ids (strings)"),
                    };
                    break;
                case "mateName":
                    break; // refused whatever its value (VariantQueryParser)
                default:
                    SetText(name, value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new BeaconRequestException(name, $"{name} must be a string"));
                    break;
            }
        }

        private void Name(string name)
        {
            if (!named.Contains(name, StringComparer.Ordinal))
            {
                named.Add(name);
            }
        }

        private void SetCoordinates(string name, IReadOnlyList<long> values)
        {
            Name(name);
            if (name == "start")
            {
                start = values;
            }
            else
            {
                end = values;
            }
        }

        private void SetLength(string name, long value)
        {
            Name(name);
            if (name == "variantMinLength")
            {
                variantMinLength = value;
            }
            else
            {
                variantMaxLength = value;
            }
        }

        private void SetText(string name, string text)
        {
            Name(name);
            switch (name)
            {
                case "referenceName": referenceName = text; break;
                case "referenceBases": referenceBases = text; break;
                case "alternateBases": alternateBases = text; break;
                case "variantType": variantType = text; break;
                case "assemblyId": assemblyId = text; break;
                case "geneId": geneId = text; break;
                case "aminoacidChange": aminoacidChange = text; break;
                case "genomicAlleleShortForm": genomicAlleleShortForm = text; break;
                default: break; // mateName: named only
            }
        }

        public VariantParameters Parameters() => new()
        {
            ReferenceName = referenceName,
            Start = start,
            End = end,
            ReferenceBases = referenceBases,
            AlternateBases = alternateBases,
            VariantType = variantType,
            VariantMinLength = variantMinLength,
            VariantMaxLength = variantMaxLength,
            AssemblyId = assemblyId,
            GeneId = geneId,
            AminoacidChange = aminoacidChange,
            GenomicAlleleShortForm = genomicAlleleShortForm,
            DatasetIds = datasetIds,
            Named = named,
        };

        private RequestMeta Meta() => apiVersion is null && schemas is null ? RequestMeta.None : new RequestMeta(apiVersion, schemas ?? []);

        public ReceivedRequest Received() =>
            new(Meta(), granularity, include, echoedSkip, echoedLimit, echoedTestMode, Parameters()) { Filters = filters ?? [] };

        /// <summary>The controls checked, then the query made of the parameters.</summary>
        public GVariantRequest Request(string? variantId, RequestSettings settings)
        {
            var (requested, skipValue, limitValue) = Controls(settings);
            var parameters = Parameters();
            var query = variantId is null ? VariantQueryParser.FromParameters(parameters) : VariantQueryParser.FromVariantId(variantId, parameters);
            return new GVariantRequest(query, parameters, requested, include!.Value, skipValue, limitValue, testMode, Meta()) { Filters = filters ?? [] };
        }

        /// <summary>The controls checked, then the variant query made of the parameters when any is given.</summary>
        public EntryRequest EntryRequest(RequestSettings settings)
        {
            var (requested, skipValue, limitValue) = Controls(settings);
            var parameters = Parameters();
            var query = parameters.HasVariantParameters ? VariantQueryParser.FromParameters(parameters) : null;
            return new EntryRequest(query, parameters, filters ?? [], requested, include!.Value, skipValue, limitValue, testMode, Meta());
        }

        private (Granularity Requested, long Skip, long Limit) Controls(RequestSettings settings)
        {
            var requested = settings.DefaultGranularity;
            if (granularityText is not null && !Granularities.TryParse(granularityText, out requested))
            {
                throw new BeaconRequestException("requestedGranularity", $"requestedGranularity must be boolean, count or record, not '{granularityText}'");
            }

            granularity = requested;
            include = (includeText ?? "HIT").ToUpperInvariant() switch
            {
                "HIT" => ResultSetResponses.Hit,
                "MISS" => ResultSetResponses.Miss,
                "ALL" => ResultSetResponses.All,
                "NONE" => ResultSetResponses.None,
                _ => throw new BeaconRequestException("includeResultsetResponses", $"includeResultsetResponses must be HIT, MISS, ALL or NONE, not '{includeText}'"),
            };
            var skipValue = skip ?? 0;
            if (skipValue < 0)
            {
                throw new BeaconRequestException("skip", "skip must not be negative");
            }

            var limitValue = limit ?? DefaultLimit;
            if (limitValue < 0)
            {
                throw new BeaconRequestException("limit", "limit must not be negative");
            }

            if (limitValue > settings.MaxLimit)
            {
                throw new BeaconRequestException("limit", $"limit {limitValue} is above this beacon's maximum of {settings.MaxLimit}; page with skip");
            }

            if (limitValue == 0)
            {
                limitValue = settings.MaxLimit;
            }

            echoedSkip = skipValue;
            echoedLimit = limitValue;
            echoedTestMode = testMode;
            return (requested, skipValue, limitValue);
        }
    }

    /// <summary>start or end as a query string writes them: "100" or "100,200".</summary>
    private static long[] CoordinatesFromText(string name, string text)
    {
        var parts = text.Split(',');
        var values = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            values[i] = ParseLong(name, parts[i].Trim());
        }

        return values;
    }

    private static long ParseLong(string name, string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new BeaconRequestException(name, $"{name} must be an integer, not '{text}'");

    /// <summary>An integer of a body: a JSON number without a fraction (1.0 and 1e3 are integers, 1.5 is not).</summary>
    private static long Integer(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var number))
            {
                return number;
            }

            if (value.TryGetDouble(out var real) && real == Math.Floor(real) && Math.Abs(real) < 1e15)
            {
                return (long)real;
            }
        }

        throw new BeaconRequestException(name, $"{name} must be an integer");
    }

    private static long? IntegerProperty(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw new BeaconRequestException(path, $"{path} must be an integer");
    }

    private static string? StringProperty(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new BeaconRequestException(path, $"{path} entries must be objects");
        }

        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BeaconRequestException($"{path}.{name}", $"{name} must be a string");
    }
}
