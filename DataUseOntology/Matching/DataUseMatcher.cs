namespace GenomeNode.DataUseOntology.Matching;

/// <summary>
/// Matches a researcher's <see cref="ResearchPurpose"/> against a dataset's <see cref="DataUseConditions"/>, following
/// the DUOS matching algorithm (version 4 with its abstain list, plus the version 2 rules for NMDS with a disease
/// match and for control use on disease-specific data).
/// <para>
/// Each part of the purpose (general research, health/medical/biomedical research, each disease, population origins or
/// ancestry, methods development, control use, population variation, clinical care, commercial use, sensitive research
/// areas) is matched on its own against the dataset's permission and modifiers, and each rule that applies yields a
/// <see cref="MatchReason"/> a data access committee can read.
/// </para>
/// <para>
/// The reasons combine with this precedence: any <see cref="MatchDecision.Deny"/> makes the result DENY; otherwise any
/// <see cref="MatchDecision.Abstain"/> makes it ABSTAIN; otherwise (every reason approves) it is APPROVE. In short:
/// APPROVE only if every part approves, ABSTAIN for what needs a human, and a rule that forbids the use wins over both.
/// </para>
/// </summary>
public static class DataUseMatcher
{
    private const string SensitiveResearchRule = "sensitive research";
    private const string OtherPurposeRule = "other purpose";
    private const string CommercialUseRule = "commercial use";

    private enum PurposePart
    {
        GeneralResearch,
        HealthMedicalBiomedical,
        DiseaseSpecific,
        PopulationOriginsAncestry,
        MethodsDevelopment,
        ControlUse,
        PopulationVariation,
    }

    /// <summary>Matches <paramref name="purpose"/> against <paramref name="conditions"/>.</summary>
    /// <param name="purpose">What the researcher will use the data for; must state at least one purpose.</param>
    /// <param name="conditions">The dataset's permission (NRES, GRU, HMB, DS or POA), modifiers and, for DS, diseases.</param>
    /// <param name="diseases">The disease hierarchy used to decide whether a purpose disease lies within a dataset disease.</param>
    /// <exception cref="ArgumentException">The purpose states nothing to match, or the conditions are malformed.</exception>
    public static MatchResult Match(ResearchPurpose purpose, DataUseConditions conditions, IDiseaseHierarchy diseases)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(diseases);
        ValidatePurpose(purpose);
        ValidateConditions(conditions);

        var reasons = new List<MatchReason>();
        MatchPermission(purpose, conditions, diseases, reasons);
        MatchModifiers(purpose, conditions, diseases, reasons);
        MatchUnrestrictedCommercialUse(purpose, conditions, reasons);
        MatchClinicalCareWithoutCc(purpose, conditions, reasons);
        MatchSensitiveResearch(purpose, reasons);
        return new MatchResult(Combine(reasons), reasons);
    }

    private static MatchDecision Combine(List<MatchReason> reasons)
    {
        if (reasons.Exists(r => r.Decision == MatchDecision.Deny))
        {
            return MatchDecision.Deny;
        }

        return reasons.Exists(r => r.Decision == MatchDecision.Abstain) ? MatchDecision.Abstain : MatchDecision.Approve;
    }

    // ---- Validation ----

    private static void ValidatePurpose(ResearchPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose.Diseases);
        if (purpose.Diseases.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("The research purpose lists a blank disease term.", nameof(purpose));
        }

        var statesAPurpose = PartsOf(purpose).Any()
            || purpose.ClinicalCare
            || SensitiveAreasOf(purpose).Any()
            || !string.IsNullOrWhiteSpace(purpose.Other);
        if (!statesAPurpose)
        {
            throw new ArgumentException(
                "The research purpose states no purpose at all (no general, health/medical/biomedical, disease-specific, "
                + "population origins or ancestry, methods development, control, population variation, clinical care, "
                + "sensitive or other research), so there is nothing to match against the dataset's data-use conditions.",
                nameof(purpose));
        }
    }

    private static void ValidateConditions(DataUseConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions.Modifiers);
        ArgumentNullException.ThrowIfNull(conditions.Diseases);
        if (!IsKnownPermission(conditions.Permission))
        {
            throw new ArgumentException(
                $"The dataset's permission '{conditions.Permission}' is not one of {Term(DuoTerms.NRES)}, {Term(DuoTerms.GRU)}, "
                + $"{Term(DuoTerms.HMB)}, {Term(DuoTerms.DS)} or {Term(DuoTerms.POA)}.",
                nameof(conditions));
        }

        if (conditions.Permission == DuoTerms.DS && conditions.Diseases.Count == 0)
        {
            throw new ArgumentException(
                $"The dataset's permission is {Term(DuoTerms.DS)} but it names no disease the use is restricted to.",
                nameof(conditions));
        }

        if (conditions.Diseases.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("The dataset's data-use conditions list a blank disease term.", nameof(conditions));
        }

        if (conditions.Modifiers.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("The dataset's data-use conditions list a blank modifier.", nameof(conditions));
        }
    }

    private static bool IsKnownPermission(string? permission) =>
        permission is DuoTerms.NRES or DuoTerms.GRU or DuoTerms.HMB or DuoTerms.DS or DuoTerms.POA;

    // ---- Permission: the dataset's one permission against each part of the purpose ----

    private static IEnumerable<PurposePart> PartsOf(ResearchPurpose purpose)
    {
        if (purpose.GeneralResearch)
        {
            yield return PurposePart.GeneralResearch;
        }

        if (purpose.HealthMedicalBiomedical)
        {
            yield return PurposePart.HealthMedicalBiomedical;
        }

        if (purpose.Diseases.Count > 0)
        {
            yield return PurposePart.DiseaseSpecific;
        }

        if (purpose.PopulationOriginsAncestry)
        {
            yield return PurposePart.PopulationOriginsAncestry;
        }

        if (purpose.MethodsDevelopment)
        {
            yield return PurposePart.MethodsDevelopment;
        }

        if (purpose.ControlUse)
        {
            yield return PurposePart.ControlUse;
        }

        if (purpose.PopulationVariation)
        {
            yield return PurposePart.PopulationVariation;
        }
    }

    private static void MatchPermission(
        ResearchPurpose purpose, DataUseConditions conditions, IDiseaseHierarchy diseases, List<MatchReason> reasons)
    {
        foreach (var part in PartsOf(purpose))
        {
            if (conditions.Permission == DuoTerms.DS)
            {
                MatchDiseaseSpecificPermission(part, purpose, conditions, diseases, reasons);
            }
            else
            {
                MatchPlainPermission(part, purpose, conditions, reasons);
            }
        }
    }

    /// <summary>NRES, GRU, HMB and POA: whether the permission covers the part does not depend on diseases.</summary>
    private static void MatchPlainPermission(
        PurposePart part, ResearchPurpose purpose, DataUseConditions conditions, List<MatchReason> reasons)
    {
        var permits = conditions.Permission switch
        {
            DuoTerms.NRES or DuoTerms.GRU => true,
            DuoTerms.HMB => part is not (PurposePart.GeneralResearch or PurposePart.PopulationOriginsAncestry),
            _ => part is PurposePart.PopulationOriginsAncestry or PurposePart.MethodsDevelopment, // POA
        };
        var verdict = permits ? "so it permits" : "so it does not permit";
        reasons.Add(new MatchReason(
            DuoTerms.Shorthand(conditions.Permission),
            permits ? MatchDecision.Approve : MatchDecision.Deny,
            $"The dataset's permission {Term(conditions.Permission)} {PermissionLimit(conditions)}, {verdict} "
            + $"{Describe(part, purpose)}."));
    }

    /// <summary>DS(X1..Xn): only research within the dataset's diseases, plus methods development (DUOS v4).</summary>
    private static void MatchDiseaseSpecificPermission(
        PurposePart part,
        ResearchPurpose purpose,
        DataUseConditions conditions,
        IDiseaseHierarchy diseases,
        List<MatchReason> reasons)
    {
        switch (part)
        {
            case PurposePart.DiseaseSpecific:
                foreach (var purposeDisease in purpose.Diseases)
                {
                    reasons.Add(MatchPurposeDisease(purposeDisease, conditions.Diseases, diseases));
                }

                break;

            case PurposePart.HealthMedicalBiomedical when purpose.Diseases.Count > 0:
                reasons.Add(Reason(
                    DuoTerms.DS,
                    MatchDecision.Approve,
                    $"The purpose's health, medical or biomedical research is limited to the disease(s) "
                    + $"{Join(purpose.Diseases)}, which is the kind of research {Term(DuoTerms.DS)} permits; "
                    + "whether each disease lies within the dataset's disease(s) is judged separately."));
                break;

            case PurposePart.MethodsDevelopment:
                reasons.Add(Reason(
                    DuoTerms.DS,
                    MatchDecision.Approve,
                    $"The dataset's permission {Term(DuoTerms.DS)} {PermissionLimit(conditions)}; DUOS (version 4) permits "
                    + $"methods development on such data unless the dataset also carries {Term(DuoTerms.NMDS)}."));
                break;

            case PurposePart.ControlUse:
                reasons.Add(MatchControlUseOnDiseaseSpecific(purpose, conditions, diseases));
                break;

            default:
                var extra = part == PurposePart.HealthMedicalBiomedical
                    ? " Health, medical or biomedical research that names no disease is broader than the consented disease(s)."
                    : string.Empty;
                reasons.Add(Reason(
                    DuoTerms.DS,
                    MatchDecision.Deny,
                    $"The dataset's permission {Term(DuoTerms.DS)} {PermissionLimit(conditions)}, so it does not permit "
                    + $"{Describe(part, purpose)}.{extra}"));
                break;
        }
    }

    private static MatchReason MatchPurposeDisease(
        string purposeDisease, IReadOnlyList<string> datasetDiseases, IDiseaseHierarchy diseases)
    {
        var within = DatasetDiseaseCovering(purposeDisease, datasetDiseases, diseases);
        if (within is not null)
        {
            var relation = string.Equals(purposeDisease, within, StringComparison.Ordinal)
                ? $"is the dataset's disease {within}"
                : $"is a subtype of the dataset's disease {within}";
            return Reason(
                DuoTerms.DS,
                MatchDecision.Approve,
                $"The purpose disease {purposeDisease} {relation}, so {Term(DuoTerms.DS)} permits research on it.");
        }

        var narrower = datasetDiseases.FirstOrDefault(d => diseases.IsSameOrDescendant(d, purposeDisease));
        if (narrower is not null)
        {
            return Reason(
                DuoTerms.DS,
                MatchDecision.Deny,
                $"The purpose disease {purposeDisease} is broader than the dataset's disease {narrower}: "
                + $"{Term(DuoTerms.DS)} permits research only on {narrower} or its subtypes, not on the wider disease area "
                + "the participants did not consent to.");
        }

        return Reason(
            DuoTerms.DS,
            MatchDecision.Deny,
            $"The purpose disease {purposeDisease} is neither the same as nor a subtype of the dataset's disease(s) "
            + $"{Join(datasetDiseases)}, so {Term(DuoTerms.DS)} does not permit research on it.");
    }

    /// <summary>DUOS v2: control use of DS data only when the purpose names diseases that all match.</summary>
    private static MatchReason MatchControlUseOnDiseaseSpecific(
        ResearchPurpose purpose, DataUseConditions conditions, IDiseaseHierarchy diseases)
    {
        if (purpose.Diseases.Count == 0)
        {
            return Reason(
                DuoTerms.DS,
                MatchDecision.Deny,
                $"The dataset's permission {Term(DuoTerms.DS)} {PermissionLimit(conditions)}; its data may serve as "
                + "controls only for research on a matching disease, and the purpose names no disease.");
        }

        var unmatched = UnmatchedPurposeDiseases(purpose, conditions, diseases);
        if (unmatched.Count > 0)
        {
            return Reason(
                DuoTerms.DS,
                MatchDecision.Deny,
                $"The dataset's permission {Term(DuoTerms.DS)} {PermissionLimit(conditions)}; its data may serve as "
                + $"controls only for research on a matching disease, and the purpose disease(s) {Join(unmatched)} "
                + "do not match.");
        }

        return Reason(
            DuoTerms.DS,
            MatchDecision.Approve,
            $"The purpose disease(s) {Join(purpose.Diseases)} lie within the dataset's disease(s) "
            + $"{Join(conditions.Diseases)}, so {Term(DuoTerms.DS)} permits using the data as controls for that research.");
    }

    // ---- Modifiers ----

    private static void MatchModifiers(
        ResearchPurpose purpose, DataUseConditions conditions, IDiseaseHierarchy diseases, List<MatchReason> reasons)
    {
        foreach (var modifier in conditions.Modifiers.Distinct(StringComparer.Ordinal))
        {
            reasons.Add(modifier switch
            {
                DuoTerms.NMDS => MatchNoMethodsDevelopment(purpose, conditions, diseases),
                DuoTerms.NPOA => MatchNoPopulationOriginsAncestry(purpose),
                DuoTerms.NPUNCU => MatchNotForProfitNonCommercial(purpose),
                DuoTerms.NPU => MatchNotForProfitOrganisation(purpose),
                DuoTerms.NCU => MatchNonCommercialUse(purpose),
                DuoTerms.CC => MatchClinicalCare(purpose),
                _ => AbstainOnModifier(modifier),
            });
        }
    }

    private static MatchReason MatchNoMethodsDevelopment(
        ResearchPurpose purpose, DataUseConditions conditions, IDiseaseHierarchy diseases)
    {
        if (!purpose.MethodsDevelopment)
        {
            return Reason(
                DuoTerms.NMDS,
                MatchDecision.Approve,
                $"The dataset carries {Term(DuoTerms.NMDS)}, which forbids methods development; the purpose does not "
                + "include methods development.");
        }

        var diseaseSpecificMatch = conditions.Permission == DuoTerms.DS
            && purpose.Diseases.Count > 0
            && UnmatchedPurposeDiseases(purpose, conditions, diseases).Count == 0;
        if (diseaseSpecificMatch)
        {
            return Reason(
                DuoTerms.NMDS,
                MatchDecision.Approve,
                $"The dataset carries {Term(DuoTerms.NMDS)}, which forbids methods development outside the bounds of its "
                + $"other restrictions; the purpose's methods development is tied to the disease(s) {Join(purpose.Diseases)}, "
                + $"which lie within the dataset's {Term(DuoTerms.DS)} disease(s) {Join(conditions.Diseases)}, so it is "
                + "permitted.");
        }

        var why = conditions.Permission == DuoTerms.DS
            ? $" and is not tied to disease(s) within the dataset's {Term(DuoTerms.DS)} disease(s) {Join(conditions.Diseases)}"
            : string.Empty;
        return Reason(
            DuoTerms.NMDS,
            MatchDecision.Deny,
            $"The dataset carries {Term(DuoTerms.NMDS)}, which forbids methods development outside the bounds of its other "
            + $"restrictions; the purpose includes methods development{why}.");
    }

    private static MatchReason MatchNoPopulationOriginsAncestry(ResearchPurpose purpose) =>
        purpose.PopulationOriginsAncestry
            ? Reason(
                DuoTerms.NPOA,
                MatchDecision.Deny,
                $"The dataset carries {Term(DuoTerms.NPOA)}, which forbids population origins or ancestry research, and "
                + "the purpose includes it.")
            : Reason(
                DuoTerms.NPOA,
                MatchDecision.Approve,
                $"The dataset carries {Term(DuoTerms.NPOA)}, which forbids population origins or ancestry research; the "
                + "purpose does not include it.");

    private static MatchReason MatchNotForProfitNonCommercial(ResearchPurpose purpose)
    {
        var violations = new List<string>();
        if (purpose.Commercial)
        {
            violations.Add("the use is commercial");
        }

        if (purpose.ForProfitOrganisation)
        {
            violations.Add("the requesting organisation is for-profit");
        }

        return violations.Count > 0
            ? Reason(
                DuoTerms.NPUNCU,
                MatchDecision.Deny,
                $"The dataset carries {Term(DuoTerms.NPUNCU)}, which limits use to not-for-profit organisations and "
                + $"non-commercial use, but {string.Join(" and ", violations)}.")
            : Reason(
                DuoTerms.NPUNCU,
                MatchDecision.Approve,
                $"The dataset carries {Term(DuoTerms.NPUNCU)}; the use is non-commercial and the requesting organisation is "
                + "not-for-profit.");
    }

    private static MatchReason MatchNotForProfitOrganisation(ResearchPurpose purpose) =>
        purpose.ForProfitOrganisation
            ? Reason(
                DuoTerms.NPU,
                MatchDecision.Deny,
                $"The dataset carries {Term(DuoTerms.NPU)}, which limits use to not-for-profit organisations, but the "
                + "requesting organisation is for-profit.")
            : Reason(
                DuoTerms.NPU,
                MatchDecision.Approve,
                $"The dataset carries {Term(DuoTerms.NPU)}, which limits use to not-for-profit organisations; the requesting "
                + "organisation is not-for-profit.");

    private static MatchReason MatchNonCommercialUse(ResearchPurpose purpose) =>
        purpose.Commercial
            ? Reason(
                DuoTerms.NCU,
                MatchDecision.Deny,
                $"The dataset carries {Term(DuoTerms.NCU)}, which limits use to non-commercial use, but the use is commercial.")
            : Reason(
                DuoTerms.NCU,
                MatchDecision.Approve,
                $"The dataset carries {Term(DuoTerms.NCU)}, which limits use to non-commercial use; the use is not commercial.");

    private static MatchReason MatchClinicalCare(ResearchPurpose purpose) =>
        Reason(
            DuoTerms.CC,
            MatchDecision.Approve,
            purpose.ClinicalCare
                ? $"The dataset carries {Term(DuoTerms.CC)}, which allows clinical use and care, so it permits the purpose's "
                  + "clinical care."
                : $"The dataset carries {Term(DuoTerms.CC)}, which allows clinical use and care; the purpose does not include "
                  + "clinical care.");

    /// <summary>Modifiers whose requirement the purpose cannot show (DUOS abstains), and modifiers the matcher does not know.</summary>
    private static MatchReason AbstainOnModifier(string modifier)
    {
        var requirement = HumanCheckedRequirement(modifier);
        return requirement is null
            ? new MatchReason(
                modifier,
                MatchDecision.Abstain,
                $"The dataset carries the modifier {modifier}, which the matcher does not know, so a committee must check "
                + "what it requires.")
            : Reason(
                modifier,
                MatchDecision.Abstain,
                $"The dataset carries {Term(modifier)}: {requirement}. The research purpose cannot show this, so a committee "
                + "must check it.");
    }

    private static string? HumanCheckedRequirement(string modifier) => modifier switch
    {
        DuoTerms.GSO => "use is limited to genetic studies (genotype research alone, or genotype and phenotype research, "
            + "but not phenotype research exclusively)",
        DuoTerms.PUB => "the requester must make the results of studies using the data available to the larger scientific "
            + "community",
        DuoTerms.COL => "the requester must agree to collaborate with the primary study investigator(s)",
        DuoTerms.IRB => "the requester must provide documentation of local ethics (IRB/ERB) approval",
        DuoTerms.GS => "use is limited to within a specific geographic region",
        DuoTerms.MOR => "the requester must not publish results of studies until a specific date",
        DuoTerms.TS => "use is approved for a specific number of months only",
        DuoTerms.US => "use is limited to approved users",
        DuoTerms.PS => "use is limited to an approved project",
        DuoTerms.IS => "use is limited to an approved institution",
        DuoTerms.RTN => "the requester must return derived or enriched data to the database or resource",
        DuoTerms.RS => "use is limited to studies of a certain research type",
        _ => null,
    };

    /// <summary>A commercial or for-profit purpose on a dataset with no NPUNCU, NPU or NCU: say why it passes.</summary>
    private static void MatchUnrestrictedCommercialUse(
        ResearchPurpose purpose, DataUseConditions conditions, List<MatchReason> reasons)
    {
        var restricted = conditions.Modifiers.Any(m => m is DuoTerms.NPUNCU or DuoTerms.NPU or DuoTerms.NCU);
        if ((purpose.Commercial || purpose.ForProfitOrganisation) && !restricted)
        {
            reasons.Add(new MatchReason(
                CommercialUseRule,
                MatchDecision.Approve,
                $"The dataset carries none of {Term(DuoTerms.NPUNCU)}, {Term(DuoTerms.NPU)} or {Term(DuoTerms.NCU)}, so "
                + "neither commercial use nor use by a for-profit organisation is restricted."));
        }
    }

    /// <summary>Clinical care needs CC on the dataset.</summary>
    private static void MatchClinicalCareWithoutCc(
        ResearchPurpose purpose, DataUseConditions conditions, List<MatchReason> reasons)
    {
        if (purpose.ClinicalCare && conditions.Permission == DuoTerms.NRES)
        {
            reasons.Add(Reason(
                DuoTerms.NRES,
                MatchDecision.Approve,
                $"The dataset's permission {Term(DuoTerms.NRES)} places no restriction on use, clinical care included."));
        }
        else if (purpose.ClinicalCare && !conditions.Modifiers.Contains(DuoTerms.CC, StringComparer.Ordinal))
        {
            reasons.Add(Reason(
                DuoTerms.CC,
                MatchDecision.Deny,
                $"The purpose includes clinical care, which needs the modifier {Term(DuoTerms.CC)}, and the dataset does "
                + "not carry it."));
        }
    }

    // ---- Sensitive research areas and other purposes (DUOS abstains) ----

    private static IEnumerable<string> SensitiveAreasOf(ResearchPurpose purpose)
    {
        if (!string.IsNullOrWhiteSpace(purpose.Gender))
        {
            yield return $"is limited to one gender ({purpose.Gender.Trim()})";
        }

        if (purpose.Pediatric)
        {
            yield return "is limited to a pediatric population (under the age of 18)";
        }

        if (purpose.IllegalBehavior)
        {
            yield return "studies illegal behaviours (violence, domestic abuse, prostitution, sexual victimization)";
        }

        if (purpose.SexualDiseases)
        {
            yield return "studies sexual preferences or sexually transmitted diseases";
        }

        if (purpose.StigmatizingDiseases)
        {
            yield return "studies stigmatizing illnesses";
        }

        if (purpose.VulnerablePopulations)
        {
            yield return "targets a vulnerable population (children, prisoners, pregnant women, mentally disabled persons, "
                + "or significantly economically or educationally disadvantaged persons)";
        }

        if (purpose.PsychologicalTraits)
        {
            yield return "studies psychological traits, intelligence or attention";
        }

        if (purpose.NotHealth)
        {
            yield return "correlates ethnicity, race or gender with genotypic or phenotypic variables for purposes beyond "
                + "biomedical or health-related research";
        }
    }

    private static void MatchSensitiveResearch(ResearchPurpose purpose, List<MatchReason> reasons)
    {
        foreach (var area in SensitiveAreasOf(purpose))
        {
            reasons.Add(new MatchReason(
                SensitiveResearchRule,
                MatchDecision.Abstain,
                $"The purpose {area}. DUOS renders no decision on sensitive research areas, so a committee must review it."));
        }

        if (!string.IsNullOrWhiteSpace(purpose.Other))
        {
            reasons.Add(new MatchReason(
                OtherPurposeRule,
                MatchDecision.Abstain,
                $"The purpose includes another use, described as \"{purpose.Other.Trim()}\". DUOS renders no decision on "
                + "purposes given only as free text, so a committee must review it."));
        }
    }

    // ---- Helpers ----

    private static string? DatasetDiseaseCovering(
        string purposeDisease, IReadOnlyList<string> datasetDiseases, IDiseaseHierarchy diseases) =>
        datasetDiseases.FirstOrDefault(d => diseases.IsSameOrDescendant(purposeDisease, d));

    private static List<string> UnmatchedPurposeDiseases(
        ResearchPurpose purpose, DataUseConditions conditions, IDiseaseHierarchy diseases) =>
        purpose.Diseases.Where(d => DatasetDiseaseCovering(d, conditions.Diseases, diseases) is null).ToList();

    /// <summary>What the dataset's permission limits use to, as a clause: "limits use to ...".</summary>
    private static string PermissionLimit(DataUseConditions conditions) => conditions.Permission switch
    {
        DuoTerms.NRES => "places no restriction on use",
        DuoTerms.GRU => "allows research use for any purpose",
        DuoTerms.HMB => "limits use to health, medical or biomedical research, not including the study of population "
            + "origins or ancestry",
        DuoTerms.DS => $"limits use to research related to the disease(s) {Join(conditions.Diseases)}",
        _ => "limits use to the study of population origins or ancestry", // POA
    };

    private static string Describe(PurposePart part, ResearchPurpose purpose) => part switch
    {
        PurposePart.GeneralResearch => "general research that is not limited to health",
        PurposePart.HealthMedicalBiomedical => "health, medical or biomedical research",
        PurposePart.DiseaseSpecific => $"research on the disease(s) {Join(purpose.Diseases)}",
        PurposePart.PopulationOriginsAncestry => "research on population origins or ancestry",
        PurposePart.MethodsDevelopment => "methods development (new methods, software or algorithms, or their validation)",
        PurposePart.ControlUse => "using the data as controls for a comparison group",
        _ => "the study of variation in the general population", // PopulationVariation
    };

    /// <summary>A term as a committee reads it: shorthand and id, e.g. "DS (DUO:0000007)".</summary>
    private static string Term(string id)
    {
        var shorthand = DuoTerms.Shorthand(id);
        return string.Equals(shorthand, id, StringComparison.Ordinal) ? id : $"{shorthand} ({id})";
    }

    private static MatchReason Reason(string term, MatchDecision decision, string explanation) =>
        new(DuoTerms.Shorthand(term), decision, explanation);

    private static string Join(IEnumerable<string> terms) => string.Join(", ", terms);
}
