using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenomeNode.Passport.Datasets;

/// <summary>
/// What an operator says about a dataset for the FAIR Data Point (HealthDCAT-AP as the GDI metadata model requires):
/// texts per language, the agents, and terms of controlled vocabularies (a short code such as <c>EHDS</c> or
/// <c>genomic</c>, or an IRI). The same shape is the metadata file of <c>dataset update --metadata</c> and what the
/// catalog stores, after <see cref="DatasetMetadataRules.Normalize"/> has turned codes into IRIs.
/// </summary>
public sealed record DatasetMetadata
{
    /// <summary>Title per language tag (<c>{"en": "...", "fi": "..."}</c>).</summary>
    public IReadOnlyDictionary<string, string>? Title { get; init; }

    public IReadOnlyDictionary<string, string>? Description { get; init; }

    /// <summary>Keywords per language tag.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Keywords { get; init; }

    /// <summary>Names of the people or organisations that produced the dataset.</summary>
    public IReadOnlyList<string>? Creators { get; init; }

    /// <summary>Who makes the dataset available; when absent, the node's configured publisher.</summary>
    public MetadataAgent? Publisher { get; init; }

    /// <summary>Whom to write to about the dataset: a name and an e-mail address (required), a web page.</summary>
    public MetadataAgent? ContactPoint { get; init; }

    /// <summary><c>public</c>, <c>restricted</c> or <c>non-public</c>; when absent, from the access tier.</summary>
    public string? AccessRights { get; init; }

    /// <summary><c>EHDS</c>, <c>GDPR</c> or ELI IRIs; when absent, the EHDS.</summary>
    public IReadOnlyList<string>? ApplicableLegislation { get; init; }

    /// <summary><c>genetic</c>, <c>epigenomic</c> or <c>genomic</c> (human ... data).</summary>
    public IReadOnlyList<string>? HealthCategories { get; init; }

    /// <summary>EU data themes (<c>HEAL</c>, ...) or IRIs; when absent, HEAL.</summary>
    public IReadOnlyList<string>? Themes { get; init; }

    /// <summary>Languages of the data: ISO 639-1 (<c>en</c>), EU codes (<c>ENG</c>) or IRIs.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>File formats the data is distributed in: <c>VCF</c>, <c>BCF</c>, <c>BAM</c>, <c>CRAM</c>, <c>SAM</c>, <c>FASTQ</c> or IRIs.</summary>
    public IReadOnlyList<string>? Formats { get; init; }

    /// <summary>The health data access body that grants access to the data in the member state.</summary>
    public MetadataAgent? Hdab { get; init; }

    public long? NumberOfRecords { get; init; }

    public long? NumberOfUniqueIndividuals { get; init; }

    /// <summary>Where to learn how to get the data (each distribution's access URL); when absent, the node's Beacon entry of the dataset.</summary>
    public string? AccessUrl { get; init; }

    /// <summary>How the file is read and the metadata stored: camelCase members, unknown members refused (a typo is an error).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowDuplicateProperties = false,
    };
}

/// <summary>An organisation or person: a name, an e-mail address, a web page.</summary>
public sealed record MetadataAgent(string? Name, string? Email = null, string? Url = null);
