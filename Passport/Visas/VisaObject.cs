namespace GenomeNode.Passport.Visas;

/// <summary>The standard visa types of GA4GH Passport 1.2; a clearinghouse ignores every other (custom) type.</summary>
public static class VisaTypes
{
    public const string AffiliationAndRole = "AffiliationAndRole";
    public const string AcceptedTermsAndPolicies = "AcceptedTermsAndPolicies";
    public const string ResearcherStatus = "ResearcherStatus";
    public const string ControlledAccessGrants = "ControlledAccessGrants";
    public const string LinkedIdentities = "LinkedIdentities";

    public static IReadOnlySet<string> Standard { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        AffiliationAndRole, AcceptedTermsAndPolicies, ResearcherStatus, ControlledAccessGrants, LinkedIdentities,
    };
}

/// <summary>
/// The <c>ga4gh_visa_v1</c> object of a visa: what was asserted (<see cref="Type"/>, <see cref="Value"/>), by whom
/// (<see cref="Source"/>, <see cref="By"/>), when (<see cref="Asserted"/>, seconds since the epoch), and the
/// <see cref="Conditions"/> under which it holds (null when the visa has none).
/// </summary>
public sealed record VisaObject(string Type, long Asserted, string Value, string Source, string? By, VisaConditions? Conditions = null)
{
    /// <summary>The visa object claim a condition clause may name, or null for any other name.</summary>
    public string? StringClaim(string name) => name switch
    {
        "type" => Type,
        "value" => Value,
        "source" => Source,
        "by" => By,
        _ => null,
    };
}
