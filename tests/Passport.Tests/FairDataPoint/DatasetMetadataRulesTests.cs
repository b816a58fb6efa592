using GenomeNode.Passport.Datasets;

namespace GenomeNode.Passport.Tests.FairDataPoint;

public sealed class DatasetMetadataRulesTests
{
    private static DatasetMetadata Complete => new()
    {
        Title = new Dictionary<string, string> { ["EN"] = "  Genomes ", ["fi"] = "Genomit" },
        Description = new Dictionary<string, string> { ["en"] = "Line one\nline two" },
        Creators = ["Lab"],
        ContactPoint = new MetadataAgent("Desk", "mailto:desk@example.org"),
        HealthCategories = ["genomic"],
    };

    [Theory]
    [InlineData("GDI-FI-THL-001", true)]
    [InlineData("GOE-SE-KI-42", true)]
    [InlineData("GDI-FI-THL-001a", false)]
    [InlineData("gdi-fi-thl-001", false)]
    [InlineData("GDI-FIN-THL-001", false)]
    [InlineData("GDI-FI-THL", false)]
    [InlineData("demo", false)]
    [InlineData("XYZ-FI-THL-001", false)]
    public void Only_ids_of_the_gdi_pattern_are_listable(string id, bool listable) =>
        Assert.Equal(listable, DatasetMetadataRules.IsListableId(id));

    [Fact]
    public void A_complete_description_is_normalised_with_defaults_and_iris()
    {
        var problems = new List<string>();
        var normalised = DatasetMetadataRules.Normalize(Complete with { Languages = ["en", "FIN"], Formats = ["vcf", "http://example.org/format"] },
            AccessTier.Controlled, problems);

        Assert.Empty(problems);
        Assert.Equal(new Dictionary<string, string> { ["en"] = "Genomes", ["fi"] = "Genomit" }, normalised.Title);
        Assert.Equal("desk@example.org", normalised.ContactPoint!.Email);
        Assert.Equal("http://publications.europa.eu/resource/authority/access-right/RESTRICTED", normalised.AccessRights);
        Assert.Equal(["http://data.europa.eu/eli/reg/2025/327/oj"], normalised.ApplicableLegislation);
        Assert.Equal(["http://publications.europa.eu/resource/authority/data-theme/HEAL"], normalised.Themes);
        Assert.Equal(["http://data.gdi.eu/core/p2/HealthCategoryHumanGenomic"], normalised.HealthCategories);
        Assert.Equal(["http://publications.europa.eu/resource/authority/language/ENG", "http://publications.europa.eu/resource/authority/language/FIN"], normalised.Languages);
        Assert.Equal(["http://edamontology.org/format_3016", "http://example.org/format"], normalised.Formats);

        // Stored descriptions hold IRIs: normalising again changes nothing.
        var again = DatasetMetadataRules.Normalize(normalised, AccessTier.Controlled, problems);
        Assert.Empty(problems);
        Assert.Equal(normalised.AccessRights, again.AccessRights);
        Assert.Equal(normalised.Languages, again.Languages);
        Assert.Equal(normalised.HealthCategories, again.HealthCategories);
    }

    [Fact]
    public void A_public_dataset_defaults_to_public_access_rights()
    {
        var problems = new List<string>();
        Assert.Equal("http://publications.europa.eu/resource/authority/access-right/PUBLIC",
            DatasetMetadataRules.Normalize(Complete, AccessTier.Public, problems).AccessRights);
    }

    [Fact]
    public void Every_missing_mandatory_field_is_named()
    {
        var problems = new List<string>();
        DatasetMetadataRules.Normalize(new DatasetMetadata(), AccessTier.Public, problems);

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Contains("title", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("description", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("creator", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("contact point", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("health category", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("language tag", "title")]
    [InlineData("control character", "title")]
    [InlineData("lone surrogate", "title")]
    [InlineData("e-mail", "contact")]
    [InlineData("unknown access rights", "access")]
    [InlineData("unknown health category", "health")]
    [InlineData("url with space", "url")]
    [InlineData("negative", "records")]
    [InlineData("twice", "title")]
    public void Bad_values_are_refused_with_a_reason(string what, string field)
    {
        var metadata = (what, field) switch
        {
            ("language tag", _) => Complete with { Title = new Dictionary<string, string> { ["english language"] = "x" } },
            ("control character", _) => Complete with { Title = new Dictionary<string, string> { ["en"] = "a\u0001b" } },
            ("lone surrogate", _) => Complete with { Title = new Dictionary<string, string> { ["en"] = "a\ud800b" } },
            ("e-mail", _) => Complete with { ContactPoint = new MetadataAgent("Desk", "not an address") },
            ("unknown access rights", _) => Complete with { AccessRights = "sometimes" },
            ("unknown health category", _) => Complete with { HealthCategories = ["proteomic"] },
            ("url with space", _) => Complete with { AccessUrl = "https://example.org/a b" },
            ("negative", _) => Complete with { NumberOfRecords = -1 },
            _ => Complete with { Title = new Dictionary<string, string> { ["en"] = "a", ["EN"] = "b" } },
        };
        var problems = new List<string>();

        DatasetMetadataRules.Normalize(metadata, AccessTier.Public, problems);

        Assert.Single(problems);
    }
}
