using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Visas;
using GenomeNode.Tests;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>
/// Visa identities are (sub, iss) pairs (Passport 1.2): a visa counts for the passport's holder when its identity is the
/// passport's, is linked to it by LinkedIdentities visas of trusted issuers, or its issuer is configured to use the
/// passport's broker's subject identifiers (<c>SubjectsOfBroker</c>). The same sub at another issuer is someone else.
/// </summary>
public sealed class VisaIdentityTests
{
    private const string Subject = "researcher-1@broker.test.example";
    private const string Grant = "https://dac.test.example/datasets/EGAD00000000001";
    private const string SubjectsOfBrokerKey = "Passport:TrustedVisaIssuers:0:SubjectsOfBroker";

    private static readonly Dataset ControlledSet = new("ds-controlled", "Controlled", null, AccessTier.Controlled, false, DateTimeOffset.UnixEpoch, Grant);

    /// <summary>The fixture's trust lists, without the committee's SubjectsOfBroker: every identity is its own pair.</summary>
    private static TestClearinghouse StrictNode() => new((_, settings) => settings.Remove(SubjectsOfBrokerKey));

    [Fact]
    public async Task A_visa_of_another_trusted_issuer_with_the_passports_sub_but_no_link_is_ignored_and_grants_nothing()
    {
        using var node = StrictNode();
        var passport = await AcceptedAsync(node, node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]));

        Assert.Empty(passport.Visas);
        var ignored = Assert.Single(passport.Ignored);
        Assert.Equal(ValidationStep.VisaSubject, ignored.Rejection.Step);
        Assert.Contains("has the passport's sub but another issuer than the passport's", ignored.Rejection.Reason, StringComparison.Ordinal);
        var decision = AccessDecider.Decide(ControlledSet, passport, node.Now, node.Options);
        Assert.False(decision.Granted);
        Assert.Contains("no LinkedIdentities visa links them", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("SubjectsOfBroker", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_visa_counts_when_its_issuer_is_configured_to_use_the_brokers_subject_identifiers()
    {
        using var node = new TestClearinghouse();
        Assert.Equal(TestClearinghouse.BrokerIssuer, node.Options.TrustedVisaIssuers[0].SubjectsOfBroker);

        var passport = await AcceptedAsync(node, node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]));

        Assert.Empty(passport.Ignored);
        Assert.True(AccessDecider.Decide(ControlledSet, passport, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task The_same_visa_counts_when_a_linked_identities_visa_of_a_trusted_issuer_links_the_two_identities()
    {
        using var node = StrictNode();
        var grant = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant);
        var link = node.Dac.Visa(Subject, VisaTypes.LinkedIdentities, Entry(Subject, TestClearinghouse.BrokerIssuer), by: "system");

        var passport = await AcceptedAsync(node, node.Broker.Passport(Subject, [grant, link]));

        Assert.Empty(passport.Ignored);
        Assert.True(AccessDecider.Decide(ControlledSet, passport, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task A_chain_of_linked_identities_visas_links_an_account_of_another_sub_without_any_configured_exception()
    {
        using var node = StrictNode();
        const string committeeAccount = "acct-7";
        var grant = node.Dac.Visa(committeeAccount, VisaTypes.ControlledAccessGrants, Grant);
        // The broker (also a trusted visa issuer) links its user to the committee's account.
        var link = node.Ec.Visa(Subject, VisaTypes.LinkedIdentities, Entry(committeeAccount, TestClearinghouse.DacIssuer), by: "system");

        var passport = await AcceptedAsync(node, node.Ec.Passport(Subject, [grant, link]));

        Assert.Empty(passport.Ignored);
        Assert.True(AccessDecider.Decide(ControlledSet, passport, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task A_link_asserted_by_an_untrusted_issuer_does_not_count()
    {
        using var node = StrictNode();
        using var stranger = new TestTokenIssuer("https://stranger.test.example", node.Url("/stranger/jwks"));
        node.Serve(stranger);
        var grant = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant);
        var link = stranger.Visa(Subject, VisaTypes.LinkedIdentities,
            $"{Entry(Subject, TestClearinghouse.BrokerIssuer)};{Entry(Subject, TestClearinghouse.DacIssuer)}", by: "system");

        var passport = await AcceptedAsync(node, node.Broker.Passport(Subject, [grant, link]));

        Assert.Empty(passport.Visas);
        Assert.Equal(ValidationStep.VisaSubject, passport.Ignored[0].Rejection.Step);
        Assert.Equal(ValidationStep.TrustedIssuer, passport.Ignored[1].Rejection.Step);
        Assert.Empty(node.Requests("/stranger/jwks"));
        Assert.False(AccessDecider.Decide(ControlledSet, passport, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task A_link_between_two_other_identities_does_not_reach_the_holder()
    {
        using var node = StrictNode();
        var grant = node.Dac.Visa("acct-9", VisaTypes.ControlledAccessGrants, Grant);
        var link = node.Dac.Visa("acct-8", VisaTypes.LinkedIdentities, Entry("acct-9", TestClearinghouse.DacIssuer), by: "system");

        var passport = await AcceptedAsync(node, node.Broker.Passport(Subject, [grant, link]));

        Assert.Empty(passport.Visas);
        Assert.All(passport.Ignored, i => Assert.Equal(ValidationStep.VisaSubject, i.Rejection.Step));
    }

    [Fact]
    public async Task Subjects_of_one_broker_do_not_stand_for_the_subjects_of_another()
    {
        // The committee uses the EC broker's subjects; a passport of the other broker gains nothing from it.
        using var node = new TestClearinghouse((_, settings) => settings[SubjectsOfBrokerKey] = TestClearinghouse.EcIssuerName);

        var passport = await AcceptedAsync(node, node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]));
        Assert.Equal(ValidationStep.VisaSubject, Assert.Single(passport.Ignored).Rejection.Step);

        var ecPassport = await AcceptedAsync(node, node.Ec.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]));
        Assert.Empty(ecPassport.Ignored);
        Assert.True(AccessDecider.Decide(ControlledSet, ecPassport, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task A_broker_answering_userinfo_visas_is_held_to_the_same_identity_rule()
    {
        using var node = new TestClearinghouse((fixture, settings) =>
        {
            settings.Remove(SubjectsOfBrokerKey);
            settings["Passport:TrustedBrokers:0:UserinfoEndpoint"] = fixture.Url("/broker/userinfo");
        });
        var visa = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant);
        node.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/broker/userinfo").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(new System.Text.Json.Nodes.JsonObject { ["sub"] = Subject, ["ga4gh_passport_v1"] = new System.Text.Json.Nodes.JsonArray(visa) }.ToJsonString()));

        var passport = await AcceptedAsync(node, node.Broker.AccessToken(Subject));

        Assert.Equal(ValidationStep.VisaSubject, Assert.Single(passport.Ignored).Rejection.Step);
    }

    private static async Task<ValidatedPassport> AcceptedAsync(TestClearinghouse node, string token)
    {
        var caller = await node.AuthenticateAsync(token);
        Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
        return caller.Passport!;
    }

    private static string Entry(string subject, string issuer) => $"{Uri.EscapeDataString(subject)},{Uri.EscapeDataString(issuer)}";
}
