using System.Text.Json.Serialization;

namespace GenomeNode.Beacon.Requests;

/// <summary>
/// The g_variants request parameters as the request gave them, each read as its JSON type (text as given; start and
/// end as lists of integers), before they are interpreted as a query. The echo in meta.receivedRequestSummary
/// serialises them as they are (<c>requestParameters.g_variant</c>; the dataset ids under <c>datasets</c>).
/// </summary>
public sealed record VariantParameters
{
    public static VariantParameters None { get; } = new();

    public string? ReferenceName { get; init; }
    public IReadOnlyList<long>? Start { get; init; }
    public IReadOnlyList<long>? End { get; init; }
    public string? ReferenceBases { get; init; }
    public string? AlternateBases { get; init; }
    public string? VariantType { get; init; }
    public long? VariantMinLength { get; init; }
    public long? VariantMaxLength { get; init; }
    public string? AssemblyId { get; init; }
    public string? GeneId { get; init; }
    public string? AminoacidChange { get; init; }
    public string? GenomicAlleleShortForm { get; init; }

    [JsonIgnore]
    public IReadOnlyList<string>? DatasetIds { get; init; }

    /// <summary>
    /// Every parameter the request named, in the order it first named them, those given as null included: a parameter
    /// that does not apply to the query is refused whatever its value (and mateName, which this beacon does not read).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> Named { get; init; } = [];

    /// <summary>True when a parameter other than the dataset ids has a value.</summary>
    [JsonIgnore]
    public bool HasVariantParameters =>
        ReferenceName is not null || Start is not null || End is not null || ReferenceBases is not null || AlternateBases is not null
        || VariantType is not null || VariantMinLength is not null || VariantMaxLength is not null || AssemblyId is not null || GeneId is not null
        || AminoacidChange is not null || GenomicAlleleShortForm is not null;

    public bool IsNamed(string name) => Named.Contains(name, StringComparer.Ordinal);
}
