using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Issuing;
using GenomeNode.Tests;

namespace GenomeNode.Passport.Tests.Issuing;

/// <summary>
/// The clearinghouse trusts the node's own visas and its broker's passports by default, with no TrustedBrokers or
/// TrustedVisaIssuers configured, taking the keys from the key ring in-process; every other check still applies.
/// </summary>
public sealed class OwnIssuerTrustTests
{
    private const string Subject = "researcher-7";
    private const string DatasetValue = "urn:genome-node:dataset:cohort-a";

    private static readonly Dataset Controlled = new("cohort-a", "Cohort A", null, AccessTier.Controlled, false, DateTimeOffset.UnixEpoch, DatasetValue);

    [Fact]
    public async Task The_nodes_own_passport_with_its_own_visa_is_accepted_and_grants_the_dataset_without_any_trust_configured()
    {
        using var node = new OwnNode();
        Assert.Empty(node.Options.TrustedBrokers);
        Assert.Empty(node.Options.TrustedVisaIssuers);

        var caller = await node.AuthenticateAsync(node.Passport(Subject, [node.Visa(Subject, DatasetValue)]));

        Assert.Null(caller.Rejection);
        var passport = caller.Passport!;
        Assert.Equal((OwnNode.PublicUrl + "/", Subject), (passport.Issuer, passport.Subject));
        Assert.Empty(passport.Ignored);
        Assert.True(AccessDecider.Decide(Controlled, passport, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task Without_a_configured_public_URL_the_issuer_is_the_base_of_the_request_being_served()
    {
        const string requestBase = "https://served.invalid:8443/node";
        using var node = new OwnNode(publicUrl: null);
        var self = new NodeIssuer(requestBase, node.Options.RemsPath);
        var visa = node.Issuer.Sign(new GrantVisa(Subject, DatasetValue, self.Issuer, node.Now.AddDays(-1), node.Now.AddDays(1)), self.Issuer, self.VisaJwksUrl);
        var passport = node.Passport(Subject, [visa], payload: p => p["iss"] = self.Issuer);

        Assert.Null((await node.AuthenticateAsync(passport, requestBase)).Rejection);
        Assert.Equal(ValidationStep.TrustedIssuer, (await node.AuthenticateAsync(passport, "https://other.invalid")).Rejection?.Step);
        Assert.Equal(ValidationStep.TrustedIssuer, (await node.AuthenticateAsync(passport)).Rejection?.Step);
    }

    [Fact]
    public async Task A_passport_claiming_the_nodes_issuer_but_signed_by_another_key_is_refused()
    {
        using var node = new OwnNode();
        var kid = node.Keys.Current.Key.KeyId;
        // Another key posing as the node's: its kid, its issuer.
        using var impostor = new TestTokenIssuer(node.Self.Issuer, node.Self.BrokerJwksUrl, keyId: kid);

        var caller = await node.AuthenticateAsync(impostor.Passport(Subject, []));

        Assert.Equal(ValidationStep.Signature, caller.Rejection?.Step);
        using var unknown = new TestTokenIssuer(node.Self.Issuer, node.Self.BrokerJwksUrl);
        var rejection = (await node.AuthenticateAsync(unknown.Passport(Subject, []))).Rejection;
        Assert.Equal(ValidationStep.SigningKey, rejection?.Step);
        Assert.False(rejection!.Retryable);
    }

    [Fact]
    public async Task A_visa_claiming_the_nodes_issuer_but_signed_by_another_key_or_naming_another_jku_is_left_out()
    {
        using var node = new OwnNode();
        using var impostor = new TestTokenIssuer(node.Self.Issuer, node.Self.VisaJwksUrl, keyId: node.Keys.Current.Key.KeyId);
        using var elsewhere = new TestTokenIssuer(node.Self.Issuer, OwnNode.PublicUrl + "/elsewhere/jwks");
        var forged = impostor.Visa(Subject, Visas.VisaTypes.ControlledAccessGrants, DatasetValue);
        var otherJku = elsewhere.Visa(Subject, Visas.VisaTypes.ControlledAccessGrants, DatasetValue);

        var caller = await node.AuthenticateAsync(node.Passport(Subject, [forged, otherJku]));

        var passport = caller.Passport!;
        Assert.Empty(passport.Visas);
        Assert.Equal([ValidationStep.Signature, ValidationStep.TrustedIssuer], passport.Ignored.Select(i => i.Rejection.Step));
        Assert.False(AccessDecider.Decide(Controlled, passport, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task Own_tokens_still_pass_every_check_an_expired_own_passport_is_refused()
    {
        using var node = new OwnNode();
        var expired = node.Passport(Subject, [], payload: p => p["exp"] = node.Now.AddMinutes(-5).ToUnixTimeSeconds());

        Assert.Equal(ValidationStep.Lifetime, (await node.AuthenticateAsync(expired)).Rejection?.Step);
        var audience = new OwnNode(new() { ["Passport:Audiences:0"] = "https://this-node.invalid" });
        using (audience)
        {
            var elsewhere = audience.Passport(Subject, [], payload: p => p["aud"] = "https://another-service.invalid");
            Assert.Equal(ValidationStep.Audience, (await audience.AuthenticateAsync(elsewhere)).Rejection?.Step);
        }
    }

    [Fact]
    public async Task With_TrustOwnIssuer_false_the_nodes_own_passports_and_visas_are_refused()
    {
        using var node = new OwnNode(new() { ["Passport:TrustOwnIssuer"] = "false" });
        var passport = node.Passport(Subject, [node.Visa(Subject, DatasetValue)]);

        Assert.Equal(ValidationStep.TrustedIssuer, (await node.AuthenticateAsync(passport)).Rejection?.Step);
        Assert.Equal(ValidationStep.TrustedIssuer, (await node.Validator.ValidateVisaAsync(node.Visa(Subject, DatasetValue), CancellationToken.None)).Rejection?.Step);
    }

    [Fact]
    public async Task An_access_token_of_the_nodes_own_broker_is_exchanged_in_process_for_its_passport()
    {
        var broker = new FakeOwnBroker();
        using var node = new OwnNode(ownBroker: broker);
        broker.Passports["own-access-token-1"] = node.Passport(Subject, [node.Visa(Subject, DatasetValue)]);

        var caller = await node.AuthenticateAsync("own-access-token-1");

        Assert.Null(caller.Rejection);
        Assert.True(AccessDecider.Decide(Controlled, caller.Passport, node.Now, node.Options).Granted);
        Assert.Equal(["own-access-token-1"], broker.Asked);
    }

    [Fact]
    public async Task A_token_the_own_broker_does_not_know_goes_on_to_the_configured_brokers_and_an_answer_of_another_issuer_is_refused()
    {
        var broker = new FakeOwnBroker();
        using var node = new OwnNode(ownBroker: broker);
        using var foreign = new TestTokenIssuer("https://broker.invalid", "https://broker.invalid/jwks");
        broker.Passports["foreign-passport"] = foreign.Passport(Subject, []);

        var unknown = await node.AuthenticateAsync("not-ours-0123456789");
        Assert.Equal(ValidationStep.Decode, unknown.Rejection?.Step);
        Assert.Contains("no trusted broker is configured", unknown.Rejection!.Reason, StringComparison.Ordinal);

        var answered = await node.AuthenticateAsync("foreign-passport");
        Assert.Equal(ValidationStep.TrustedIssuer, answered.Rejection?.Step);
    }

    [Fact]
    public async Task With_TrustOwnIssuer_false_the_own_broker_is_not_asked()
    {
        var broker = new FakeOwnBroker();
        using var node = new OwnNode(new() { ["Passport:TrustOwnIssuer"] = "false" }, ownBroker: broker);
        broker.Passports["own-access-token-1"] = node.Passport(Subject, []);

        Assert.NotNull((await node.AuthenticateAsync("own-access-token-1")).Rejection);
        Assert.Empty(broker.Asked);
    }

    private sealed class FakeOwnBroker : IOwnBroker
    {
        public Dictionary<string, string> Passports { get; } = new(StringComparer.Ordinal);

        public List<string> Asked { get; } = [];

        public ValueTask<string?> PassportForAsync(string accessToken, CancellationToken cancellationToken)
        {
            Asked.Add(accessToken);
            return ValueTask.FromResult(Passports.GetValueOrDefault(accessToken));
        }
    }
}
