using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;
using GenomeNode.Shared;
using Microsoft.AspNetCore.Http;

namespace GenomeNode.Beacon.Api;

/// <summary>A g_variants request, validated: the store query and how to answer.</summary>
public sealed record GVariantRequest(
    VariantQuery Query,
    Granularity RequestedGranularity,
    string IncludeResultsetResponses,
    long Skip,
    long Limit,
    bool TestMode,
    IReadOnlyList<string>? DatasetIds,
    RequestEcho Echo);

/// <summary>What meta.receivedRequestSummary echoes, known as far as parsing got.</summary>
public sealed class RequestEcho
{
    public JsonObject Parameters { get; } = [];
    public string? Granularity { get; set; }
    public string? IncludeResultsetResponses { get; set; }
    public long Skip { get; set; }
    public long Limit { get; set; } = GVariantRequestParser.DefaultLimit;
    public bool? TestMode { get; set; }
    public List<SchemaReference> RequestedSchemas { get; } = [];
    public string ApiVersion { get; set; } = BeaconOptions.ApiVersion;
}

/// <summary>A request the beacon refuses: the parameter at fault and why.</summary>
public sealed class BeaconRequestException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}

/// <summary>
/// Reads g_variants requests from a query string or a JSON body. Bodies come in three shapes, all accepted:
/// flat (<c>query.requestParameters = {"referenceName": ...}</c>, the form most implementations and examples use),
/// nested per entry type (<c>{"g_variant": {...}, "datasets": {"datasetIds": [...]}}</c>, the only form the v2.1.1
/// requestParameters schema validates), and a list of such objects (merged; a key given twice with different values is
/// refused). A body without <c>query</c> whose top level holds parameters is read as flat parameters. Which clients
/// send which: docs/beacon-store.md, "Request bodies".
/// </summary>
public static partial class GVariantRequestParser
{
    public const long DefaultLimit = 10;

    private static readonly HashSet<string> ParameterNames = new(StringComparer.Ordinal)
    {
        "referenceName", "start", "end", "referenceBases", "alternateBases", "variantType", "variantMinLength", "variantMaxLength",
        "assemblyId", "geneId", "aminoacidChange", "genomicAlleleShortForm", "mateName", "datasetIds",
    };

    private static readonly string[] NestedKeys = ["g_variant", "g_variants", "genomicVariant", "genomicVariation", "genomicVariations"];

    private static readonly string[] IncludeValues = ["HIT", "MISS", "ALL", "NONE"];

    private static readonly HashSet<string> Controls =
        new(["requestedGranularity", "includeResultsetResponses", "testMode", "pagination", "filters"], StringComparer.Ordinal);

    [GeneratedRegex(@"^[ACGTUNRYSWKMBDHV]+\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bases();

    // HGVS genomic short forms: ACCESSION:g.POS REF>ALT, POS(_POS)del, POS(_POS)delinsSEQ, POS_POSinsSEQ, POS(_POS)dup.
    [GeneratedRegex(@"^(?<seq>[^:\s]+):g\.(?<start>[0-9]+)(_(?<end>[0-9]+))?(?<change>([ACGTN]+>[ACGTN]+)|del|delins[ACGTN]+|ins[ACGTN]+|dup|=)\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Hgvs();

    /// <summary>Reads a GET request's query string (and the {id} of /g_variants/{id}, if any).</summary>
    public static GVariantRequest FromQuery(IQueryCollection query, BeaconOptions options, string? variantId, RequestEcho echo)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(echo);
        RequireWellFormed(query, variantId);
        string? granularity = null, include = null;
        long? skip = null, limit = null;
        bool? testMode = null;
        foreach (var (key, values) in query)
        {
            if (values.Count > 1 && key is not ("start" or "end" or "datasetIds" or "filters"))
            {
                throw new BeaconRequestException(key, $"'{key}' is given {values.Count} times");
            }

            var text = string.Join(',', values.ToArray());
            switch (key)
            {
                case "requestedGranularity": granularity = text; break;
                case "includeResultsetResponses": include = text; break;
                case "skip": skip = ParseLong(key, text); break;
                case "limit": limit = ParseLong(key, text); break;
                case "testMode":
                    testMode = bool.TryParse(text, out var flag) ? flag : throw new BeaconRequestException(key, $"testMode must be true or false, not '{text}'");
                    break;
                case "filters":
                    if (text.Length > 0)
                    {
                        throw new BeaconRequestException("filters", "filters are not supported on g_variants by this beacon (see /api/filtering_terms)");
                    }

                    break;
                case "requestedSchema":
                    echo.RequestedSchemas.Add(new SchemaReference("genomicVariant", text));
                    break;
                case "start" or "end":
                    echo.Parameters[key] = CoordinatesFromText(key, text);
                    break;
                case "variantMinLength" or "variantMaxLength":
                    echo.Parameters[key] = ParseLong(key, text);
                    break;
                case "datasetIds" or "datasets":
                    echo.Parameters["datasetIds"] = new JsonArray([.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => (JsonNode)id)]);
                    break;
                default:
                    if (!ParameterNames.Contains(key))
                    {
                        throw new BeaconRequestException(key, $"unknown parameter '{key}'");
                    }

                    echo.Parameters[key] = text;
                    break;
            }
        }

        return Build(options, variantId, echo, granularity, include, skip, limit, testMode);
    }

    /// <summary>Reads a POST body (flat, nested or list form; see the class summary).</summary>
    public static GVariantRequest FromBody(JsonElement body, BeaconOptions options, string? variantId, RequestEcho echo)
    {
        ArgumentNullException.ThrowIfNull(echo);
        RequireWellFormed(QueryCollection.Empty, variantId);
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BeaconRequestException("body", "the request body must be a JSON object");
        }

        string? granularity = null, include = null;
        long? skip = null, limit = null;
        bool? testMode = null;
        if (body.TryGetProperty("meta", out var meta) && meta.ValueKind != JsonValueKind.Null)
        {
            if (meta.ValueKind != JsonValueKind.Object)
            {
                throw new BeaconRequestException("meta", "meta must be an object");
            }

            if (meta.TryGetProperty("apiVersion", out var apiVersion))
            {
                echo.ApiVersion = apiVersion.ValueKind == JsonValueKind.String ? apiVersion.GetString()! : throw new BeaconRequestException("meta.apiVersion", "apiVersion must be a string");
            }

            if (meta.TryGetProperty("requestedSchemas", out var schemas) && schemas.ValueKind != JsonValueKind.Null)
            {
                if (schemas.ValueKind != JsonValueKind.Array)
                {
                    throw new BeaconRequestException("meta.requestedSchemas", "requestedSchemas must be an array");
                }

                // Objects as the framework's schema has them, or bare schema names as the EGA reference implementation's model.
                foreach (var schema in schemas.EnumerateArray())
                {
                    echo.RequestedSchemas.Add(schema.ValueKind == JsonValueKind.String
                        ? new SchemaReference("genomicVariant", schema.GetString()!)
                        : new SchemaReference(
                            StringProperty(schema, "entityType", "meta.requestedSchemas") ?? "genomicVariant",
                            StringProperty(schema, "schema", "meta.requestedSchemas") ?? ""));
                }
            }

            granularity = StringProperty(meta, "requestedGranularity", "meta");
        }

        var flat = false;
        if (body.TryGetProperty("query", out var query) && query.ValueKind != JsonValueKind.Null)
        {
            if (query.ValueKind != JsonValueKind.Object)
            {
                throw new BeaconRequestException("query", "query must be an object");
            }
        }
        else
        {
            // No query section: a flat body of parameters (and controls) at the top level.
            query = body;
            flat = true;
        }

        // The controls may also stand beside query (some clients' examples put them there); query's own win.
        foreach (var property in flat ? query.EnumerateObject() : body.EnumerateObject().Where(p => Controls.Contains(p.Name)).Concat(query.EnumerateObject()))
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "requestParameters":
                    AddParameters(value, echo, "requestParameters");
                    break;
                case "requestedGranularity":
                    granularity = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BeaconRequestException(property.Name, "requestedGranularity must be a string");
                    break;
                case "includeResultsetResponses":
                    include = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new BeaconRequestException(property.Name, "includeResultsetResponses must be a string");
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
                    if (value.ValueKind != JsonValueKind.Array)
                    {
                        throw new BeaconRequestException("filters", "filters must be an array");
                    }

                    if (value.GetArrayLength() > 0)
                    {
                        throw new BeaconRequestException("filters", "filters are not supported on g_variants by this beacon (see /api/filtering_terms)");
                    }

                    break;
                case "$schema" or "meta" or "query":
                    break;
                default:
                    if (flat)
                    {
                        AddParameter(property.Name, value, echo, "");
                    }
                    else if (ParameterNames.Contains(property.Name) || NestedKeys.Contains(property.Name))
                    {
                        throw new BeaconRequestException(property.Name, $"'{property.Name}' belongs in query.requestParameters");
                    }

                    // Other members of query are extensions this beacon does not use.
                    break;
            }
        }

        return Build(options, variantId, echo, granularity, include, skip, limit, testMode);
    }

    /// <summary>
    /// Refuses query-string names or values, or a variant id, that are not well-formed Unicode, before any of them is
    /// echoed or queried (a body's text is held to the same rule when it is parsed: StrictJson).
    /// </summary>
    private static void RequireWellFormed(IQueryCollection query, string? variantId)
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

    private const string NotUnicode = "the text is not valid Unicode (a lone UTF-16 surrogate)";

    private static void AddParameters(JsonElement value, RequestEcho echo, string path)
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

                    AddParameters(item, echo, path);
                }

                return;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    AddParameter(property.Name, property.Value, echo, path + ".");
                }

                return;
            default:
                throw new BeaconRequestException(path, "requestParameters must be an object or a list of objects");
        }
    }

    private static void AddParameter(string name, JsonElement value, RequestEcho echo, string prefix)
    {
        if (NestedKeys.Contains(name))
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new BeaconRequestException(prefix + name, $"{name} must be an object of parameters");
            }

            foreach (var property in value.EnumerateObject())
            {
                AddParameter(property.Name, property.Value, echo, prefix + name + ".");
            }

            return;
        }

        if (name == "datasets")
        {
            // {"datasets": {"datasetIds": [...]}} (the schema's example) or {"datasets": [...]}.
            var ids = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("datasetIds", out var inner) ? inner : value;
            AddParameter("datasetIds", ids, echo, prefix + "datasets.");
            return;
        }

        if (!ParameterNames.Contains(name))
        {
            throw new BeaconRequestException(prefix + name, $"unknown parameter '{name}'");
        }

        var node = JsonSerializer.SerializeToNode(value, BeaconJsonContext.Default.JsonElement);
        if (echo.Parameters.TryGetPropertyValue(name, out var existing) && !JsonNode.DeepEquals(existing, node))
        {
            throw new BeaconRequestException(prefix + name, $"'{name}' is given twice with different values");
        }

        echo.Parameters[name] = node;
    }

    private static GVariantRequest Build(
        BeaconOptions options, string? variantId, RequestEcho echo, string? granularityText, string? includeText, long? skip, long? limit, bool? testMode)
    {
        var granularity = Granularities.TryParse(granularityText ?? options.DefaultGranularity, out var g)
            ? g
            : throw new BeaconRequestException("requestedGranularity", $"requestedGranularity must be boolean, count or record, not '{granularityText}'");
        echo.Granularity = granularity.ToName();
        var include = (includeText ?? "HIT").ToUpperInvariant();
        if (!IncludeValues.Contains(include))
        {
            throw new BeaconRequestException("includeResultsetResponses", $"includeResultsetResponses must be HIT, MISS, ALL or NONE, not '{includeText}'");
        }

        echo.IncludeResultsetResponses = include;
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

        if (limitValue > options.MaxLimit)
        {
            throw new BeaconRequestException("limit", $"limit {limitValue} is above this beacon's maximum of {options.MaxLimit}; page with skip");
        }

        if (limitValue == 0)
        {
            limitValue = options.MaxLimit;
        }

        echo.Skip = skipValue;
        echo.Limit = limitValue;
        echo.TestMode = testMode;
        var datasetIds = DatasetIds(echo.Parameters);
        var query = variantId is null ? BuildQuery(echo.Parameters) : QueryForId(variantId, echo.Parameters);
        return new GVariantRequest(query, granularity, include, skipValue, limitValue, testMode ?? false, datasetIds, echo);
    }

    private static List<string>? DatasetIds(JsonObject parameters)
    {
        if (!parameters.TryGetPropertyValue("datasetIds", out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue single && single.TryGetValue<string>(out var one))
        {
            return [one];
        }

        if (node is not JsonArray array || array.Any(item => item is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw new BeaconRequestException("datasetIds", "datasetIds must be a list of dataset ids (strings)");
        }

        return array.Select(item => item!.GetValue<string>()).ToList();
    }

    private static VariantQuery QueryForId(string id, JsonObject parameters)
    {
        if (!VariantIds.TryParse(id, out var chromosome, out var start, out var reference, out var alternate))
        {
            throw new BeaconRequestException("id", $"'{id}' is not a variant id of this beacon (chromosome:start:ref:alt, 0-based start, '-' for an empty allele)");
        }

        var extra = parameters.Select(p => p.Key).FirstOrDefault(key => key is not ("assemblyId" or "datasetIds"));
        if (extra is not null)
        {
            throw new BeaconRequestException(extra, $"'{extra}' cannot be combined with a variant id");
        }

        var assembly = Assembly(parameters);
        return new VariantQuery
        {
            Kind = VariantQueryKind.Sequence,
            Assembly = assembly,
            Chromosome = ReferenceNames.Canonical(chromosome),
            Start = start,
            Ref = reference.ToUpperInvariant(),
            Alt = alternate.ToUpperInvariant(),
        };
    }

    private static VariantQuery BuildQuery(JsonObject p)
    {
        if (p.ContainsKey("mateName"))
        {
            throw new BeaconRequestException("mateName", "mateName (fusion queries) is not supported by this beacon");
        }

        var assembly = Assembly(p);
        var variantTypes = OptionalString(p, "variantType") is { } type ? VariantTypes.Matching(type) : null;
        var minLength = OptionalInteger(p, "variantMinLength", 0);
        var maxLength = OptionalInteger(p, "variantMaxLength", 1);
        if (minLength is { } lo && maxLength is { } hi && hi < lo)
        {
            throw new BeaconRequestException("variantMaxLength", $"variantMaxLength {hi} is below variantMinLength {lo}");
        }

        var geneId = OptionalString(p, "geneId");
        var aminoacid = OptionalString(p, "aminoacidChange") is { } aa
            ? AminoAcids.ChangeFromHgvs(aa) ?? throw new BeaconRequestException("aminoacidChange", $"'{aa}' is not an amino-acid change such as V600E or p.Val600Glu")
            : null;
        var referenceBases = OptionalBases(p, "referenceBases");
        var alternateBases = OptionalBases(p, "alternateBases");

        // Gene, range and bracket queries take the same narrowing parameters.
        VariantQuery Narrowed(VariantQueryKind kind, string? assembly) => new()
        {
            Kind = kind, Assembly = assembly, VariantTypes = variantTypes, Alt = alternateBases, GeneId = geneId, AminoacidChange = aminoacid,
            MinLength = (int?)minLength, MaxLength = (int?)maxLength,
        };

        if (OptionalString(p, "genomicAlleleShortForm") is { } hgvs)
        {
            Only(p, "genomicAlleleShortForm", "assemblyId", "datasetIds");
            return HgvsQuery(hgvs, assembly);
        }

        var starts = Coordinates(p, "start", 0);
        var ends = Coordinates(p, "end", 1);
        if (starts is null)
        {
            if (ends is not null)
            {
                throw new BeaconRequestException("start", "end is given without start");
            }

            if (geneId is null)
            {
                if (aminoacid is not null)
                {
                    throw new BeaconRequestException("geneId", "an aminoacidChange query needs geneId");
                }

                throw new BeaconRequestException("referenceName",
                    "a g_variants query needs referenceName with start (sequence, range or bracket query), geneId, or genomicAlleleShortForm");
            }

            NotWith(p, "geneId", "referenceName", "referenceBases");
            return Narrowed(VariantQueryKind.Gene, assembly);
        }

        var (chromosome, impliedAssembly) = Reference(p);
        if (impliedAssembly is not null && assembly is not null && impliedAssembly != assembly)
        {
            throw new BeaconRequestException("referenceName", $"{OptionalString(p, "referenceName")} is a {impliedAssembly} sequence but assemblyId is {assembly}");
        }

        assembly ??= impliedAssembly;
        if (starts.Length == 2 || ends?.Length == 2)
        {
            if (starts.Length != 2 || ends is null || ends.Length != 2)
            {
                throw new BeaconRequestException(starts.Length == 2 ? "end" : "start", "a bracket query needs two start and two end values");
            }

            if (starts[1] < starts[0] || ends[1] < ends[0])
            {
                throw new BeaconRequestException(starts[1] < starts[0] ? "start" : "end", "bracket bounds must be given as [minimum, maximum]");
            }

            NotWith(p, "bracket queries", "referenceBases");
            return Narrowed(VariantQueryKind.Bracket, assembly) with
            {
                Chromosome = chromosome, Start = starts[0], End = starts[1], EndMin = ends[0], EndMax = ends[1],
            };
        }

        var start = starts[0];
        if (ends is not null)
        {
            var end = ends[0];
            if (end <= start)
            {
                throw new BeaconRequestException("end", $"end {end} must be greater than start {start} (0-based, half-open)");
            }

            NotWith(p, "range queries", "referenceBases");
            return Narrowed(VariantQueryKind.Range, assembly) with { Chromosome = chromosome, Start = start, End = end };
        }

        if (alternateBases is null)
        {
            throw new BeaconRequestException("alternateBases", "a sequence query needs alternateBases (or give end for a range query)");
        }

        NotWith(p, "sequence queries", "geneId", "aminoacidChange", "variantMinLength", "variantMaxLength");
        return SequenceQuery(assembly, chromosome, start, referenceBases, alternateBases, variantTypes);
    }

    private static VariantQuery SequenceQuery(string? assembly, string chromosome, long start, string? reference, string alternate, IReadOnlyList<string>? variantTypes)
    {
        if (start > int.MaxValue)
        {
            throw new BeaconRequestException("start", $"start {start} is beyond any chromosome");
        }

        if (reference is null || reference == "N")
        {
            // Without a (concrete) REF only a single-base change can be placed: match the ALT base at start.
            if (alternate.Length != 1)
            {
                throw new BeaconRequestException("referenceBases", "referenceBases is needed for a multi-base alternateBases");
            }

            return new VariantQuery
            {
                Kind = VariantQueryKind.Sequence, Assembly = assembly, Chromosome = chromosome, Start = start, AlleleEnd = start + 1,
                Alt = alternate == "N" ? null : alternate, VariantTypes = variantTypes ?? ["SNP"],
            };
        }

        var allele = Alleles.Normalise((int)start, reference, alternate)
            ?? throw new BeaconRequestException("alternateBases", "alternateBases equals referenceBases: that is no variant");
        return new VariantQuery
        {
            Kind = VariantQueryKind.Sequence,
            Assembly = assembly,
            Chromosome = chromosome,
            Start = allele.Start,
            AlleleEnd = allele.End,
            Ref = allele.Ref,
            Alt = allele.Alt,
            VariantTypes = variantTypes,
        };
    }

    private static VariantQuery HgvsQuery(string hgvs, string? assembly)
    {
        var match = Hgvs().Match(hgvs.Trim());
        if (!match.Success)
        {
            throw new BeaconRequestException("genomicAlleleShortForm",
                $"'{hgvs}' is not a genomic HGVS form this beacon reads (e.g. NC_000017.11:g.43045712G>A, g.100_102del, g.100_101insAT, g.100delinsAT)");
        }

        var (chromosome, implied) = ReferenceNames.Resolve(match.Groups["seq"].Value);
        if (ReferenceNames.LooksLikeAccession(match.Groups["seq"].Value) && implied is null && chromosome != "MT")
        {
            throw new BeaconRequestException("genomicAlleleShortForm", $"unknown RefSeq accession '{match.Groups["seq"].Value}'");
        }

        if (implied is not null && assembly is not null && implied != assembly)
        {
            throw new BeaconRequestException("genomicAlleleShortForm", $"{match.Groups["seq"].Value} is a {implied} sequence but assemblyId is {assembly}");
        }

        assembly ??= implied;
        // Positions are digit runs of any length: one beyond a long is out of range like one beyond a chromosome.
        var last = 0L;
        if (!long.TryParse(match.Groups["start"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || (match.Groups["end"].Success && !long.TryParse(match.Groups["end"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out last)))
        {
            throw new BeaconRequestException("genomicAlleleShortForm", $"'{hgvs}' has a position beyond any chromosome (at most {int.MaxValue})");
        }

        last = match.Groups["end"].Success ? last : first;
        if (first < 1 || last < first || last > int.MaxValue)
        {
            throw new BeaconRequestException("genomicAlleleShortForm", $"'{hgvs}' has positions out of order or out of range");
        }

        var change = match.Groups["change"].Value;
        var upper = change.ToUpperInvariant();
        if (upper.Contains('>', StringComparison.Ordinal))
        {
            var parts = upper.Split('>');
            if (match.Groups["end"].Success || parts[0].Length != 1 || parts[1].Length != 1)
            {
                throw new BeaconRequestException("genomicAlleleShortForm", "a substitution is written POSREF>ALT with single bases");
            }

            return SequenceQuery(assembly, chromosome, first - 1, parts[0], parts[1], null);
        }

        VariantQuery Allele(long start, long end, string? alt, string type) => new()
        {
            Kind = VariantQueryKind.GenomicAllele, Assembly = assembly, Chromosome = chromosome, Start = start, AlleleEnd = end, Alt = alt,
            VariantTypes = [type],
        };

        if (upper == "DEL")
        {
            return Allele(first - 1, last, "", "DEL");
        }

        if (upper.StartsWith("DELINS", StringComparison.Ordinal))
        {
            return Allele(first - 1, last, upper[6..], first == last && upper.Length == 7 ? "SNP" : upper.Length - 6 == last - first + 1 ? "MNP" : "INDEL");
        }

        if (upper.StartsWith("INS", StringComparison.Ordinal))
        {
            if (last != first + 1)
            {
                throw new BeaconRequestException("genomicAlleleShortForm", "an insertion is written between two adjacent positions, POS_POS+1insSEQ");
            }

            return Allele(first, first, upper[3..], "INS");
        }

        if (upper == "DUP")
        {
            // The duplicated bases are inserted after the last one; which bases they are needs the reference, so any insertion of that length matches.
            return new VariantQuery
            {
                Kind = VariantQueryKind.GenomicAllele, Assembly = assembly, Chromosome = chromosome, Start = last, AlleleEnd = last, VariantTypes = ["INS"],
                MinLength = (int)(last - first + 1), MaxLength = (int)(last - first + 1),
            };
        }

        throw new BeaconRequestException("genomicAlleleShortForm", $"'{hgvs}' describes no change");
    }

    private static (string Chromosome, string? Assembly) Reference(JsonObject p)
    {
        var name = OptionalString(p, "referenceName") ?? throw new BeaconRequestException("referenceName", "referenceName is required with start");
        if (name.Length == 0 || name.Length > 64)
        {
            throw new BeaconRequestException("referenceName", "referenceName must be a chromosome name such as 17, chr17 or NC_000017.11");
        }

        var resolved = ReferenceNames.Resolve(name);
        if (ReferenceNames.LooksLikeAccession(name) && resolved.Assembly is null && resolved.Chromosome != "MT")
        {
            throw new BeaconRequestException("referenceName", $"unknown RefSeq accession '{name}': this beacon knows the GRCh38 and GRCh37 chromosomes");
        }

        return resolved;
    }

    private static string? Assembly(JsonObject p)
    {
        if (OptionalString(p, "assemblyId") is not { } text)
        {
            return null;
        }

        return ReferenceNames.CanonicalAssembly(text)
            ?? throw new BeaconRequestException("assemblyId", $"unknown assemblyId '{text}': use one of {string.Join(", ", ReferenceNames.Assemblies)}");
    }

    private static string? OptionalString(JsonObject p, string name)
    {
        if (!p.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            throw new BeaconRequestException(name, $"{name} must be a string");
        }

        return text.Trim().Length > 0 ? text.Trim() : throw new BeaconRequestException(name, $"{name} must not be empty");
    }

    private static string? OptionalBases(JsonObject p, string name)
    {
        var text = OptionalString(p, name);
        if (text is null)
        {
            return null;
        }

        return Bases().IsMatch(text)
            ? text.ToUpperInvariant()
            : throw new BeaconRequestException(name, $"{name} '{text}' is not a sequence of bases (A, C, G, T, N and IUPAC codes)");
    }

    private static long? OptionalInteger(JsonObject p, string name, long minimum)
    {
        if (!p.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        var number = Integer(node, name);
        return number < minimum || number > int.MaxValue
            ? throw new BeaconRequestException(name, $"{name} must be between {minimum} and {int.MaxValue}")
            : number;
    }

    private static long[]? Coordinates(JsonObject p, string name, long minimum)
    {
        if (!p.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        long[] values = node is JsonArray array ? [.. array.Select(item => Integer(item, name))] : [Integer(node, name)];
        if (values.Length is < 1 or > 2)
        {
            throw new BeaconRequestException(name, $"{name} must hold one or two integers");
        }

        foreach (var value in values)
        {
            if (value < minimum || value > int.MaxValue)
            {
                throw new BeaconRequestException(name, value < minimum
                    ? $"{name} {value} is out of range: coordinates are 0-based and at least {minimum}"
                    : $"{name} {value} is out of range: coordinates are at most {int.MaxValue}");
            }
        }

        return values;
    }

    private static long Integer(JsonNode? node, string name)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<long>(out var number))
            {
                return number;
            }

            if (value.TryGetValue<JsonElement>(out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out number))
            {
                return number;
            }

            if (value.TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < 1e15)
            {
                return (long)real;
            }
        }

        throw new BeaconRequestException(name, $"{name} must be an integer");
    }

    /// <summary>start or end as a query string writes them: "100" or "100,200".</summary>
    private static JsonArray CoordinatesFromText(string name, string text) =>
        new([.. text.Split(',').Select(part => (JsonNode)ParseLong(name, part.Trim()))]);

    private static long ParseLong(string name, string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new BeaconRequestException(name, $"{name} must be an integer, not '{text}'");

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

    private static void Only(JsonObject p, string what, params string[] allowed)
    {
        foreach (var (key, _) in p)
        {
            if (key != what && !allowed.Contains(key))
            {
                throw new BeaconRequestException(key, $"'{key}' cannot be combined with {what}");
            }
        }
    }

    private static void NotWith(JsonObject p, string what, params string[] refused)
    {
        foreach (var key in refused)
        {
            if (p.ContainsKey(key))
            {
                throw new BeaconRequestException(key, $"'{key}' is not used by {what}");
            }
        }
    }
}
