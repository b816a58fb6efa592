using System.Text.RegularExpressions;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Rdf;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.FairDataPoint;

/// <summary>
/// The node's FAIR Data Point (section <c>FairDataPoint</c>): where it is served and what the node says of itself and
/// of its catalogue. The host fills in what is not set from the node's own settings (<c>Node:Name</c>,
/// <c>Node:Description</c>, <c>Node:Organization</c>).
/// </summary>
public sealed class FairDataPointOptions
{
    public const string Section = "FairDataPoint";

    /// <summary>Serve the FAIR Data Point at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The path of the FDP's root (its catalogue, datasets and distributions are below it).</summary>
    public string Path { get; set; } = "/fdp";

    /// <summary>The catalogue's id, the last segment of its IRI (<c>/fdp/catalog/ID</c>).</summary>
    public string CatalogId { get; set; } = "genomes";

    /// <summary>The FDP's and catalogue's title per language tag (<c>FairDataPoint:Title:en</c>).</summary>
    public Dictionary<string, string> Title { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The catalogue's description per language tag.</summary>
    public Dictionary<string, string> Description { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Who publishes the catalogue, and every dataset that names no publisher of its own.</summary>
    public FairDataPointAgent Publisher { get; set; } = new();

    /// <summary>
    /// Where a distribution's access URL points when its dataset names none: <c>{id}</c> is the dataset id; a path is
    /// taken from the node's public URL. By default the dataset's Beacon entry.
    /// </summary>
    public string AccessUrlTemplate { get; set; } = "/api/datasets/{id}";
}

/// <summary>An organisation: its name, an e-mail address for its contact point, its web page.</summary>
public sealed class FairDataPointAgent
{
    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Url { get; set; }
}

/// <summary>Checks <see cref="FairDataPointOptions"/>; every message names the key at fault.</summary>
public sealed partial class FairDataPointOptionsValidator : IValidateOptions<FairDataPointOptions>
{
    public ValidateOptionsResult Validate(string? name, FairDataPointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!PathPattern().IsMatch(options.Path))
        {
            failures.Add($"{FairDataPointOptions.Section}:Path must be a path such as /fdp: segments of letters, digits, '.', '_', '~' and '-' (got '{options.Path}')");
        }

        if (!SegmentPattern().IsMatch(options.CatalogId))
        {
            failures.Add($"{FairDataPointOptions.Section}:CatalogId must be letters, digits, '.', '_' and '-' (got '{options.CatalogId}')");
        }

        // Empty is allowed (the host fills these from Node:*; a composition without it gets the documents' fallbacks).
        Texts("Title", options.Title, failures);
        Texts("Description", options.Description, failures);

        var problems = new List<string>();
        if (options.Publisher.Email is { Length: > 0 } email && DatasetMetadataRules.Email("publisher", email, problems) is null)
        {
            failures.Add($"{FairDataPointOptions.Section}:Publisher:Email must be an e-mail address (got '{email}')");
        }

        if (options.Publisher.Url is { Length: > 0 } url && !IsWebUrl(url))
        {
            failures.Add($"{FairDataPointOptions.Section}:Publisher:Url must be an absolute http or https URL (got '{url}')");
        }

        if (!options.AccessUrlTemplate.Contains("{id}", StringComparison.Ordinal)
            || !(options.AccessUrlTemplate.StartsWith('/') || IsWebUrl(options.AccessUrlTemplate.Replace("{id}", "x", StringComparison.Ordinal))))
        {
            failures.Add($"{FairDataPointOptions.Section}:AccessUrlTemplate must be a path or an http(s) URL holding {{id}} (got '{options.AccessUrlTemplate}')");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Texts(string key, Dictionary<string, string> texts, List<string> failures)
    {
        foreach (var (language, text) in texts)
        {
            if (!RdfLiteral.IsLanguageTag(language) || string.IsNullOrWhiteSpace(text) || !RdfText.IsWellFormed(text))
            {
                failures.Add($"{FairDataPointOptions.Section}:{key}:{language} must be a non-empty text under a language tag such as en");
            }
        }
    }

    private static bool IsWebUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && RdfIri.Problem(value) is null;

    [GeneratedRegex("^(/[A-Za-z0-9._~-]+)+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentPattern();
}
