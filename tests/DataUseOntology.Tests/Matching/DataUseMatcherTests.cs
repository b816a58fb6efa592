using GenomeNode.DataUseOntology.Matching;

namespace GenomeNode.DataUseOntology.Tests.Matching;

/// <summary>
/// The research-purpose vs data-use-conditions matcher, written from the DUOS matching algorithm (v4 with its abstain
/// list, and the v2 rules for NMDS and control use) and the DUO term definitions.
/// </summary>
public sealed class DataUseMatcherTests
{
    // A small disease hierarchy: cancer > breast cancer > a breast cancer subtype; cancer > lung cancer;
    // diabetes mellitus > type 2 diabetes.
    private const string Cancer = "MONDO:0004992";
    private const string BreastCancer = "MONDO:0007254";
    private const string BreastCancerSubtype = "MONDO:0006244";
    private const string LungCancer = "MONDO:0008903";
    private const string Diabetes = "MONDO:0005015";
    private const string Type2Diabetes = "MONDO:0005148";

    private static readonly FakeDiseaseHierarchy Hierarchy = new();

    // ---- NRES and GRU ----

    [Fact]
    public void NRES_dataset_approves_every_purpose_part()
    {
        var result = Match(EveryPart(), Dataset(DuoTerms.NRES));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        Assert.Equal(7, result.Reasons.Count);
        Assert.All(result.Reasons, r =>
        {
            Assert.Equal("NRES", r.Rule);
            Assert.Equal(MatchDecision.Approve, r.Decision);
            Assert.Contains("NRES (DUO:0000004)", r.Explanation, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void GRU_dataset_approves_general_research()
    {
        var result = Match(new ResearchPurpose { GeneralResearch = true }, Dataset(DuoTerms.GRU));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        var reason = AssertReason(result, "GRU", MatchDecision.Approve, "GRU (DUO:0000042)");
        Assert.Contains("general research", reason.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void GRU_dataset_approves_every_purpose_part()
    {
        var result = Match(EveryPart(), Dataset(DuoTerms.GRU));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        Assert.Equal(7, result.Reasons.Count);
        Assert.All(result.Reasons, r =>
        {
            Assert.Equal("GRU", r.Rule);
            Assert.Equal(MatchDecision.Approve, r.Decision);
        });
        AssertReason(result, "GRU", MatchDecision.Approve, "GRU", BreastCancer);
        AssertReason(result, "GRU", MatchDecision.Approve, "GRU", "population origins or ancestry");
    }

    // ---- HMB ----

    [Fact]
    public void HMB_dataset_approves_health_research()
    {
        var result = Match(new ResearchPurpose { HealthMedicalBiomedical = true }, Dataset(DuoTerms.HMB));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "HMB", MatchDecision.Approve, "HMB (DUO:0000006)");
    }

    [Fact]
    public void HMB_dataset_approves_disease_specific_research()
    {
        var result = Match(new ResearchPurpose { Diseases = [LungCancer] }, Dataset(DuoTerms.HMB));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "HMB", MatchDecision.Approve, "HMB", LungCancer);
    }

    [Fact]
    public void HMB_dataset_approves_methods_development_controls_and_population_variation()
    {
        var purpose = new ResearchPurpose { MethodsDevelopment = true, ControlUse = true, PopulationVariation = true };

        var result = Match(purpose, Dataset(DuoTerms.HMB));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        Assert.Equal(3, result.Reasons.Count);
        AssertReason(result, "HMB", MatchDecision.Approve, "HMB", "methods development");
        AssertReason(result, "HMB", MatchDecision.Approve, "HMB", "controls");
        AssertReason(result, "HMB", MatchDecision.Approve, "HMB", "variation in the general population");
    }

    [Fact]
    public void HMB_dataset_denies_general_research()
    {
        var result = Match(new ResearchPurpose { GeneralResearch = true }, Dataset(DuoTerms.HMB));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "HMB", MatchDecision.Deny, "HMB (DUO:0000006)", "general research");
    }

    [Fact]
    public void HMB_dataset_denies_population_origins_research()
    {
        var result = Match(new ResearchPurpose { PopulationOriginsAncestry = true }, Dataset(DuoTerms.HMB));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "HMB", MatchDecision.Deny, "HMB", "population origins or ancestry");
    }

    // ---- DS and the disease hierarchy ----

    [Fact]
    public void Disease_purpose_matching_the_dataset_disease_exactly_is_approved()
    {
        var result = Match(new ResearchPurpose { Diseases = [BreastCancer] }, DiseaseDataset([BreastCancer]));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "DS", MatchDecision.Approve, "DS (DUO:0000007)", $"is the dataset's disease {BreastCancer}");
    }

    [Fact]
    public void Disease_purpose_on_a_parent_disease_dataset_is_approved()
    {
        var result = Match(new ResearchPurpose { Diseases = [BreastCancer] }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "DS", MatchDecision.Approve, BreastCancer, $"subtype of the dataset's disease {Cancer}");
    }

    [Fact]
    public void Disease_purpose_on_a_grandparent_disease_dataset_is_approved()
    {
        var result = Match(new ResearchPurpose { Diseases = [BreastCancerSubtype] }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "DS", MatchDecision.Approve, BreastCancerSubtype, Cancer);
    }

    [Fact]
    public void Disease_purpose_broader_than_the_dataset_disease_is_denied()
    {
        var result = Match(new ResearchPurpose { Diseases = [Cancer] }, DiseaseDataset([BreastCancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, $"{Cancer} is broader than the dataset's disease {BreastCancer}");
    }

    [Fact]
    public void Disease_purpose_unrelated_to_the_dataset_disease_is_denied()
    {
        var result = Match(new ResearchPurpose { Diseases = [Type2Diabetes] }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, Type2Diabetes, Cancer, "DS (DUO:0000007)");
    }

    [Fact]
    public void One_unmatched_purpose_disease_denies_the_whole_purpose()
    {
        var result = Match(new ResearchPurpose { Diseases = [BreastCancer, Type2Diabetes] }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        Assert.Equal(2, result.Reasons.Count);
        AssertReason(result, "DS", MatchDecision.Approve, BreastCancer, Cancer);
        var denied = AssertReason(result, "DS", MatchDecision.Deny, Type2Diabetes);
        Assert.DoesNotContain(BreastCancer, denied.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_purpose_disease_may_match_a_different_dataset_disease()
    {
        var purpose = new ResearchPurpose { Diseases = [BreastCancerSubtype, Type2Diabetes] };

        var result = Match(purpose, DiseaseDataset([BreastCancer, Diabetes]));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "DS", MatchDecision.Approve, BreastCancerSubtype, BreastCancer);
        AssertReason(result, "DS", MatchDecision.Approve, Type2Diabetes, Diabetes);
    }

    [Fact]
    public void Without_a_disease_ontology_a_subtype_does_not_match_its_parent()
    {
        var result = DataUseMatcher.Match(
            new ResearchPurpose { Diseases = [BreastCancer] }, DiseaseDataset([Cancer]), ExactDiseaseMatch.Instance);

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, BreastCancer, Cancer);
    }

    [Fact]
    public void Without_a_disease_ontology_the_exact_disease_matches()
    {
        var result = DataUseMatcher.Match(
            new ResearchPurpose { Diseases = [BreastCancer] }, DiseaseDataset([BreastCancer]), ExactDiseaseMatch.Instance);

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "DS", MatchDecision.Approve, BreastCancer);
    }

    [Fact]
    public void DS_dataset_denies_general_research()
    {
        var result = Match(new ResearchPurpose { GeneralResearch = true }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, "DS (DUO:0000007)", Cancer, "general research");
    }

    [Fact]
    public void DS_dataset_denies_health_research_that_names_no_disease()
    {
        var result = Match(new ResearchPurpose { HealthMedicalBiomedical = true }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, "DS", Cancer, "names no disease");
    }

    [Fact]
    public void DS_dataset_approves_health_research_limited_to_a_matching_disease()
    {
        var purpose = new ResearchPurpose { HealthMedicalBiomedical = true, Diseases = [LungCancer] };

        var result = Match(purpose, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        Assert.Equal(2, result.Reasons.Count);
        AssertReason(result, "DS", MatchDecision.Approve, "health, medical or biomedical", LungCancer);
        AssertReason(result, "DS", MatchDecision.Approve, $"{LungCancer} is a subtype of the dataset's disease {Cancer}");
    }

    [Fact]
    public void DS_dataset_denies_population_origins_research()
    {
        var purpose = new ResearchPurpose { PopulationOriginsAncestry = true, Diseases = [BreastCancer] };

        var result = Match(purpose, DiseaseDataset([BreastCancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, "DS", "population origins or ancestry");
        AssertReason(result, "DS", MatchDecision.Approve, BreastCancer);
    }

    [Fact]
    public void DS_dataset_approves_methods_development_without_NMDS()
    {
        var result = Match(new ResearchPurpose { MethodsDevelopment = true }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "DS", MatchDecision.Approve, "DS (DUO:0000007)", "methods development", "NMDS");
    }

    [Fact]
    public void DS_dataset_approves_control_use_for_a_matching_disease()
    {
        var purpose = new ResearchPurpose { ControlUse = true, Diseases = [BreastCancer] };

        var result = Match(purpose, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "DS", MatchDecision.Approve, "controls", BreastCancer, Cancer);
    }

    [Fact]
    public void DS_dataset_denies_control_use_without_a_purpose_disease()
    {
        var result = Match(new ResearchPurpose { ControlUse = true }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, "controls", "names no disease", Cancer);
    }

    [Fact]
    public void DS_dataset_denies_control_use_for_a_non_matching_disease()
    {
        var purpose = new ResearchPurpose { ControlUse = true, Diseases = [Type2Diabetes] };

        var result = Match(purpose, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, "controls", Type2Diabetes);
    }

    [Fact]
    public void DS_dataset_denies_population_variation()
    {
        var result = Match(new ResearchPurpose { PopulationVariation = true }, DiseaseDataset([Cancer]));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, "DS", "variation in the general population");
    }

    // ---- POA ----

    [Fact]
    public void POA_dataset_approves_population_origins_research()
    {
        var result = Match(new ResearchPurpose { PopulationOriginsAncestry = true }, Dataset(DuoTerms.POA));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "POA", MatchDecision.Approve, "POA (DUO:0000011)");
    }

    [Fact]
    public void POA_dataset_approves_methods_development()
    {
        var result = Match(new ResearchPurpose { MethodsDevelopment = true }, Dataset(DuoTerms.POA));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "POA", MatchDecision.Approve, "POA", "methods development");
    }

    [Fact]
    public void POA_dataset_denies_general_research()
    {
        var result = Match(new ResearchPurpose { GeneralResearch = true }, Dataset(DuoTerms.POA));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "POA", MatchDecision.Deny, "POA (DUO:0000011)", "general research");
    }

    [Fact]
    public void POA_dataset_denies_health_research()
    {
        var result = Match(new ResearchPurpose { HealthMedicalBiomedical = true }, Dataset(DuoTerms.POA));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "POA", MatchDecision.Deny, "POA", "health, medical or biomedical research");
    }

    [Fact]
    public void POA_dataset_denies_disease_specific_research()
    {
        var result = Match(new ResearchPurpose { Diseases = [Cancer] }, Dataset(DuoTerms.POA));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "POA", MatchDecision.Deny, "POA", Cancer);
    }

    [Fact]
    public void POA_dataset_denies_control_use()
    {
        var result = Match(new ResearchPurpose { ControlUse = true }, Dataset(DuoTerms.POA));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "POA", MatchDecision.Deny, "POA", "controls");
    }

    [Fact]
    public void POA_dataset_denies_population_variation()
    {
        var result = Match(new ResearchPurpose { PopulationVariation = true }, Dataset(DuoTerms.POA));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "POA", MatchDecision.Deny, "POA", "variation in the general population");
    }

    // ---- NMDS ----

    [Fact]
    public void NMDS_denies_methods_development_on_a_GRU_dataset()
    {
        var result = Match(new ResearchPurpose { MethodsDevelopment = true }, Dataset(DuoTerms.GRU, DuoTerms.NMDS));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "GRU", MatchDecision.Approve, "GRU", "methods development");
        AssertReason(result, "NMDS", MatchDecision.Deny, "NMDS (DUO:0000015)", "methods development");
    }

    [Fact]
    public void NMDS_does_not_affect_a_purpose_without_methods_development()
    {
        var result = Match(new ResearchPurpose { HealthMedicalBiomedical = true }, Dataset(DuoTerms.HMB, DuoTerms.NMDS));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "NMDS", MatchDecision.Approve, "NMDS (DUO:0000015)", "does not include methods development");
    }

    [Fact]
    public void Disease_research_with_methods_development_on_a_matching_DS_NMDS_dataset_is_approved()
    {
        var purpose = new ResearchPurpose { Diseases = [BreastCancer], MethodsDevelopment = true };

        var result = Match(purpose, DiseaseDataset([Cancer], DuoTerms.NMDS));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        Assert.Equal(3, result.Reasons.Count);
        AssertReason(result, "DS", MatchDecision.Approve, BreastCancer, Cancer);
        AssertReason(result, "DS", MatchDecision.Approve, "methods development");
        AssertReason(result, "NMDS", MatchDecision.Approve, "NMDS", BreastCancer, Cancer);
    }

    [Fact]
    public void Methods_development_on_a_DS_NMDS_dataset_for_a_non_matching_disease_is_denied()
    {
        var purpose = new ResearchPurpose { Diseases = [Type2Diabetes], MethodsDevelopment = true };

        var result = Match(purpose, DiseaseDataset([Cancer], DuoTerms.NMDS));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Deny, Type2Diabetes);
        AssertReason(result, "NMDS", MatchDecision.Deny, "NMDS (DUO:0000015)", Cancer);
    }

    [Fact]
    public void Methods_development_naming_no_disease_on_a_DS_NMDS_dataset_is_denied()
    {
        var result = Match(new ResearchPurpose { MethodsDevelopment = true }, DiseaseDataset([Cancer], DuoTerms.NMDS));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "DS", MatchDecision.Approve, "methods development");
        AssertReason(result, "NMDS", MatchDecision.Deny, "NMDS", "methods development");
    }

    // ---- NPOA ----

    [Fact]
    public void NPOA_denies_population_origins_research_on_a_GRU_dataset()
    {
        var result = Match(new ResearchPurpose { PopulationOriginsAncestry = true }, Dataset(DuoTerms.GRU, DuoTerms.NPOA));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "NPOA", MatchDecision.Deny, "NPOA (DUO:0000044)", "population origins or ancestry");
    }

    [Fact]
    public void NPOA_does_not_affect_a_purpose_without_population_origins_research()
    {
        var result = Match(new ResearchPurpose { GeneralResearch = true }, Dataset(DuoTerms.GRU, DuoTerms.NPOA));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "NPOA", MatchDecision.Approve, "NPOA (DUO:0000044)");
    }

    // ---- NPUNCU, NPU, NCU ----

    [Fact]
    public void NPUNCU_denies_commercial_use()
    {
        var purpose = new ResearchPurpose { HealthMedicalBiomedical = true, Commercial = true };

        var result = Match(purpose, Dataset(DuoTerms.HMB, DuoTerms.NPUNCU));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "NPUNCU", MatchDecision.Deny, "NPUNCU (DUO:0000018)", "commercial");
    }

    [Fact]
    public void NPUNCU_denies_a_for_profit_organisation()
    {
        var purpose = new ResearchPurpose { HealthMedicalBiomedical = true, ForProfitOrganisation = true };

        var result = Match(purpose, Dataset(DuoTerms.HMB, DuoTerms.NPUNCU));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "NPUNCU", MatchDecision.Deny, "NPUNCU (DUO:0000018)", "for-profit");
    }

    [Fact]
    public void NPUNCU_approves_non_commercial_use_by_a_not_for_profit_organisation()
    {
        var result = Match(new ResearchPurpose { HealthMedicalBiomedical = true }, Dataset(DuoTerms.HMB, DuoTerms.NPUNCU));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "NPUNCU", MatchDecision.Approve, "NPUNCU (DUO:0000018)");
    }

    [Fact]
    public void NPU_denies_a_for_profit_organisation()
    {
        var purpose = new ResearchPurpose { GeneralResearch = true, ForProfitOrganisation = true };

        var result = Match(purpose, Dataset(DuoTerms.GRU, DuoTerms.NPU));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "NPU", MatchDecision.Deny, "NPU (DUO:0000045)", "for-profit");
    }

    [Fact]
    public void NPU_approves_commercial_use_by_a_not_for_profit_organisation()
    {
        var purpose = new ResearchPurpose { GeneralResearch = true, Commercial = true };

        var result = Match(purpose, Dataset(DuoTerms.GRU, DuoTerms.NPU));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "NPU", MatchDecision.Approve, "NPU (DUO:0000045)", "not-for-profit");
    }

    [Fact]
    public void NCU_denies_commercial_use()
    {
        var purpose = new ResearchPurpose { GeneralResearch = true, Commercial = true };

        var result = Match(purpose, Dataset(DuoTerms.GRU, DuoTerms.NCU));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "NCU", MatchDecision.Deny, "NCU (DUO:0000046)", "commercial");
    }

    [Fact]
    public void NCU_approves_non_commercial_use_by_a_for_profit_organisation()
    {
        var purpose = new ResearchPurpose { GeneralResearch = true, ForProfitOrganisation = true };

        var result = Match(purpose, Dataset(DuoTerms.GRU, DuoTerms.NCU));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "NCU", MatchDecision.Approve, "NCU (DUO:0000046)", "not commercial");
    }

    [Fact]
    public void Commercial_use_by_a_for_profit_organisation_is_approved_without_commercial_restrictions()
    {
        var purpose = new ResearchPurpose { GeneralResearch = true, Commercial = true, ForProfitOrganisation = true };

        var result = Match(purpose, Dataset(DuoTerms.GRU));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "commercial use", MatchDecision.Approve, "NPUNCU", "NPU", "NCU");
    }

    // ---- CC ----

    [Fact]
    public void Clinical_care_is_approved_on_an_NRES_dataset_without_CC()
    {
        var result = DataUseMatcher.Match(
            new ResearchPurpose { ClinicalCare = true }, new DataUseConditions(DuoTerms.NRES, [], []), ExactDiseaseMatch.Instance);

        Assert.Equal(MatchDecision.Approve, result.Decision);
        var reason = Assert.Single(result.Reasons);
        Assert.Equal(("NRES", MatchDecision.Approve), (reason.Rule, reason.Decision));
        Assert.Contains("clinical care", reason.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Clinical_care_is_denied_without_CC()
    {
        var purpose = new ResearchPurpose { HealthMedicalBiomedical = true, ClinicalCare = true };

        var result = Match(purpose, Dataset(DuoTerms.HMB));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "CC", MatchDecision.Deny, "CC (DUO:0000043)", "clinical care");
    }

    [Fact]
    public void Clinical_care_is_approved_with_CC()
    {
        var purpose = new ResearchPurpose { HealthMedicalBiomedical = true, ClinicalCare = true };

        var result = Match(purpose, Dataset(DuoTerms.HMB, DuoTerms.CC));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "CC", MatchDecision.Approve, "CC (DUO:0000043)", "clinical care");
    }

    [Fact]
    public void CC_does_not_affect_a_purpose_without_clinical_care()
    {
        var result = Match(new ResearchPurpose { HealthMedicalBiomedical = true }, Dataset(DuoTerms.HMB, DuoTerms.CC));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        AssertReason(result, "CC", MatchDecision.Approve, "CC (DUO:0000043)", "does not include clinical care");
    }

    // ---- Modifiers a committee must check ----

    [Theory]
    [InlineData(DuoTerms.GSO, "GSO")]
    [InlineData(DuoTerms.PUB, "PUB")]
    [InlineData(DuoTerms.COL, "COL")]
    [InlineData(DuoTerms.IRB, "IRB")]
    [InlineData(DuoTerms.GS, "GS")]
    [InlineData(DuoTerms.MOR, "MOR")]
    [InlineData(DuoTerms.TS, "TS")]
    [InlineData(DuoTerms.US, "US")]
    [InlineData(DuoTerms.PS, "PS")]
    [InlineData(DuoTerms.IS, "IS")]
    [InlineData(DuoTerms.RTN, "RTN")]
    [InlineData(DuoTerms.RS, "RS")]
    public void Modifier_requiring_a_human_check_abstains_naming_it(string modifier, string shorthand)
    {
        var result = Match(new ResearchPurpose { GeneralResearch = true }, Dataset(DuoTerms.GRU, modifier));

        Assert.Equal(MatchDecision.Abstain, result.Decision);
        AssertReason(result, shorthand, MatchDecision.Abstain, $"{shorthand} ({modifier})", "committee");
        Assert.Single(result.Reasons, r => r.Decision == MatchDecision.Abstain);
    }

    [Fact]
    public void Unknown_modifier_abstains_naming_it()
    {
        var result = Match(new ResearchPurpose { GeneralResearch = true }, Dataset(DuoTerms.GRU, "DUO:0009999"));

        Assert.Equal(MatchDecision.Abstain, result.Decision);
        AssertReason(result, "DUO:0009999", MatchDecision.Abstain, "DUO:0009999", "does not know");
    }

    [Fact]
    public void Each_modifier_requiring_a_human_check_gets_its_own_reason()
    {
        var result = Match(
            new ResearchPurpose { HealthMedicalBiomedical = true },
            Dataset(DuoTerms.HMB, DuoTerms.IRB, DuoTerms.PUB, DuoTerms.IRB));

        Assert.Equal(MatchDecision.Abstain, result.Decision);
        Assert.Equal(2, result.Reasons.Count(r => r.Decision == MatchDecision.Abstain));
        AssertReason(result, "IRB", MatchDecision.Abstain, "IRB (DUO:0000021)");
        AssertReason(result, "PUB", MatchDecision.Abstain, "PUB (DUO:0000019)");
    }

    // ---- Sensitive research areas and other purposes ----

    [Theory]
    [InlineData("gender", "one gender (F)")]
    [InlineData("pediatric", "pediatric")]
    [InlineData("illegal behavior", "illegal behaviours")]
    [InlineData("sexual diseases", "sexually transmitted diseases")]
    [InlineData("stigmatizing diseases", "stigmatizing illnesses")]
    [InlineData("vulnerable populations", "vulnerable population")]
    [InlineData("psychological traits", "psychological traits")]
    [InlineData("not health", "beyond biomedical or health-related research")]
    public void Sensitive_research_area_abstains_even_on_an_NRES_dataset(string area, string mentioned)
    {
        var result = Match(SensitivePurpose(area), Dataset(DuoTerms.NRES));

        Assert.Equal(MatchDecision.Abstain, result.Decision);
        var reason = Assert.Single(result.Reasons);
        Assert.Equal("sensitive research", reason.Rule);
        Assert.Equal(MatchDecision.Abstain, reason.Decision);
        Assert.Contains(mentioned, reason.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_free_text_purpose_abstains_quoting_it()
    {
        var purpose = new ResearchPurpose { GeneralResearch = true, Other = "training a commercial chatbot" };

        var result = Match(purpose, Dataset(DuoTerms.GRU));

        Assert.Equal(MatchDecision.Abstain, result.Decision);
        AssertReason(result, "GRU", MatchDecision.Approve, "GRU");
        AssertReason(result, "other purpose", MatchDecision.Abstain, "\"training a commercial chatbot\"");
    }

    [Fact]
    public void Blank_other_text_is_not_an_other_purpose()
    {
        var result = Match(new ResearchPurpose { GeneralResearch = true, Other = "   " }, Dataset(DuoTerms.GRU));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        var reason = Assert.Single(result.Reasons);
        Assert.Equal("GRU", reason.Rule);
        Assert.Equal(MatchDecision.Approve, reason.Decision);
        Assert.Contains("GRU (DUO:0000042)", reason.Explanation, StringComparison.Ordinal);
    }

    // ---- Combination ----

    [Fact]
    public void Deny_beats_abstain()
    {
        var purpose = new ResearchPurpose { GeneralResearch = true, Pediatric = true };

        var result = Match(purpose, Dataset(DuoTerms.HMB, DuoTerms.IRB));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "HMB", MatchDecision.Deny, "HMB (DUO:0000006)", "general research");
        AssertReason(result, "IRB", MatchDecision.Abstain, "IRB (DUO:0000021)");
        AssertReason(result, "sensitive research", MatchDecision.Abstain, "pediatric");
    }

    [Fact]
    public void Abstain_beats_approve()
    {
        var result = Match(new ResearchPurpose { HealthMedicalBiomedical = true }, Dataset(DuoTerms.GRU, DuoTerms.COL));

        Assert.Equal(MatchDecision.Abstain, result.Decision);
        AssertReason(result, "GRU", MatchDecision.Approve, "GRU (DUO:0000042)");
        AssertReason(result, "COL", MatchDecision.Abstain, "COL (DUO:0000020)");
    }

    [Fact]
    public void Every_rule_approving_approves()
    {
        var purpose = new ResearchPurpose { Diseases = [BreastCancer], ControlUse = true, ClinicalCare = true };

        var result = Match(purpose, DiseaseDataset([Cancer], DuoTerms.NPU, DuoTerms.NCU, DuoTerms.CC, DuoTerms.NPOA));

        Assert.Equal(MatchDecision.Approve, result.Decision);
        Assert.Equal(6, result.Reasons.Count);
        Assert.All(result.Reasons, r => Assert.Equal(MatchDecision.Approve, r.Decision));
        AssertReason(result, "DS", MatchDecision.Approve, BreastCancer, Cancer);
        AssertReason(result, "CC", MatchDecision.Approve, "CC (DUO:0000043)");
    }

    [Fact]
    public void One_denied_part_of_a_multi_part_purpose_denies_it()
    {
        var purpose = new ResearchPurpose { HealthMedicalBiomedical = true, PopulationOriginsAncestry = true };

        var result = Match(purpose, Dataset(DuoTerms.HMB));

        Assert.Equal(MatchDecision.Deny, result.Decision);
        AssertReason(result, "HMB", MatchDecision.Approve, "HMB", "health, medical or biomedical research");
        AssertReason(result, "HMB", MatchDecision.Deny, "HMB", "population origins or ancestry");
    }

    // ---- Malformed inputs ----

    [Fact]
    public void Purpose_stating_no_purpose_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Match(new ResearchPurpose(), Dataset(DuoTerms.GRU)));

        Assert.Equal("purpose", error.ParamName);
        Assert.Contains("no purpose", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Purpose_stating_only_who_asks_and_whether_it_is_commercial_is_rejected()
    {
        var purpose = new ResearchPurpose { Commercial = true, ForProfitOrganisation = true, Other = " " };

        var error = Assert.Throws<ArgumentException>(() => Match(purpose, Dataset(DuoTerms.GRU)));

        Assert.Equal("purpose", error.ParamName);
        Assert.Contains("no purpose", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DS_dataset_without_diseases_is_rejected()
    {
        var conditions = new DataUseConditions(DuoTerms.DS, [], []);

        var error = Assert.Throws<ArgumentException>(() => Match(new ResearchPurpose { Diseases = [Cancer] }, conditions));

        Assert.Equal("conditions", error.ParamName);
        Assert.Contains("DS (DUO:0000007)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DuoTerms.Permission)]
    [InlineData(DuoTerms.NMDS)]
    [InlineData("DUO:0009999")]
    public void Permission_that_is_not_NRES_GRU_HMB_DS_or_POA_is_rejected(string permission)
    {
        var error = Assert.Throws<ArgumentException>(
            () => Match(new ResearchPurpose { GeneralResearch = true }, Dataset(permission)));

        Assert.Equal("conditions", error.ParamName);
        Assert.Contains(permission, error.Message, StringComparison.Ordinal);
    }

    // ---- Helpers ----

    private static MatchResult Match(ResearchPurpose purpose, DataUseConditions conditions) =>
        DataUseMatcher.Match(purpose, conditions, Hierarchy);

    private static DataUseConditions Dataset(string permission, params string[] modifiers) =>
        new(permission, modifiers, []);

    private static DataUseConditions DiseaseDataset(string[] diseases, params string[] modifiers) =>
        new(DuoTerms.DS, modifiers, diseases);

    private static ResearchPurpose EveryPart() => new()
    {
        GeneralResearch = true,
        HealthMedicalBiomedical = true,
        Diseases = [BreastCancer],
        PopulationOriginsAncestry = true,
        MethodsDevelopment = true,
        ControlUse = true,
        PopulationVariation = true,
    };

    private static ResearchPurpose SensitivePurpose(string area) => area switch
    {
        "gender" => new ResearchPurpose { Gender = "F" },
        "pediatric" => new ResearchPurpose { Pediatric = true },
        "illegal behavior" => new ResearchPurpose { IllegalBehavior = true },
        "sexual diseases" => new ResearchPurpose { SexualDiseases = true },
        "stigmatizing diseases" => new ResearchPurpose { StigmatizingDiseases = true },
        "vulnerable populations" => new ResearchPurpose { VulnerablePopulations = true },
        "psychological traits" => new ResearchPurpose { PsychologicalTraits = true },
        "not health" => new ResearchPurpose { NotHealth = true },
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, "No such sensitive research area."),
    };

    /// <summary>Asserts a reason with this rule and decision exists whose explanation mentions every given text.</summary>
    private static MatchReason AssertReason(MatchResult result, string rule, MatchDecision decision, params string[] mentions)
    {
        var candidates = result.Reasons.Where(r => r.Rule == rule && r.Decision == decision).ToList();
        Assert.True(
            candidates.Count > 0,
            $"No {decision} reason for rule {rule}; reasons: {string.Join(" | ", result.Reasons)}");
        var match = candidates.Find(r => mentions.All(m => r.Explanation.Contains(m, StringComparison.Ordinal)));
        Assert.True(
            match is not null,
            $"No {decision} reason for rule {rule} mentions all of [{string.Join(", ", mentions)}]; candidates: "
            + string.Join(" | ", candidates.Select(c => c.Explanation)));
        return match;
    }

    /// <summary>A parent map standing in for MONDO.</summary>
    private sealed class FakeDiseaseHierarchy : IDiseaseHierarchy
    {
        private static readonly Dictionary<string, string> Parents = new(StringComparer.Ordinal)
        {
            [BreastCancer] = Cancer,
            [BreastCancerSubtype] = BreastCancer,
            [LungCancer] = Cancer,
            [Type2Diabetes] = Diabetes,
        };

        public bool IsSameOrDescendant(string term, string ancestor)
        {
            for (string? current = term; current is not null; current = Parents.GetValueOrDefault(current))
            {
                if (string.Equals(current, ancestor, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
