using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GenomeNode.Beacon.Requests;

namespace GenomeNode.Beacon.Api;

public sealed record PaginationEcho(long Skip, long Limit);

/// <summary>
/// receivedRequestSummary.requestParameters: the parameters as read, in the nested form (<c>{"g_variant": {...}}</c>),
/// the only one the v2.1.1 requestParameters schema accepts.
/// </summary>
public sealed record EchoedParameters(
    [property: JsonPropertyName("g_variant")] VariantParameters? GVariant,
    [property: JsonPropertyName("datasets")] EchoedDatasets? Datasets);

public sealed record EchoedDatasets(IReadOnlyList<string> DatasetIds);

/// <summary>meta.receivedRequestSummary: the request as the beacon understood it.</summary>
public sealed record ReceivedRequestSummary(
    string ApiVersion,
    IReadOnlyList<SchemaReference> RequestedSchemas,
    PaginationEcho Pagination,
    string RequestedGranularity,
    string? IncludeResultsetResponses,
    EchoedParameters? RequestParameters,
    IReadOnlyList<string>? Filters,
    bool? TestMode);

/// <summary>meta of a query response (returnedGranularity and receivedRequestSummary set) or of an informational one.</summary>
public sealed record ResponseMeta(
    string BeaconId,
    string ApiVersion,
    IReadOnlyList<SchemaReference> ReturnedSchemas,
    string? ReturnedGranularity = null,
    ReceivedRequestSummary? ReceivedRequestSummary = null,
    bool? TestMode = null);

public sealed record BeaconError(int ErrorCode, string ErrorMessage);

public sealed record ErrorResponse(ResponseMeta Meta, BeaconError Error);

/// <param name="CountPrecision">Beacon v2.2's exact, imprecise or rounded, given with a count that privacy rules may have changed</param>
public sealed record ResponseSummary(bool Exists, long? NumTotalResults = null, string? CountPrecision = null);

/// <summary>
/// A response's <c>info</c>: what privacy rules did to the answer, said in every answer they apply to, and warnings
/// (filters the beacon could not apply, named).
/// </summary>
public sealed record ResponseInfo(PrivacyInfo? Privacy, IReadOnlyList<string>? Warnings = null);

/// <param name="Rules">per queried dataset, the rules that apply to this caller (whether or not they changed this answer)</param>
/// <param name="NotQueried">datasets the query's shape may not be run on, each with why</param>
public sealed record PrivacyInfo(IReadOnlyList<DatasetRules>? Rules, IReadOnlyList<DatasetNotQueried>? NotQueried);

public sealed record DatasetRules(string DatasetId, IReadOnlyList<string> Rules);

public sealed record DatasetNotQueried(string DatasetId, string Reason);

public sealed record BooleanResponse(ResponseMeta Meta, ResponseSummary ResponseSummary, ResponseInfo? Info = null);

public sealed record ResultSet(
    string Id, string SetType, bool Exists, long ResultsCount, IReadOnlyList<GenomicVariation> Results, string? CountPrecision = null);

public sealed record ResultSetsBody([property: JsonPropertyName("resultSets")] IReadOnlyList<ResultSet> Sets);

public sealed record ResultSetsResponse(ResponseMeta Meta, ResponseSummary ResponseSummary, ResultSetsBody Response, ResponseInfo? Info = null);

/// <summary>A result set of another entry type than g_variants: its records as the model's JSON documents.</summary>
public sealed record EntryResultSet(
    string Id, string SetType, bool Exists, long ResultsCount, IReadOnlyList<JsonElement> Results, string? CountPrecision = null);

public sealed record EntryResultSetsBody([property: JsonPropertyName("resultSets")] IReadOnlyList<EntryResultSet> Sets);

public sealed record EntryResultSetsResponse(ResponseMeta Meta, ResponseSummary ResponseSummary, EntryResultSetsBody Response, ResponseInfo? Info = null);

/// <summary>beaconCollectionsResponse's body: datasets or cohorts as documents.</summary>
public sealed record CollectionsBody(IReadOnlyList<JsonElement> Collections);

public sealed record CollectionsResponse(ResponseMeta Meta, ResponseSummary ResponseSummary, CollectionsBody Response, ResponseInfo? Info = null);

// ----- genomicVariations documents -----

public sealed record OntologyTerm(string Id, string? Label = null);

public sealed record VrsNumber([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("value")] long Value);

public sealed record VrsInterval(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("start")] VrsNumber Start,
    [property: JsonPropertyName("end")] VrsNumber End);

public sealed record VrsLocation(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("sequence_id")] string SequenceId,
    [property: JsonPropertyName("interval")] VrsInterval Interval);

public sealed record VrsState([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("sequence")] string Sequence);

/// <summary>A VRS 1.3 Allele, or (for symbolic alleles, State null) Beacon's LegacyVariation.</summary>
public sealed record Variation(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("location")] VrsLocation Location,
    [property: JsonPropertyName("state")] VrsState? State,
    [property: JsonPropertyName("variantType")] string? VariantType = null,
    [property: JsonPropertyName("referenceBases")] string? ReferenceBases = null,
    [property: JsonPropertyName("alternateBases")] string? AlternateBases = null);

public sealed record Identifiers(
    string? GenomicHGVSId,
    IReadOnlyList<string>? TranscriptHGVSIds,
    IReadOnlyList<string>? ProteinHGVSIds);

public sealed record MolecularAttributes(
    IReadOnlyList<string>? GeneIds,
    IReadOnlyList<OntologyTerm>? MolecularEffects,
    IReadOnlyList<string>? AminoacidChanges);

/// <summary>
/// A population frequency; the counts beyond Beacon 2.1's population/alleleFrequency follow Beacon 2.2's names. The
/// zygosity counts are null where the counts come from a sites-only VCF's INFO rather than from genotypes.
/// </summary>
public sealed record PopulationFrequency(
    string Population,
    double AlleleFrequency,
    long AlleleCount,
    long AlleleNumber,
    long? AlleleCountHomozygous,
    long? AlleleCountHeterozygous,
    long? AlleleCountHemizygous);

public sealed record FrequencyInPopulations(string Source, string SourceReference, IReadOnlyList<PopulationFrequency> Frequencies, string? Version = null);

public sealed record CaseLevelVariant(string IndividualId, string BiosampleId, OntologyTerm Zygosity);

public sealed record GenomicVariation(
    string VariantInternalId,
    Variation Variation,
    Identifiers? Identifiers,
    MolecularAttributes? MolecularAttributes,
    IReadOnlyList<FrequencyInPopulations>? FrequencyInPopulations,
    [property: JsonConverter(typeof(CaseLevelDataConverter))] IReadOnlyList<CaseLevelVariant>? CaseLevelData);

// ----- informational endpoints -----

public sealed record InfoOrganization(
    string Id, string Name, string? Description, string? Address, string? WelcomeUrl, string? ContactUrl, string? LogoUrl);

public sealed record InfoResults(
    string Id, string Name, string ApiVersion, string Environment, InfoOrganization Organization, string? Description, string Version,
    string? WelcomeUrl, string? AlternativeUrl, string? CreateDateTime, string? UpdateDateTime);

public sealed record InfoResponse(ResponseMeta Meta, InfoResults Response);

public sealed record BeaconServiceType(string Group, string Artifact, string Version);

public sealed record BeaconServiceOrganization(string Name, string Url);

public sealed record BeaconServiceInfo(
    string Id, string Name, BeaconServiceType Type, string? Description, BeaconServiceOrganization Organization, string? ContactUrl,
    string? DocumentationUrl, string Environment, string Version);

public sealed record SchemaDefinitionReference(string Id, string Name, string ReferenceToSchemaDefinition, string SchemaVersion);

public sealed record EntryTypeDefinition(
    string Id, string Name, string Description, OntologyTerm OntologyTermForThisType, string PartOfSpecification,
    SchemaDefinitionReference DefaultSchema, bool NonFilteredQueriesAllowed);

public sealed record MaturityAttributes(string ProductionStatus);

public sealed record SecurityAttributes(string DefaultGranularity, IReadOnlyList<string> SecurityLevels);

public sealed record ConfigurationBody(
    [property: JsonPropertyName("$schema")] string Schema,
    MaturityAttributes MaturityAttributes,
    SecurityAttributes SecurityAttributes,
    IReadOnlyDictionary<string, EntryTypeDefinition> EntryTypes);

public sealed record ConfigurationResponse(ResponseMeta Meta, ConfigurationBody Response);

public sealed record EntryTypesBody(IReadOnlyDictionary<string, EntryTypeDefinition> EntryTypes);

public sealed record EntryTypesResponse(ResponseMeta Meta, EntryTypesBody Response);

public sealed record MapEndpoint(
    string EntryType, string RootUrl, string SingleEntryUrl, string? OpenAPIEndpointsDefinition,
    IReadOnlyDictionary<string, RelatedEndpoint>? Endpoints = null);

/// <summary>A cross-entry endpoint of an entry type's map entry: the related type and the URL with <c>{id}</c>.</summary>
public sealed record RelatedEndpoint(string ReturnedEntryType, string Url);

public sealed record MapBody(
    [property: JsonPropertyName("$schema")] string Schema,
    IReadOnlyDictionary<string, MapEndpoint> EndpointSets);

public sealed record MapResponse(ResponseMeta Meta, MapBody Response);

public sealed record FilteringTerm(string Type, string Id, string? Label, IReadOnlyList<string>? Scopes);

public sealed record FilteringResource(string Id, string? Name, string? Url, string? Version, string? NameSpacePrefix, string? IriPrefix);

public sealed record FilteringTermsBody(IReadOnlyList<FilteringTerm> FilteringTerms, IReadOnlyList<FilteringResource> Resources);

public sealed record FilteringTermsResponse(ResponseMeta Meta, FilteringTermsBody Response);

/// <summary>Source-generated serialisation of every Beacon response (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(BooleanResponse))]
[JsonSerializable(typeof(ResultSetsResponse))]
[JsonSerializable(typeof(InfoResponse))]
[JsonSerializable(typeof(BeaconServiceInfo))]
[JsonSerializable(typeof(ConfigurationResponse))]
[JsonSerializable(typeof(EntryTypesResponse))]
[JsonSerializable(typeof(MapResponse))]
[JsonSerializable(typeof(FilteringTermsResponse))]
[JsonSerializable(typeof(EntryResultSetsResponse))]
[JsonSerializable(typeof(CollectionsResponse))]
[JsonSerializable(typeof(GenomicVariation))]
[JsonSerializable(typeof(CaseLevelVariant))]
[JsonSerializable(typeof(SampleOnlyIndividual))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class BeaconJsonContext : JsonSerializerContext;
