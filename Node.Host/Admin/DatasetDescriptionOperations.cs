using System.Text.Json;
using GenomeNode.Htsget.Access;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.FairDataPoint;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Admin;

/// <summary>
/// What <c>dataset update</c> changes in a dataset's description: a whole metadata file (replacing what was stored),
/// then each field given on the command line (texts per language replace that language's text; lists replace the list).
/// </summary>
public sealed record DatasetUpdateArguments(
    string Id,
    string? MetadataJson = null,
    string? MetadataFileName = null,
    IReadOnlyList<string>? Title = null,
    IReadOnlyList<string>? Description = null,
    IReadOnlyList<string>? Keyword = null,
    IReadOnlyList<string>? Creator = null,
    string? Publisher = null,
    string? PublisherEmail = null,
    string? ContactName = null,
    string? ContactEmail = null,
    string? ContactUrl = null,
    string? AccessRights = null,
    IReadOnlyList<string>? Legislation = null,
    IReadOnlyList<string>? HealthCategory = null,
    IReadOnlyList<string>? Theme = null,
    IReadOnlyList<string>? Language = null,
    IReadOnlyList<string>? Format = null,
    string? HdabName = null,
    string? HdabEmail = null,
    string? HdabUrl = null,
    long? Records = null,
    long? Individuals = null,
    string? AccessUrl = null,
    bool RemoveDescription = false,
    string? Streaming = null)
{
    /// <summary>True when no description field (nor a metadata file, nor a removal) is given: only settings change.</summary>
    public bool ChangesNoDescription =>
        MetadataJson is null && None(Title) && None(Description) && None(Keyword) && None(Creator) && Publisher is null
        && PublisherEmail is null && ContactName is null && ContactEmail is null && ContactUrl is null && AccessRights is null
        && None(Legislation) && None(HealthCategory) && None(Theme) && None(Language) && None(Format) && HdabName is null
        && HdabEmail is null && HdabUrl is null && Records is null && Individuals is null && AccessUrl is null && !RemoveDescription;

    // The command line gives a repeatable option it was not given as an empty list.
    private static bool None(IReadOnlyList<string>? values) => values is null || values.Count == 0;
}

/// <summary><c>dataset update</c>: the dataset's download policy (docs/htsget.md) and its description for the FAIR Data Point (docs/fdp.md).</summary>
internal static class DatasetDescriptionOperations
{
    public const string Update = "dataset.update";

    public static async Task<OperationResult> UpdateAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<DatasetUpdateArguments>(arguments);
        var catalog = services.GetRequiredService<DatasetCatalog>();
        if (await catalog.FindAsync(request.Id, cancellationToken) is not { } dataset)
        {
            return OperationResult.Fail($"no dataset has the id '{request.Id}'");
        }

        StreamingPolicy? streaming = null;
        if (request.Streaming is not null)
        {
            if (!StreamingPolicies.TryParse(request.Streaming, out var parsed))
            {
                return OperationResult.Fail($"unknown streaming policy '{request.Streaming}': use one of {string.Join(", ", StreamingPolicies.Names)}");
            }

            streaming = parsed;
        }
        else if (request.ChangesNoDescription)
        {
            return OperationResult.Fail("nothing to update: give --streaming, description fields or --metadata");
        }

        // The description first: a refused one changes nothing, the policy included.
        var described = request.ChangesNoDescription ? null : await DescribeAsync(request, dataset, catalog, services, cancellationToken);
        if (described is { ExitCode: not 0 } || streaming is not { } policy)
        {
            return described!;
        }

        try
        {
            // One transaction that marks the dataset modified: a serving node reads the policy again at once.
            catalog.WriteData(dataset.Id, () =>
            {
                services.GetRequiredService<DatasetStreaming>().SetInTransaction(dataset.Id, policy);
                return policy;
            });
        }
        catch (DatasetCatalogException ex)
        {
            return OperationResult.Fail(ex.Message);
        }

        var outcome = $"dataset '{dataset.Id}' streaming: {policy.Name()}";
        return OperationResult.Ok(described is null ? outcome : $"{described.Output}\n{outcome}");
    }

    private static async Task<OperationResult> DescribeAsync(
        DatasetUpdateArguments request, Dataset dataset, DatasetCatalog catalog, IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            if (request.RemoveDescription)
            {
                return await catalog.ForgetDescriptionAsync(dataset.Id, cancellationToken)
                    ? OperationResult.Ok($"removed the description of dataset '{dataset.Id}': the FAIR Data Point no longer lists it")
                    : OperationResult.Ok($"dataset '{dataset.Id}' had no description");
            }

            if (!DatasetMetadataRules.IsListableId(dataset.Id))
            {
                return OperationResult.Fail($"not described: {DatasetMetadataRules.IdRefusal(dataset.Id)}");
            }

            DatasetMetadata merged;
            try
            {
                merged = Merge(await catalog.FindDescriptionAsync(dataset.Id, cancellationToken) ?? new DatasetMetadata(), request);
            }
            catch (JsonException ex)
            {
                return OperationResult.Fail($"{request.MetadataFileName ?? "metadata file"}: {ex.Message}");
            }
            catch (FormatException ex)
            {
                return OperationResult.Fail(ex.Message);
            }

            var problems = new List<string>();
            var metadata = DatasetMetadataRules.Normalize(merged, dataset.Tier, problems);
            if (problems.Count > 0)
            {
                return OperationResult.Fail($"dataset '{dataset.Id}' not described: {string.Join("; ", problems)}");
            }

            await catalog.DescribeAsync(dataset.Id, metadata, cancellationToken);
            return OperationResult.Ok(Outcome(dataset, metadata, services.GetRequiredService<DatasetVisibility>(),
                services.GetRequiredService<IOptions<FairDataPointOptions>>().Value));
        }
        catch (DatasetCatalogException ex)
        {
            return OperationResult.Fail(ex.Message);
        }
    }

    private static string Outcome(Dataset dataset, DatasetMetadata metadata, DatasetVisibility visibility, FairDataPointOptions fdp)
    {
        var lines = new List<string>();
        if (!fdp.Enabled)
        {
            lines.Add($"described dataset '{dataset.Id}'; the FAIR Data Point is off (FairDataPoint:Enabled is false)");
        }
        else if (visibility.IsVisibleToAnonymous(dataset))
        {
            lines.Add($"described dataset '{dataset.Id}': the FAIR Data Point lists it ({fdp.Path}/dataset/{dataset.Id})");
        }
        else
        {
            lines.Add($"described dataset '{dataset.Id}', but the FAIR Data Point does not list it: its settings hide it from anonymous callers (a Beacon granularity of none for its tier)");
        }

        if (dataset.VisaValue is { } visaValue && !string.Equals(visaValue, dataset.Id, StringComparison.Ordinal))
        {
            lines.Add($"note: its visa value is '{visaValue}'; the GDI portal expects the catalogue identifier '{dataset.Id}' to be the ControlledAccessGrants value");
        }

        var missing = new List<string>();
        if (metadata.Languages is null)
        {
            missing.Add("--language");
        }

        if (metadata.Formats is null)
        {
            missing.Add("--format");
        }

        if (metadata.Hdab is null)
        {
            missing.Add("--hdab-name");
        }

        if (metadata.NumberOfRecords is null)
        {
            missing.Add("--records");
        }

        if (missing.Count > 0)
        {
            lines.Add($"note: the GDI portal also shows a dataset's languages, formats, health data access body and number of records; not given: {string.Join(", ", missing)}");
        }

        return string.Join('\n', lines);
    }

    private static DatasetMetadata Merge(DatasetMetadata stored, DatasetUpdateArguments request)
    {
        var metadata = request.MetadataJson is { } json
            ? JsonSerializer.Deserialize<DatasetMetadata>(json, DatasetMetadata.Json) ?? throw new JsonException("the file holds null, not a JSON object")
            : stored;
        return metadata with
        {
            Title = Texts(metadata.Title, request.Title, "--title"),
            Description = Texts(metadata.Description, request.Description, "--description"),
            Keywords = Keywords(metadata.Keywords, request.Keyword),
            Creators = NonEmpty(request.Creator) ?? metadata.Creators,
            Publisher = request.Publisher is null && request.PublisherEmail is null ? metadata.Publisher
                : new MetadataAgent(request.Publisher ?? metadata.Publisher?.Name, request.PublisherEmail ?? metadata.Publisher?.Email, metadata.Publisher?.Url),
            ContactPoint = request.ContactName is null && request.ContactEmail is null && request.ContactUrl is null ? metadata.ContactPoint
                : new MetadataAgent(request.ContactName ?? metadata.ContactPoint?.Name, request.ContactEmail ?? metadata.ContactPoint?.Email,
                    request.ContactUrl ?? metadata.ContactPoint?.Url),
            AccessRights = request.AccessRights ?? metadata.AccessRights,
            ApplicableLegislation = NonEmpty(request.Legislation) ?? metadata.ApplicableLegislation,
            HealthCategories = NonEmpty(request.HealthCategory) ?? metadata.HealthCategories,
            Themes = NonEmpty(request.Theme) ?? metadata.Themes,
            Languages = NonEmpty(request.Language) ?? metadata.Languages,
            Formats = NonEmpty(request.Format) ?? metadata.Formats,
            Hdab = request.HdabName is null && request.HdabEmail is null && request.HdabUrl is null ? metadata.Hdab
                : new MetadataAgent(request.HdabName ?? metadata.Hdab?.Name, request.HdabEmail ?? metadata.Hdab?.Email, request.HdabUrl ?? metadata.Hdab?.Url),
            NumberOfRecords = request.Records ?? metadata.NumberOfRecords,
            NumberOfUniqueIndividuals = request.Individuals ?? metadata.NumberOfUniqueIndividuals,
            AccessUrl = request.AccessUrl ?? metadata.AccessUrl,
        };
    }

    private static IReadOnlyList<string>? NonEmpty(IReadOnlyList<string>? values) => values is { Count: > 0 } ? values : null;

    private static IReadOnlyDictionary<string, string>? Texts(IReadOnlyDictionary<string, string>? texts, IReadOnlyList<string>? given, string option)
    {
        if (given is not { Count: > 0 })
        {
            return texts;
        }

        var merged = new Dictionary<string, string>(texts ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        foreach (var (language, text) in given.Select(value => Split(value, option)))
        {
            merged[language] = text;
        }

        return merged;
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>>? Keywords(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? keywords, IReadOnlyList<string>? given)
    {
        if (given is not { Count: > 0 })
        {
            return keywords;
        }

        // Keywords given on the command line replace all keywords: the languages they name, and no others.
        return given.Select(value => Split(value, "--keyword"))
            .GroupBy(k => k.Language, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(k => k.Text)], StringComparer.OrdinalIgnoreCase);
    }

    private static (string Language, string Text) Split(string value, string option)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? (value[..equals].Trim(), value[(equals + 1)..])
            : throw new FormatException($"{option} '{value}' needs a language: LANG=TEXT, e.g. en=Finnish genomes");
    }
}
