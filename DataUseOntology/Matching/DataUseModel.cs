namespace GenomeNode.DataUseOntology.Matching;

/// <summary>
/// What a researcher says the data will be used for: the research-purpose questions of DUOS (data-use schema v4)
/// and the purposes DUO names. A purpose may combine several parts (e.g. disease-specific and methods development);
/// each is matched on its own and all must be approved.
/// </summary>
public sealed record ResearchPurpose
{
    /// <summary>Research of any kind, not limited to health (the use GRU permits).</summary>
    public bool GeneralResearch { get; init; }

    /// <summary>Health, medical or biomedical research (DUOS <c>hmbResearch</c>).</summary>
    public bool HealthMedicalBiomedical { get; init; }

    /// <summary>Disease-specific research on these disease terms (CURIEs such as MONDO:0007254; DUOS <c>diseaseRestrictions</c>).</summary>
    public IReadOnlyList<string> Diseases { get; init; } = [];

    /// <summary>Study of population origins or ancestry (DUOS <c>populationOriginsAncestry</c>).</summary>
    public bool PopulationOriginsAncestry { get; init; }

    /// <summary>Developing or validating methods, software or algorithms (DUOS <c>methodsResearch</c>).</summary>
    public bool MethodsDevelopment { get; init; }

    /// <summary>Using the data as controls for a comparison group (DUOS <c>controls</c>).</summary>
    public bool ControlUse { get; init; }

    /// <summary>Studying variation in the general population, e.g. calling variants (DUOS <c>population</c>).</summary>
    public bool PopulationVariation { get; init; }

    /// <summary>Use in clinical care (what DUO's CC modifier allows).</summary>
    public bool ClinicalCare { get; init; }

    /// <summary>The use is commercial (what NCU and NPUNCU forbid).</summary>
    public bool Commercial { get; init; }

    /// <summary>The requesting organisation is for-profit (what NPU and NPUNCU forbid).</summary>
    public bool ForProfitOrganisation { get; init; }

    // Sensitive research areas: DUOS renders no decision on them; a committee must look (ABSTAIN).

    /// <summary>Limited to one gender ("F" or "M"), or null.</summary>
    public string? Gender { get; init; }

    public bool Pediatric { get; init; }

    public bool IllegalBehavior { get; init; }

    public bool SexualDiseases { get; init; }

    public bool StigmatizingDiseases { get; init; }

    public bool VulnerablePopulations { get; init; }

    public bool PsychologicalTraits { get; init; }

    /// <summary>Correlating ethnicity, race or gender with genotypes or phenotypes beyond health research.</summary>
    public bool NotHealth { get; init; }

    /// <summary>Any other purpose, in free text.</summary>
    public string? Other { get; init; }
}

/// <summary>
/// A dataset's data-use conditions in DUO terms: exactly one permission (NRES, GRU, HMB, DS or POA), any number of
/// modifiers (descendants of DUO:0000017), and, for DS, the disease terms the use is restricted to.
/// </summary>
public sealed record DataUseConditions(string Permission, IReadOnlyList<string> Modifiers, IReadOnlyList<string> Diseases);

public enum MatchDecision
{
    Approve,
    Deny,
    Abstain,
}

/// <summary>One rule's verdict: which rule (e.g. "DS", "NPU", "sensitive research"), what it decided, and why.</summary>
public sealed record MatchReason(string Rule, MatchDecision Decision, string Explanation);

/// <summary>The overall decision and every rule's verdict that led to it.</summary>
public sealed record MatchResult(MatchDecision Decision, IReadOnlyList<MatchReason> Reasons);

/// <summary>The disease ontology's hierarchy, as far as one is loaded.</summary>
public interface IDiseaseHierarchy
{
    /// <summary>True when <paramref name="term"/> is <paramref name="ancestor"/> or one of its descendants.</summary>
    bool IsSameOrDescendant(string term, string ancestor);
}

/// <summary>The hierarchy when no disease ontology is loaded: a term matches only itself.</summary>
public sealed class ExactDiseaseMatch : IDiseaseHierarchy
{
    public static ExactDiseaseMatch Instance { get; } = new();

    public bool IsSameOrDescendant(string term, string ancestor) => string.Equals(term, ancestor, StringComparison.Ordinal);
}
