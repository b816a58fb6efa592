using GenomeNode.Beacon.Filters;

namespace GenomeNode.Beacon.Requests;

/// <summary>A g_variants request, read and validated: the query in store terms and how to answer it.</summary>
/// <param name="Query">what to look for</param>
/// <param name="Parameters">the parameters as given, which the query was made from (echoed)</param>
/// <param name="Limit">the page size, the beacon's maximum when the request asked for 0</param>
/// <param name="TestMode">as the request said, null when it did not (answered as false)</param>
public sealed record GVariantRequest(
    VariantQuery Query,
    VariantParameters Parameters,
    Granularity RequestedGranularity,
    ResultSetResponses IncludeResultsetResponses,
    long Skip,
    long Limit,
    bool? TestMode,
    RequestMeta Meta)
{
    /// <summary>The request's filters (combined with AND), empty when none.</summary>
    public IReadOnlyList<Filter> Filters { get; init; } = [];

    /// <summary>True when the request asks to be answered from synthetic (demo) data only.</summary>
    public bool InTestMode => TestMode == true;

    /// <summary>The datasets the request names, null for every dataset the caller may query.</summary>
    public IReadOnlyList<string>? DatasetIds => Parameters.DatasetIds;

    /// <summary>What meta.receivedRequestSummary says of this request.</summary>
    public ReceivedRequest Received => new(Meta, RequestedGranularity, IncludeResultsetResponses, Skip, Limit, TestMode, Parameters) { Filters = Filters };

    /// <summary>The same request as the other entry types read it.</summary>
    public EntryRequest AsEntryRequest() =>
        new(Query, Parameters, Filters, RequestedGranularity, IncludeResultsetResponses, Skip, Limit, TestMode, Meta);
}

/// <summary>
/// A request to an entry type's endpoint other than g_variants (individuals, biosamples, runs, analyses, cohorts,
/// datasets, and the cross-entry endpoints): filters and controls, and a variant query when variant parameters are given.
/// </summary>
public sealed record EntryRequest(
    VariantQuery? Query,
    VariantParameters Parameters,
    IReadOnlyList<Filter> Filters,
    Granularity RequestedGranularity,
    ResultSetResponses IncludeResultsetResponses,
    long Skip,
    long Limit,
    bool? TestMode,
    RequestMeta Meta)
{
    public bool InTestMode => TestMode == true;

    public IReadOnlyList<string>? DatasetIds => Parameters.DatasetIds;

    public ReceivedRequest Received => new(Meta, RequestedGranularity, IncludeResultsetResponses, Skip, Limit, TestMode, Parameters) { Filters = Filters };
}

/// <summary>Which result sets a record-granularity answer holds (<c>includeResultsetResponses</c>).</summary>
public enum ResultSetResponses
{
    Hit,
    Miss,
    All,
    None,
}

/// <summary>A schema by entity type and id, as <c>meta.requestedSchemas</c> and <c>returnedSchemas</c> name them.</summary>
public sealed record SchemaReference(string EntityType, string Schema);

/// <summary>The request's <c>meta</c>: the API version it expects (null when it names none) and the schemas it asks for.</summary>
public sealed record RequestMeta(string? ApiVersion, IReadOnlyList<SchemaReference> RequestedSchemas)
{
    public static RequestMeta None { get; } = new(null, []);
}

/// <summary>The beacon's settings a request is read against.</summary>
/// <param name="DefaultGranularity">the granularity of a request that names none</param>
/// <param name="MaxLimit">the largest page (<c>limit</c>) accepted</param>
public readonly record struct RequestSettings(Granularity DefaultGranularity, long MaxLimit);

/// <summary>
/// What the beacon understood of a request, as far as it got in reading it: each control is null (or its default)
/// until it was read and found valid. <c>meta.receivedRequestSummary</c> of an answer or a refusal says this.
/// </summary>
public sealed record ReceivedRequest(
    RequestMeta Meta,
    Granularity? RequestedGranularity,
    ResultSetResponses? IncludeResultsetResponses,
    long Skip,
    long Limit,
    bool? TestMode,
    VariantParameters Parameters)
{
    /// <summary>The filters read, echoed by their ids.</summary>
    public IReadOnlyList<Filter> Filters { get; init; } = [];

    /// <summary>A request of which nothing was read (refused before reading, e.g. for its token).</summary>
    public static ReceivedRequest Nothing { get; } =
        new(RequestMeta.None, null, null, 0, GVariantRequestParser.DefaultLimit, null, VariantParameters.None);
}

/// <summary>A request the beacon refuses (400): the parameter at fault and why, and what was understood of it.</summary>
public sealed class BeaconRequestException : Exception
{
    public BeaconRequestException(string parameter, string message)
        : base(message)
    {
        Parameter = parameter;
    }

    public BeaconRequestException(string parameter, string message, ReceivedRequest received)
        : this(parameter, message)
    {
        Received = received;
    }

    public string Parameter { get; }

    /// <summary>What was understood of the request before it was refused; null while it is being read.</summary>
    public ReceivedRequest? Received { get; }
}
