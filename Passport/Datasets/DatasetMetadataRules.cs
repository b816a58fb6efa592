using System.Text.RegularExpressions;
using GenomeNode.Passport.Rdf;

namespace GenomeNode.Passport.Datasets;

/// <summary>
/// The GDI metadata model's rules for a dataset description, as plain functions: what is mandatory, the controlled
/// vocabularies (codes turned into the IRIs the SHACL shapes expect), and the identifier pattern a listed dataset's
/// id must follow.
/// </summary>
public static partial class DatasetMetadataRules
{
    public const int MaxTitleLength = 512;
    public const int MaxDescriptionLength = 20_000;
    public const int MaxKeywordLength = 128;
    public const int MaxNameLength = 256;
    public const int MaxIriLength = 2_000;

    public const string AccessRightNamespace = "http://publications.europa.eu/resource/authority/access-right/";
    public const string DataThemeNamespace = "http://publications.europa.eu/resource/authority/data-theme/";
    public const string LanguageNamespace = "http://publications.europa.eu/resource/authority/language/";
    public const string GdiNamespace = "http://data.gdi.eu/core/p2/";
    public const string Ehds = "http://data.europa.eu/eli/reg/2025/327/oj";
    public const string Gdpr = "http://data.europa.eu/eli/reg/2016/679/oj";

    /// <summary>The pattern of the GDI metadata model's <c>dct:identifier</c> (Dataset shape): GDI-CC-ORG-NNN.</summary>
    public const string IdentifierPattern = "^(GOE|GDI)-[A-Z]{2}-[A-Z]+-[0-9]+$";

    private static readonly Dictionary<string, string> AccessRights = new(StringComparer.OrdinalIgnoreCase)
    {
        ["public"] = AccessRightNamespace + "PUBLIC",
        ["restricted"] = AccessRightNamespace + "RESTRICTED",
        ["non-public"] = AccessRightNamespace + "NON_PUBLIC",
        ["non_public"] = AccessRightNamespace + "NON_PUBLIC",
    };

    private static readonly Dictionary<string, string> Legislation = new(StringComparer.OrdinalIgnoreCase)
    {
        ["EHDS"] = Ehds,
        ["GDPR"] = Gdpr,
    };

    private static readonly Dictionary<string, string> HealthCategories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["genetic"] = GdiNamespace + "HealthCategoryHumanGenetic",
        ["epigenomic"] = GdiNamespace + "HealthCategoryHumanEpigenomic",
        ["genomic"] = GdiNamespace + "HealthCategoryHumanGenomic",
    };

    private static readonly HashSet<string> DataThemes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "OP_DATPRO", "REGI", "SOCI", "TECH", "TRAN",
    };

    // ISO 639-1 codes of the EU's and its neighbours' languages -> the EU authority table's codes.
    private static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bg"] = "BUL", ["cs"] = "CES", ["da"] = "DAN", ["de"] = "DEU", ["el"] = "ELL", ["en"] = "ENG", ["es"] = "SPA",
        ["et"] = "EST", ["fi"] = "FIN", ["fr"] = "FRA", ["ga"] = "GLE", ["hr"] = "HRV", ["hu"] = "HUN", ["it"] = "ITA",
        ["lt"] = "LIT", ["lv"] = "LAV", ["mt"] = "MLT", ["nl"] = "NLD", ["pl"] = "POL", ["pt"] = "POR", ["ro"] = "RON",
        ["sk"] = "SLK", ["sl"] = "SLV", ["sv"] = "SWE", ["no"] = "NOR", ["nb"] = "NOB", ["nn"] = "NNO", ["is"] = "ISL",
    };

    /// <summary>File formats by the names operators use -> EDAM format IRIs.</summary>
    public static IReadOnlyDictionary<string, string> Formats { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["VCF"] = "http://edamontology.org/format_3016",
        ["BCF"] = "http://edamontology.org/format_3020",
        ["BAM"] = "http://edamontology.org/format_2572",
        ["CRAM"] = "http://edamontology.org/format_3462",
        ["SAM"] = "http://edamontology.org/format_2573",
        ["FASTQ"] = "http://edamontology.org/format_1930",
    };

    /// <summary>Whether a dataset with this id may be listed: the id is its catalogue identifier.</summary>
    public static bool IsListableId(string id) => IdentifierRegex().IsMatch(id);

    /// <summary>Why a dataset with this id is not listed, for the operator.</summary>
    public static string IdRefusal(string id) =>
        $"dataset id '{id}' does not follow the GDI identifier pattern GDI-CC-ORG-NNN (or GOE-CC-ORG-NNN: CC a two-letter " +
        "country code, ORG the institute's abbreviation in capitals, NNN digits, e.g. GDI-FI-THL-001); the FAIR Data Point " +
        "lists a dataset under its id, so add the data as a dataset with such an id and describe that one";

    /// <summary>The access rights a dataset's tier implies when the operator gives none.</summary>
    public static string DefaultAccessRights(AccessTier tier) =>
        tier == AccessTier.Public ? AccessRightNamespace + "PUBLIC" : AccessRightNamespace + "RESTRICTED";

    /// <summary>
    /// The description checked and normalised: language tags in lower case, texts trimmed, codes turned into IRIs,
    /// defaults filled in (access rights from <paramref name="tier"/>, EHDS, HEAL). Every problem is named in
    /// <paramref name="problems"/>; the result is meaningful only when there are none.
    /// </summary>
    public static DatasetMetadata Normalize(DatasetMetadata metadata, AccessTier tier, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(problems);
        var title = Texts("title", metadata.Title, MaxTitleLength, multiline: false, problems);
        var description = Texts("description", metadata.Description, MaxDescriptionLength, multiline: true, problems);
        var keywords = Keywords(metadata.Keywords, problems);
        var creators = new List<string>();
        foreach (var creator in metadata.Creators ?? [])
        {
            if (Name("creator", creator, problems) is { } name)
            {
                creators.Add(name);
            }
        }

        if (creators.Count == 0)
        {
            problems.Add("at least one creator is required (--creator NAME)");
        }

        var contact = Agent("contact point", metadata.ContactPoint, requireEmail: true, problems);
        if (metadata.ContactPoint is null)
        {
            problems.Add("a contact point with an e-mail address is required (--contact-name NAME --contact-email ADDRESS)");
        }

        var accessRights = metadata.AccessRights is null
            ? DefaultAccessRights(tier)
            : Term("access rights", metadata.AccessRights, AccessRights, iriAllowed: false, problems);
        var legislation = Terms("applicable legislation", metadata.ApplicableLegislation, Legislation, problems, Ehds);
        var categories = Terms("health category", metadata.HealthCategories, HealthCategories, problems, fallback: null, iriAllowed: false);
        if (metadata.HealthCategories is not { Count: > 0 })
        {
            problems.Add("at least one health category is required: genetic, epigenomic or genomic (--health-category)");
        }

        var themes = Terms("theme", metadata.Themes, DataThemes.ToDictionary(t => t, t => DataThemeNamespace + t.ToUpperInvariant(), StringComparer.OrdinalIgnoreCase), problems, DataThemeNamespace + "HEAL");
        var languages = Terms("language", metadata.Languages,
            Languages.ToDictionary(l => l.Key, l => LanguageNamespace + l.Value, StringComparer.OrdinalIgnoreCase), problems, fallback: null,
            other: code => EuLanguageCode().IsMatch(code) ? LanguageNamespace + code.ToUpperInvariant() : null);
        var formats = Terms("format", metadata.Formats, Formats, problems, fallback: null);
        var hdab = metadata.Hdab is null ? null : Agent("health data access body", metadata.Hdab, requireEmail: false, problems);
        if (metadata.NumberOfRecords is < 0)
        {
            problems.Add("the number of records must not be negative");
        }

        if (metadata.NumberOfUniqueIndividuals is < 0)
        {
            problems.Add("the number of unique individuals must not be negative");
        }

        return new DatasetMetadata
        {
            Title = title,
            Description = description,
            Keywords = keywords.Count == 0 ? null : keywords,
            Creators = creators,
            Publisher = metadata.Publisher is null ? null : Agent("publisher", metadata.Publisher, requireEmail: false, problems),
            ContactPoint = contact,
            AccessRights = accessRights,
            ApplicableLegislation = legislation,
            HealthCategories = categories,
            Themes = themes,
            Languages = languages.Count == 0 ? null : languages,
            Formats = formats.Count == 0 ? null : formats,
            Hdab = hdab,
            NumberOfRecords = metadata.NumberOfRecords,
            NumberOfUniqueIndividuals = metadata.NumberOfUniqueIndividuals,
            AccessUrl = metadata.AccessUrl is null ? null : WebUrl("access URL", metadata.AccessUrl, problems),
        };
    }

    /// <summary>The short name of a format IRI (<c>vcf</c>), or null for a format given as another IRI.</summary>
    public static string? FormatName(string iri) =>
        Formats.FirstOrDefault(f => f.Value == iri).Key?.ToLowerInvariant();

    private static Dictionary<string, string> Texts(
        string what, IReadOnlyDictionary<string, string>? texts, int maxLength, bool multiline, List<string> problems)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (texts is null || texts.Count == 0)
        {
            problems.Add($"a {what} in at least one language is required (--{what} en=TEXT)");
            return result;
        }

        foreach (var (tag, text) in texts)
        {
            if (!RdfLiteral.IsLanguageTag(tag))
            {
                problems.Add($"'{tag}' is not a language tag (the {what} needs one such as en or fi)");
                continue;
            }

            var language = tag.ToLowerInvariant();
            if (!result.TryAdd(language, ""))
            {
                problems.Add($"the {what} is given twice in language '{language}'");
                continue;
            }

            if (Text($"the {what} in '{language}'", text, maxLength, multiline, problems) is { } checkedText)
            {
                result[language] = checkedText;
            }
        }

        return result;
    }

    private static Dictionary<string, IReadOnlyList<string>> Keywords(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? keywords, List<string> problems)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (tag, words) in keywords ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (!RdfLiteral.IsLanguageTag(tag))
            {
                problems.Add($"'{tag}' is not a language tag (keywords need one such as en or fi)");
                continue;
            }

            var checkedWords = new List<string>();
            foreach (var word in words ?? [])
            {
                if (Text($"a keyword in '{tag}'", word, MaxKeywordLength, multiline: false, problems) is { } checkedWord
                    && !checkedWords.Contains(checkedWord, StringComparer.Ordinal))
                {
                    checkedWords.Add(checkedWord);
                }
            }

            var language = tag.ToLowerInvariant();
            result[language] = result.TryGetValue(language, out var earlier) ? [.. earlier, .. checkedWords] : checkedWords;
        }

        return result;
    }

    private static string? Text(string what, string? text, int maxLength, bool multiline, List<string> problems)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            problems.Add($"{what} must not be empty");
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            problems.Add($"{what} is longer than {maxLength} characters");
            return null;
        }

        if (!RdfText.IsWellFormed(trimmed))
        {
            problems.Add($"{what} is not well-formed Unicode");
            return null;
        }

        if (trimmed.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            problems.Add($"{what} holds a control character{(multiline ? " other than a line break or tab" : "")}");
            return null;
        }

        return trimmed;
    }

    private static string? Name(string what, string? name, List<string> problems) =>
        Text($"the {what}'s name", name, MaxNameLength, multiline: false, problems);

    private static MetadataAgent? Agent(string what, MetadataAgent? agent, bool requireEmail, List<string> problems)
    {
        if (agent is null)
        {
            return null;
        }

        var name = Name(what, agent.Name, problems);
        string? email = null;
        if (agent.Email is { } given)
        {
            email = Email(what, given, problems);
        }
        else if (requireEmail)
        {
            problems.Add($"the {what} needs an e-mail address");
        }

        var url = agent.Url is null ? null : WebUrl($"the {what}'s web page", agent.Url, problems);
        return new MetadataAgent(name, email, url);
    }

    /// <summary>An e-mail address without <c>mailto:</c> (given with or without it), or null with a problem.</summary>
    public static string? Email(string what, string given, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(problems);
        var address = given.Trim();
        if (address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            address = address["mailto:".Length..];
        }

        if (!EmailPattern().IsMatch(address))
        {
            problems.Add($"'{given}' is not an e-mail address (the {what}'s)");
            return null;
        }

        return address;
    }

    private static string? WebUrl(string what, string given, List<string> problems)
    {
        var url = given.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || RdfIri.Problem(url) is not null || url.Length > MaxIriLength)
        {
            problems.Add($"{what} '{given}' must be an absolute http or https URL without spaces");
            return null;
        }

        return url;
    }

    private static string? Term(string what, string given, IReadOnlyDictionary<string, string> codes, bool iriAllowed, List<string> problems,
        Func<string, string?>? other = null)
    {
        var code = given.Trim();
        if (codes.TryGetValue(code, out var iri))
        {
            return iri;
        }

        // Stored descriptions hold the IRIs the codes stand for; an update reads them back.
        if (codes.Values.Contains(code, StringComparer.Ordinal))
        {
            return code;
        }

        if (other?.Invoke(code) is { } otherIri)
        {
            return otherIri;
        }

        if (iriAllowed && code.Contains(':', StringComparison.Ordinal))
        {
            return WebUrl(what, code, problems);
        }

        problems.Add($"unknown {what} '{given}': use one of {string.Join(", ", codes.Keys)}{(iriAllowed ? " or an http(s) IRI" : "")}");
        return null;
    }

    private static List<string> Terms(string what, IReadOnlyList<string>? given, IReadOnlyDictionary<string, string> codes, List<string> problems,
        string? fallback, bool iriAllowed = true, Func<string, string?>? other = null)
    {
        var result = new List<string>();
        foreach (var code in given ?? [])
        {
            if (code is not null && Term(what, code, codes, iriAllowed, problems, other) is { } iri && !result.Contains(iri, StringComparer.Ordinal))
            {
                result.Add(iri);
            }
        }

        if (result.Count == 0 && (given is null || given.Count == 0) && fallback is not null)
        {
            result.Add(fallback);
        }

        return result;
    }

    [GeneratedRegex(IdentifierPattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierRegex();

    [GeneratedRegex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[A-Z]{3}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex EuLanguageCode();
}
