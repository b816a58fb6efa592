using System.Text.Json;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Visas;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>The access rule as a plain function over validated passports built by hand.</summary>
public sealed class AccessDeciderTests
{
    private const string Broker = "https://broker.test.example";
    private const string Dac = "https://dac.test.example";
    private const string Subject = "researcher-1";
    private const string BonaFide = PassportOptions.RegisteredAccessBonaFide;
    private const string Grant = "https://dac.test.example/datasets/EGAD00000000001";

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly PassportOptions Policy = new();

    private static readonly Dataset PublicSet = new("ds-public", "Public", null, AccessTier.Public, false, Now);
    private static readonly Dataset RegisteredSet = new("ds-registered", "Registered", null, AccessTier.Registered, false, Now);
    private static readonly Dataset ControlledSet = new("ds-controlled", "Controlled", null, AccessTier.Controlled, false, Now, Grant);

    // ----- public -----

    [Fact]
    public void A_public_dataset_is_granted_without_a_passport()
    {
        var decision = AccessDecider.Decide(PublicSet, null, Now, Policy);

        Assert.True(decision.Granted);
        Assert.Equal(AccessGrant.Public, decision.Grant);
        Assert.Equal("ds-public", decision.DatasetId);
    }

    [Fact]
    public void A_public_dataset_is_granted_with_an_empty_passport_too() =>
        Assert.Equal(AccessGrant.Public, AccessDecider.Decide(PublicSet, Passport(), Now, Policy).Grant);

    [Theory]
    [InlineData(AccessTier.Registered)]
    [InlineData(AccessTier.Controlled)]
    public void A_registered_or_controlled_dataset_is_denied_without_a_passport(AccessTier tier)
    {
        var decision = AccessDecider.Decide(new Dataset("ds", "D", null, tier, false, Now, Grant), null, Now, Policy);

        Assert.False(decision.Granted);
        Assert.Contains("no passport was given", decision.Reason, StringComparison.Ordinal);
    }

    // ----- registered -----

    [Fact]
    public void Registered_access_is_granted_with_terms_and_researcher_status_for_the_same_policy()
    {
        var decision = AccessDecider.Decide(RegisteredSet, Passport(Terms(), Status()), Now, Policy);

        Assert.True(decision.Granted, decision.Reason);
        Assert.Equal(AccessGrant.Registered, decision.Grant);
    }

    [Fact]
    public void Registered_access_lasts_until_the_earlier_of_the_two_visas_expires()
    {
        var decision = AccessDecider.Decide(RegisteredSet, Passport(Terms(expires: Now.AddDays(30)), Status(expires: Now.AddHours(2))), Now, Policy);

        Assert.Equal(Now.AddHours(2), decision.Until);
    }

    [Fact]
    public void Registered_access_is_denied_with_accepted_terms_alone()
    {
        var decision = AccessDecider.Decide(RegisteredSet, Passport(Terms()), Now, Policy);

        Assert.False(decision.Granted);
        Assert.Contains("no unexpired AcceptedTermsAndPolicies and ResearcherStatus visas", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Registered_access_is_denied_with_researcher_status_alone() =>
        Assert.False(AccessDecider.Decide(RegisteredSet, Passport(Status()), Now, Policy).Granted);

    [Fact]
    public void Registered_access_is_denied_when_the_two_visas_name_different_policies()
    {
        var other = "https://example.org/another-registered-access-policy";
        var policy = new PassportOptions { RegisteredAccessPolicies = [BonaFide, other] };

        var decision = AccessDecider.Decide(RegisteredSet, Passport(Terms(BonaFide), Status(other)), Now, policy);

        Assert.False(decision.Granted);
        Assert.True(AccessDecider.Decide(RegisteredSet, Passport(Terms(other), Status(other)), Now, policy).Granted);
    }

    [Fact]
    public void Registered_access_is_denied_for_a_policy_the_node_does_not_list()
    {
        const string unknown = "https://example.org/not-a-registered-access-policy";

        Assert.False(AccessDecider.Decide(RegisteredSet, Passport(Terms(unknown), Status(unknown)), Now, Policy).Granted);
    }

    [Fact]
    public void A_researcher_status_asserted_by_the_researcher_themselves_does_not_count()
    {
        var decision = AccessDecider.Decide(RegisteredSet, Passport(Terms(by: "self"), Status(by: "self")), Now, Policy);

        Assert.False(decision.Granted);
        Assert.Contains("ResearcherStatus visa for", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("asserted by 'self'", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("Passport:AcceptedBy:ResearcherStatus", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_visa_without_by_never_counts()
    {
        var decision = AccessDecider.Decide(RegisteredSet, Passport(Terms(), Status(by: null)), Now, Policy);

        Assert.False(decision.Granted);
        Assert.Contains("asserted by 'unknown'", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_accepted_by_values_are_configurable()
    {
        var policy = new PassportOptions { AcceptedBy = new AcceptedByOptions { ResearcherStatus = ["peer"] } };

        Assert.True(AccessDecider.Decide(RegisteredSet, Passport(Terms(), Status(by: "peer")), Now, policy).Granted);
        Assert.False(AccessDecider.Decide(RegisteredSet, Passport(Terms(), Status(by: "so")), Now, policy).Granted);
    }

    // ----- controlled -----

    [Fact]
    public void A_controlled_dataset_is_granted_by_a_grant_with_exactly_its_visa_value()
    {
        var decision = AccessDecider.Decide(ControlledSet, Passport(ControlledGrant()), Now, Policy);

        Assert.True(decision.Granted, decision.Reason);
        Assert.Equal(AccessGrant.Controlled, decision.Grant);
        Assert.Contains(Dac, decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://dac.test.example/datasets/egad00000000001")]
    [InlineData("https://DAC.test.example/datasets/EGAD00000000001")]
    [InlineData("https://dac.test.example/datasets/EGAD00000000001/")]
    [InlineData("https://dac.test.example/datasets/EGAD0000000000")]
    [InlineData("https://dac.test.example/datasets/EGAD00000000001 ")]
    [InlineData("EGAD00000000001")]
    public void A_grant_whose_value_differs_in_any_way_is_denied(string value)
    {
        var decision = AccessDecider.Decide(ControlledSet, Passport(ControlledGrant(value)), Now, Policy);

        Assert.False(decision.Granted);
        Assert.Contains($"no usable ControlledAccessGrants visa for {Grant}", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dac", true)]
    [InlineData("so", true)]
    [InlineData("system", true)]
    [InlineData("self", false)]
    [InlineData("peer", false)]
    [InlineData("DAC", false)]
    [InlineData(null, false)]
    public void A_grant_counts_only_when_asserted_by_an_accepted_party(string? by, bool granted) =>
        Assert.Equal(granted, AccessDecider.Decide(ControlledSet, Passport(ControlledGrant(by: by)), Now, Policy).Granted);

    [Fact]
    public void A_grant_that_expired_after_the_passport_was_validated_is_denied()
    {
        var passport = Passport(ControlledGrant(expires: Now.AddMinutes(10)));

        var decision = AccessDecider.Decide(ControlledSet, passport, Now.AddMinutes(20), Policy);

        Assert.False(decision.Granted);
        Assert.Contains("1 visa(s) expired since the passport was validated", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grant_expired_within_the_clock_skew_still_counts()
    {
        var passport = Passport(ControlledGrant(expires: Now.AddSeconds(-10)));

        Assert.True(AccessDecider.Decide(ControlledSet, passport, Now, Policy).Granted);
    }

    [Fact]
    public void A_grant_with_conditions_met_by_another_visa_is_granted()
    {
        var grant = ControlledGrant(conditions: Conditions("""[[{ "type": "AffiliationAndRole", "value": "pattern:*@uni.test.example", "by": "const:so" }]]"""));

        var met = AccessDecider.Decide(ControlledSet, Passport(grant, Affiliation("faculty@uni.test.example")), Now, Policy);
        var unmet = AccessDecider.Decide(ControlledSet, Passport(grant, Affiliation("faculty@elsewhere.test.example")), Now, Policy);
        var alone = AccessDecider.Decide(ControlledSet, Passport(grant), Now, Policy);

        Assert.True(met.Granted, met.Reason);
        Assert.False(unmet.Granted);
        Assert.Contains("has conditions the passport's other visas do not meet", unmet.Reason, StringComparison.Ordinal);
        Assert.False(alone.Granted);
    }

    [Fact]
    public void A_condition_is_not_met_by_a_visa_that_has_expired()
    {
        var grant = ControlledGrant(conditions: Conditions("""[[{ "type": "AffiliationAndRole", "value": "const:faculty@uni.test.example" }]]"""));
        var passport = Passport(grant, Affiliation("faculty@uni.test.example", expires: Now.AddMinutes(5)));

        Assert.True(AccessDecider.Decide(ControlledSet, passport, Now, Policy).Granted);
        Assert.False(AccessDecider.Decide(ControlledSet, passport, Now.AddMinutes(10), Policy).Granted);
    }

    [Fact]
    public void A_condition_is_not_met_by_a_visa_that_is_itself_conditional()
    {
        var conditions = Conditions("""[[{ "type": "AffiliationAndRole", "value": "const:faculty@uni.test.example" }]]""");
        var grant = ControlledGrant(conditions: conditions);
        var conditionalAffiliation = Affiliation("faculty@uni.test.example", conditions: Conditions("""[[{ "type": "ResearcherStatus", "value": "const:x" }]]"""));

        Assert.False(AccessDecider.Decide(ControlledSet, Passport(grant, conditionalAffiliation), Now, Policy).Granted);
    }

    [Fact]
    public void A_controlled_dataset_without_a_visa_value_is_never_granted()
    {
        var dataset = ControlledSet with { VisaValue = null };

        var decision = AccessDecider.Decide(dataset, Passport(ControlledGrant()), Now, Policy);

        Assert.False(decision.Granted);
        Assert.Contains("without a visa value", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_controlled_grant_lasts_until_its_visa_expires()
    {
        var decision = AccessDecider.Decide(ControlledSet, Passport(ControlledGrant(expires: Now.AddHours(3)), Terms(expires: Now.AddHours(1))), Now, Policy);

        Assert.Equal(Now.AddHours(3), decision.Until);
    }

    [Fact]
    public void A_conditional_grant_lasts_only_until_the_visa_meeting_its_condition_expires()
    {
        var grant = ControlledGrant(expires: Now.AddDays(30), conditions: Conditions("""[[{ "type": "AffiliationAndRole", "value": "const:faculty@uni.test.example" }]]"""));
        var affiliation = Affiliation("faculty@uni.test.example", expires: Now.AddHours(1));

        var decision = AccessDecider.Decide(ControlledSet, Passport(grant, affiliation), Now, Policy);

        Assert.True(decision.Granted, decision.Reason);
        Assert.Equal(Now.AddHours(1), decision.Until);
    }

    [Fact]
    public void A_conditional_grant_uses_the_longest_lasting_visa_that_meets_its_condition()
    {
        var grant = ControlledGrant(expires: Now.AddDays(30), conditions: Conditions("""[[{ "type": "AffiliationAndRole", "value": "pattern:faculty@*" }]]"""));

        var decision = AccessDecider.Decide(ControlledSet,
            Passport(grant, Affiliation("faculty@a.test.example", expires: Now.AddHours(1)), Affiliation("faculty@b.test.example", expires: Now.AddDays(2))), Now, Policy);

        Assert.Equal(Now.AddDays(2), decision.Until);
    }

    [Fact]
    public void A_denial_names_the_visas_the_clearinghouse_ignored()
    {
        var passport = Passport() with
        {
            Ignored = [new IgnoredVisa(0, new Rejection(ValidationStep.TrustedIssuer, "issuer 'x' with jku 'y' is not a trusted visa issuer"))],
        };

        var decision = AccessDecider.Decide(ControlledSet, passport, Now, Policy);

        Assert.Contains("visa 0 ignored at trusted issuer: issuer 'x'", decision.Reason, StringComparison.Ordinal);
    }

    // ----- building passports -----

    private static ValidatedPassport Passport(params AcceptedVisa[] visas) => new(Broker, Subject, Now.AddHours(1), visas, []);

    private static AcceptedVisa Visa(string type, string value, string? by, DateTimeOffset? expires, VisaConditions? conditions = null) =>
        new(Dac, Subject, Now.AddDays(-1), expires ?? Now.AddDays(1),
            new VisaObject(type, Now.AddDays(-10).ToUnixTimeSeconds(), value, "https://grid.ac/institutes/grid.test", by, conditions));

    private static AcceptedVisa Terms(string value = BonaFide, string? by = "self", DateTimeOffset? expires = null) =>
        Visa(VisaTypes.AcceptedTermsAndPolicies, value, by, expires);

    private static AcceptedVisa Status(string value = BonaFide, string? by = "so", DateTimeOffset? expires = null) =>
        Visa(VisaTypes.ResearcherStatus, value, by, expires);

    private static AcceptedVisa ControlledGrant(string value = Grant, string? by = "dac", DateTimeOffset? expires = null, VisaConditions? conditions = null) =>
        Visa(VisaTypes.ControlledAccessGrants, value, by, expires, conditions);

    private static AcceptedVisa Affiliation(string value, DateTimeOffset? expires = null, VisaConditions? conditions = null) =>
        Visa(VisaTypes.AffiliationAndRole, value, "so", expires, conditions);

    private static VisaConditions Conditions(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(VisaConditions.TryParse(document.RootElement, out var conditions, out var error), error);
        return conditions!;
    }
}
