using GenomeNode.DataUseOntology.Matching;

namespace GenomeNode.Committee.Applications;

/// <summary>
/// The one application form (REMS form 1): a title, a description and the research purpose, given as DUO and disease
/// terms the data use matcher understands, plus whether the use or the organisation is commercial.
/// </summary>
public static class ResearchForm
{
    public const long Id = 1;
    public const string InternalName = "research-purpose";
    public const string Title = "title";
    public const string Description = "description";
    public const string Purpose = "purpose";
    public const string Commercial = "commercial";
    public const string ForProfit = "for-profit-organisation";
    public const long LicenseId = 1;

    public sealed record Field(string Id, string Type, string Title, bool Optional, string? Info = null, IReadOnlyList<string>? Options = null);

    public static IReadOnlyList<Field> Fields { get; } =
    [
        new(Title, "text", "Project title", Optional: false),
        new(Description, "texta", "Project description", Optional: false),
        new(Purpose, "text", "Research purpose as DUO terms (GRU DUO:0000042, HMB DUO:0000006, DS DUO:0000007 with disease terms such as MONDO:0005148, POA DUO:0000011, methods development DUO:0000015), separated by spaces or commas",
            Optional: false),
        new(Commercial, "option", "Is the use commercial?", Optional: true, Options: ["no", "yes"]),
        new(ForProfit, "option", "Is your organisation for-profit?", Optional: true, Options: ["no", "yes"]),
    ];

    public static bool Knows(long form, string field) => form == Id && Fields.Any(known => known.Id == field);

    /// <summary>
    /// The purpose the applicant gave, as the matcher's <see cref="ResearchPurpose"/>: GRU = general research, HMB =
    /// health/medical/biomedical, DS with disease CURIEs = disease-specific, POA = population origins or ancestry,
    /// NMDS (DUO:0000015) = methods development; null with the reason when it cannot be read.
    /// </summary>
    public static (ResearchPurpose? Purpose, string? Problem) ReadPurpose(ApplicationRecord application)
    {
        ArgumentNullException.ThrowIfNull(application);
        var text = application.Value(Purpose);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "the application states no research purpose");
        }

        var general = false;
        var health = false;
        var ancestry = false;
        var methods = false;
        var diseaseSpecific = false;
        var diseases = new List<string>();
        foreach (var term in text.Split([' ', ',', ';', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            switch (term)
            {
                case DuoTerms.GRU: general = true; break;
                case DuoTerms.HMB: health = true; break;
                case DuoTerms.DS: diseaseSpecific = true; break;
                case DuoTerms.POA: ancestry = true; break;
                case DuoTerms.NMDS: methods = true; break;
                default:
                    if (term.StartsWith("DUO:", StringComparison.Ordinal) || !term.Contains(':', StringComparison.Ordinal))
                    {
                        return (null, $"'{term}' is not a purpose this node reads (GRU, HMB, DS, POA, NMDS, or disease terms such as MONDO:0005148)");
                    }

                    diseases.Add(term);
                    break;
            }
        }

        if (diseases.Count > 0 && !diseaseSpecific)
        {
            diseaseSpecific = true;
        }

        return (new ResearchPurpose
        {
            GeneralResearch = general,
            HealthMedicalBiomedical = health,
            PopulationOriginsAncestry = ancestry,
            MethodsDevelopment = methods,
            Diseases = diseaseSpecific ? diseases : [],
            Commercial = application.Value(Commercial) == "yes",
            ForProfitOrganisation = application.Value(ForProfit) == "yes",
        }, null);
    }
}
