using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Visas;
using GenomeNode.Tests;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>
/// Forged, stale and malformed passports and visas against the real clearinghouse (keys fetched over HTTP from
/// WireMock): each is refused at its named step with a reason, never with an exception, and no token reaches the logs.
/// </summary>
public sealed class PassportAttackTests : IDisposable
{
    private const string Subject = "researcher-1@broker.test.example";
    private const string Grant = "https://dac.test.example/datasets/EGAD00000000001";
    private const string OtherGrant = "https://dac.test.example/datasets/EGAD00000000002";

    private readonly TestClearinghouse node = new();

    private static Dataset Controlled(string? visaValue = Grant) =>
        new("ds-controlled", "Controlled", null, AccessTier.Controlled, false, DateTimeOffset.UnixEpoch, visaValue);

    public void Dispose() => node.Dispose();

    // ----- the baseline the attacks depart from -----

    [Fact]
    public async Task A_passport_of_the_trusted_broker_with_a_grant_of_the_trusted_dac_opens_the_dataset()
    {
        var passport = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);

        var caller = await node.AuthenticateAsync(passport);

        Assert.Null(caller.Rejection);
        var visa = Assert.Single(caller.Passport!.Visas);
        Assert.Equal(Grant, visa.Visa.Value);
        Assert.Empty(caller.Passport.Ignored);
        var decision = AccessDecider.Decide(Controlled(), caller.Passport, node.Now, node.Options);
        Assert.True(decision.Granted, decision.Reason);
        Assert.Equal(AccessGrant.Controlled, decision.Grant);
    }

    [Fact]
    public async Task An_es256_broker_and_visa_issuer_are_accepted()
    {
        var passport = node.Ec.Passport(Subject, [node.Ec.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);

        var caller = await node.AuthenticateAsync(passport);

        Assert.Null(caller.Rejection);
        Assert.Equal(TestClearinghouse.EcIssuerName, caller.Passport!.Issuer);
        Assert.Equal("ES256", node.Ec.Algorithm);
        Assert.True(AccessDecider.Decide(Controlled(), caller.Passport, node.Now, node.Options).Granted);
    }

    // ----- algorithm -----

    [Theory]
    [InlineData("none", "")]
    [InlineData("none", "AAAA")]
    [InlineData("none", "genuine")]
    [InlineData("None", "AAAA")]
    [InlineData("NONE", "")]
    public async Task A_passport_with_alg_none_is_refused_whatever_its_signature(string alg, string signature)
    {
        var genuine = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)], header: h => h["alg"] = alg);
        var parts = genuine.Split('.');
        var token = $"{parts[0]}.{parts[1]}.{(signature == "genuine" ? parts[2] : signature)}";

        await RefusedAsync(token, ValidationStep.Algorithm, "alg 'none' is refused");
        Assert.Empty(node.Requests("/broker/jwks"));
    }

    [Fact]
    public async Task An_rs256_passport_with_its_signature_stripped_is_refused_without_fetching_keys()
    {
        var parts = node.Broker.Passport(Subject, []).Split('.');

        await RefusedAsync($"{parts[0]}.{parts[1]}.", ValidationStep.Signature, "the token has no signature");
        Assert.Empty(node.Requests("/broker/jwks"));
    }

    [Fact]
    public async Task A_passport_signed_with_hs256_under_the_brokers_public_key_pem_is_refused()
    {
        var (header, payload) = TestTokenIssuer.Open(node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]));
        header["alg"] = "HS256";
        var forged = TestTokenIssuer.SignHmac(header, payload, Encoding.UTF8.GetBytes(node.Broker.PublicKeyPem()));

        await RefusedAsync(forged, ValidationStep.Algorithm, "HMAC");
        Assert.Empty(node.Requests("/broker/jwks"));
    }

    [Fact]
    public async Task An_rsa_key_named_by_an_es256_header_does_not_verify()
    {
        var token = node.Broker.Passport(Subject, [], header: h => h["alg"] = "ES256");

        await RefusedAsync(token, ValidationStep.Signature, "(RS256)");
    }

    [Fact]
    public async Task A_visa_with_alg_none_is_left_out_of_the_passport()
    {
        var visa = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant, header: h => h["alg"] = "none");
        var parts = visa.Split('.');

        var ignored = await IgnoredAsync($"{parts[0]}.{parts[1]}.", ValidationStep.Algorithm, "alg 'none' is refused");

        Assert.Empty(node.Requests("/dac/jwks"));
        Assert.False(AccessDecider.Decide(Controlled(), ignored, node.Now, node.Options).Granted);
    }

    // ----- lifetime -----

    [Fact]
    public async Task An_expired_passport_is_refused()
    {
        var token = node.Broker.Passport(Subject, [], issued: node.Now.AddHours(-2), expires: node.Now.AddHours(-1));

        await RefusedAsync(token, ValidationStep.Lifetime, "the passport expired at");
    }

    [Theory]
    [InlineData(-35, false)]
    [InlineData(-31, false)]
    [InlineData(-25, true)]
    [InlineData(-1, true)]
    public async Task A_passport_expired_within_the_clock_skew_is_accepted_and_beyond_it_refused(int expiredSecondsAgo, bool accepted)
    {
        Assert.Equal(30, node.Options.ClockSkewSeconds);
        var token = node.Broker.Passport(Subject, [], issued: node.Now.AddMinutes(-10), expires: node.Now.AddSeconds(expiredSecondsAgo));

        if (accepted)
        {
            var caller = await node.AuthenticateAsync(token);
            Assert.Null(caller.Rejection);
            Assert.NotNull(caller.Passport);
        }
        else
        {
            await RefusedAsync(token, ValidationStep.Lifetime, "expired at");
        }
    }

    [Fact]
    public async Task A_passport_not_yet_valid_is_refused()
    {
        var token = node.Broker.Passport(Subject, [], payload: p => p["nbf"] = node.Now.AddMinutes(5).ToUnixTimeSeconds());

        await RefusedAsync(token, ValidationStep.Lifetime, "is not valid before");
    }

    [Fact]
    public async Task A_passport_issued_in_the_future_is_refused()
    {
        var token = node.Broker.Passport(Subject, [], issued: node.Now.AddMinutes(5));

        await RefusedAsync(token, ValidationStep.Lifetime, "was issued in the future");
    }

    [Fact]
    public async Task A_visa_asserted_in_the_future_is_ignored_and_grants_nothing()
    {
        var visa = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant, asserted: node.Now.AddHours(1));

        var passport = await IgnoredAsync(visa, ValidationStep.VisaObject, "asserted in the future");

        var decision = AccessDecider.Decide(Controlled(), passport, node.Now, node.Options);
        Assert.False(decision.Granted);
        Assert.Contains("asserted in the future", decision.Reason, StringComparison.Ordinal);
    }

    // ----- trust -----

    [Fact]
    public async Task A_passport_of_an_untrusted_broker_is_refused_without_fetching_its_keys()
    {
        using var stranger = new TestTokenIssuer("https://stranger.test.example", node.Url("/stranger/jwks"));
        node.Serve(stranger);
        var token = stranger.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);

        await RefusedAsync(token, ValidationStep.TrustedIssuer, "'https://stranger.test.example' is not a trusted broker");
        Assert.Empty(node.Requests("/stranger/jwks"));
    }

    [Fact]
    public async Task A_passport_claiming_the_trusted_brokers_iss_but_signed_by_another_key_is_refused()
    {
        using var impostor = new TestTokenIssuer(TestClearinghouse.BrokerIssuer, node.Url("/impostor/jwks"), keyId: node.Broker.KeyId);
        node.Serve(impostor);
        var token = impostor.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);

        await RefusedAsync(token, ValidationStep.Signature, "does not verify");
        Assert.Empty(node.Requests("/impostor/jwks"));
    }

    [Fact]
    public async Task A_visa_of_a_trusted_issuer_naming_a_jku_off_the_allow_list_is_ignored_and_the_jku_never_fetched()
    {
        // The jku serves the issuer's genuine keys: only the allow-list can stop it.
        node.Serve(node.Dac, "/elsewhere/jwks");
        var visa = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant, header: h => h["jku"] = node.Url("/elsewhere/jwks"));

        var passport = await IgnoredAsync(visa, ValidationStep.TrustedIssuer, "is not a trusted visa issuer");

        Assert.Contains("/elsewhere/jwks", passport.Ignored[0].Rejection.Reason, StringComparison.Ordinal);
        Assert.Empty(node.Requests("/elsewhere/jwks"));
        Assert.DoesNotContain(node.Server.LogEntries, e => e.RequestMessage.Url.Contains("elsewhere", StringComparison.Ordinal));
        Assert.False(AccessDecider.Decide(Controlled(), passport, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task A_visa_of_an_untrusted_issuer_is_ignored()
    {
        using var stranger = new TestTokenIssuer("https://stranger.test.example", node.Url("/stranger/jwks"));
        node.Serve(stranger);
        var visa = stranger.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant);

        await IgnoredAsync(visa, ValidationStep.TrustedIssuer, "is not a trusted visa issuer");
        Assert.Empty(node.Requests("/stranger/jwks"));
    }

    // ----- keys -----

    [Fact]
    public async Task A_passport_naming_an_unknown_kid_is_refused()
    {
        var token = node.Broker.Passport(Subject, [], header: h => h["kid"] = "no-such-key");

        await RefusedAsync(token, ValidationStep.SigningKey, "has no usable key with kid 'no-such-key'");
    }

    [Fact]
    public async Task Unknown_kids_refetch_the_jwks_at_most_once_per_refresh_interval()
    {
        Assert.Null((await node.AuthenticateAsync(node.Broker.Passport(Subject, []))).Rejection);
        Assert.Single(node.Requests("/broker/jwks"));

        // Within the refresh interval of the first fetch, an unknown kid does not fetch again.
        await RefusedAsync(node.Broker.Passport(Subject, [], header: h => h["kid"] = "unknown-0"), ValidationStep.SigningKey, "unknown-0");
        Assert.Single(node.Requests("/broker/jwks"));

        node.Clock.Advance(TimeSpan.FromSeconds(node.Options.JwksRefreshIntervalSeconds + 1));
        await RefusedAsync(node.Broker.Passport(Subject, [], header: h => h["kid"] = "unknown-1"), ValidationStep.SigningKey, "unknown-1");
        await RefusedAsync(node.Broker.Passport(Subject, [], header: h => h["kid"] = "unknown-2"), ValidationStep.SigningKey, "unknown-2");
        Assert.Equal(2, node.Requests("/broker/jwks").Count);
    }

    [Fact]
    public async Task A_rotated_broker_key_is_picked_up_by_refetching_the_jwks()
    {
        Assert.Null((await node.AuthenticateAsync(node.Broker.Passport(Subject, []))).Rejection);
        using var rotated = new TestTokenIssuer(TestClearinghouse.BrokerIssuer, node.Broker.JwksUrl);
        node.Serve(rotated); // the broker now publishes only its new key
        node.Clock.Advance(TimeSpan.FromSeconds(node.Options.JwksRefreshIntervalSeconds + 1));

        var caller = await node.AuthenticateAsync(rotated.Passport(Subject, []));

        Assert.Null(caller.Rejection);
        Assert.Equal(2, node.Requests("/broker/jwks").Count);
    }

    // ----- tampering -----

    [Fact]
    public async Task A_passport_whose_subject_was_changed_after_signing_is_refused()
    {
        var genuine = node.Broker.Passport(Subject, [node.Dac.Visa("victim", VisaTypes.ControlledAccessGrants, Grant)]);
        var tampered = Tamper(genuine, p => p["sub"] = "victim");

        await RefusedAsync(tampered, ValidationStep.Signature, "does not verify");
    }

    [Fact]
    public async Task A_passport_whose_visa_list_was_changed_after_signing_is_refused()
    {
        var genuine = node.Broker.Passport(Subject, []);
        var stolen = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant);
        var tampered = Tamper(genuine, p => p["ga4gh_passport_v1"] = new JsonArray(stolen));

        await RefusedAsync(tampered, ValidationStep.Signature, "does not verify");
    }

    [Fact]
    public async Task A_visa_whose_value_was_changed_after_signing_is_ignored()
    {
        var genuine = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, OtherGrant);
        var tampered = Tamper(genuine, p => p["ga4gh_visa_v1"]!["value"] = Grant);

        var passport = await IgnoredAsync(tampered, ValidationStep.Signature, "does not verify");

        Assert.False(AccessDecider.Decide(Controlled(), passport, node.Now, node.Options).Granted);
    }

    // ----- what the visas say -----

    [Fact]
    public async Task A_grant_for_another_dataset_does_not_open_this_one()
    {
        var caller = await AcceptedAsync(node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, OtherGrant)]));

        var decision = AccessDecider.Decide(Controlled(), caller, node.Now, node.Options);

        Assert.False(decision.Granted);
        Assert.Contains($"no usable ControlledAccessGrants visa for {Grant}", decision.Reason, StringComparison.Ordinal);
        Assert.Contains($"its grants are for {OtherGrant}", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grant_whose_conditions_are_unmet_does_not_open_the_dataset()
    {
        var conditions = JsonNode.Parse("""[[{ "type": "AffiliationAndRole", "value": "const:faculty@uni.test.example", "by": "const:so" }]]""");
        var grant = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant, conditions: conditions);
        var student = node.Dac.Visa(Subject, VisaTypes.AffiliationAndRole, "student@uni.test.example", by: "so");
        var caller = await AcceptedAsync(node.Broker.Passport(Subject, [grant, student]));

        var decision = AccessDecider.Decide(Controlled(), caller, node.Now, node.Options);

        Assert.False(decision.Granted);
        Assert.Contains("has conditions the passport's other visas do not meet", decision.Reason, StringComparison.Ordinal);

        var faculty = node.Dac.Visa(Subject, VisaTypes.AffiliationAndRole, "faculty@uni.test.example", by: "so");
        var met = await AcceptedAsync(node.Broker.Passport(Subject, [grant, faculty]));
        Assert.True(AccessDecider.Decide(Controlled(), met, node.Now, node.Options).Granted);
    }

    [Fact]
    public async Task A_visa_of_another_subject_is_ignored()
    {
        var visa = node.Dac.Visa("someone-else", VisaTypes.ControlledAccessGrants, Grant);

        var passport = await IgnoredAsync(visa, ValidationStep.VisaSubject, "'someone-else'");

        var decision = AccessDecider.Decide(Controlled(), passport, node.Now, node.Options);
        Assert.False(decision.Granted);
        Assert.Contains("neither the passport's subject nor linked", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visa_of_another_subject_linked_by_a_linked_identities_visa_is_accepted()
    {
        const string otherAccount = "researcher-1@old-account";
        var grant = node.Dac.Visa(otherAccount, VisaTypes.ControlledAccessGrants, Grant);
        var link = node.Dac.Visa(Subject, VisaTypes.LinkedIdentities,
            $"{Uri.EscapeDataString(otherAccount)},{Uri.EscapeDataString(TestClearinghouse.DacIssuer)}", by: "system");

        var caller = await AcceptedAsync(node.Broker.Passport(Subject, [grant, link]));

        Assert.Empty(caller.Ignored);
        Assert.Equal(2, caller.Visas.Count);
        var decision = AccessDecider.Decide(Controlled(), caller, node.Now, node.Options);
        Assert.True(decision.Granted, decision.Reason);
    }

    // ----- size and shape -----

    [Fact]
    public async Task A_token_larger_than_max_token_bytes_is_refused_before_anything_else()
    {
        var token = node.Broker.Passport(Subject, [], payload: p => p["padding"] = new string('x', node.Options.MaxTokenBytes));

        await RefusedAsync(token, ValidationStep.TokenSize, $"larger than {node.Options.MaxTokenBytes} bytes");
        Assert.Empty(node.Server.LogEntries);
    }

    [Fact]
    public async Task A_passport_with_more_than_max_visas_is_refused()
    {
        using var small = new TestClearinghouse((_, settings) => settings["Passport:MaxVisas"] = "3");
        var visas = Enumerable.Range(0, 4).Select(i => small.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, $"{Grant}{i}")).ToList();
        var token = small.Broker.Passport(Subject, visas);

        var caller = await small.AuthenticateAsync(token);

        Assert.Null(caller.Passport);
        Assert.Equal(ValidationStep.PassportClaims, caller.Rejection!.Step);
        Assert.Contains("holds 4 visas, more than 3", caller.Rejection.Reason, StringComparison.Ordinal);
        Assert.Empty(small.Requests("/dac/jwks"));
        small.AssertLogsHoldNo(token);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_token_with_a_part_that_is_not_base64url_is_refused(int part)
    {
        var parts = node.Broker.Passport(Subject, []).Split('.');
        parts[part] = parts[part][..10] + "*!" + parts[part][10..];

        await RefusedAsync(string.Join('.', parts), ValidationStep.Decode, "base64url");
    }

    [Theory]
    [InlineData("header", """{"alg":"RS256","kid":"k1" """)]
    [InlineData("header", """["RS256"]""")]
    [InlineData("payload", """{"iss":"https://broker.test.example","sub":""")]
    [InlineData("payload", "not json at all")]
    [InlineData("payload", "42")]
    public async Task A_token_whose_header_or_payload_is_not_a_json_object_is_refused(string part, string json)
    {
        var (header, payload) = TestTokenIssuer.Open(node.Broker.Passport(Subject, []));
        var headerText = part == "header" ? json : header.ToJsonString();
        var payloadText = part == "payload" ? json : payload.ToJsonString();
        var token = RawToken(headerText, payloadText);

        await RefusedAsync(token, ValidationStep.Decode, $"its {part} is not");
    }

    [Theory]
    [InlineData("header", """{"alg":"RS256","kid":"KID","alg":"none"}""")]
    [InlineData("payload", """{"iss":"https://broker.test.example","sub":"researcher","sub":"victim","iat":1,"exp":99999999999,"ga4gh_passport_v1":[]}""")]
    public async Task A_token_repeating_a_json_member_name_is_refused(string part, string json)
    {
        var (header, payload) = TestTokenIssuer.Open(node.Broker.Passport(Subject, []));
        var token = part == "header"
            ? RawToken(json.Replace("KID", node.Broker.KeyId, StringComparison.Ordinal), payload.ToJsonString())
            : RawToken(header.ToJsonString(), json);

        await RefusedAsync(token, ValidationStep.Decode, "repeats a member name");
    }

    [Theory]
    [InlineData("header", """{"alg":"\ud800","kid":"KID"}""")]
    [InlineData("payload", """{"iss":"\ud800","sub":"researcher","iat":1,"exp":99999999999,"ga4gh_passport_v1":[]}""")]
    [InlineData("payload", """{"iss":"https://broker.test.example","sub":"researcher","\udc00":1,"iat":1,"exp":99999999999}""")]
    public async Task A_token_holding_text_that_is_not_unicode_is_refused(string part, string json)
    {
        var (header, payload) = TestTokenIssuer.Open(node.Broker.Passport(Subject, []));
        var token = part == "header"
            ? RawToken(json.Replace("KID", node.Broker.KeyId, StringComparison.Ordinal), payload.ToJsonString())
            : RawToken(header.ToJsonString(), json);

        await RefusedAsync(token, ValidationStep.Decode, $"its {part} holds text that is not valid Unicode");
    }

    [Fact]
    public async Task A_visa_holding_text_that_is_not_unicode_is_ignored()
    {
        var visa = RawToken(
            $$"""{"alg":"RS256","kid":"{{node.Dac.KeyId}}","jku":"{{node.Dac.JwksUrl}}"}""",
            $$"""{"iss":"{{TestClearinghouse.DacIssuer}}","sub":"{{Subject}}\ud800","iat":1,"exp":99999999999,"ga4gh_visa_v1":{"type":"ControlledAccessGrants"} }""");

        await IgnoredAsync(visa, ValidationStep.Decode, "holds text that is not valid Unicode");
    }

    [Theory]
    [InlineData("exp", 253402300799L, "has no valid exp")]
    [InlineData("exp", 253402214401L, "has no valid exp")]
    [InlineData("iat", 253402300799L, "has no valid iat")]
    public async Task A_passport_dated_at_the_end_of_time_is_refused(string claim, long seconds, string reason)
    {
        // The last second a DateTimeOffset holds: adding the clock skew to it would overflow.
        var token = node.Broker.Passport(Subject, [], payload: p => p[claim] = seconds);

        await RefusedAsync(token, ValidationStep.Lifetime, reason);
    }

    [Fact]
    public async Task A_visa_expiring_at_the_end_of_time_is_ignored()
    {
        var visa = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant, payload: p => p["exp"] = 253402300799L);

        await IgnoredAsync(visa, ValidationStep.Lifetime, "has no valid exp");
    }

    [Fact]
    public async Task A_visa_repeating_a_json_member_name_is_ignored()
    {
        var visa = RawToken(
            $$"""{"alg":"RS256","kid":"{{node.Dac.KeyId}}","jku":"{{node.Dac.JwksUrl}}"}""",
            $$"""{"iss":"{{TestClearinghouse.DacIssuer}}","sub":"{{Subject}}","sub":"victim","iat":1,"exp":99999999999,"ga4gh_visa_v1":{"type":"ControlledAccessGrants"} }""");

        await IgnoredAsync(visa, ValidationStep.Decode, "repeats a member name");
    }

    [Fact]
    public async Task A_jwks_key_that_is_not_base64url_is_skipped_and_the_others_still_verify()
    {
        var jwks = JsonNode.Parse(node.Broker.Jwks())!.AsObject();
        jwks["keys"]!.AsArray().Insert(0, new JsonObject { ["kty"] = "RSA", ["kid"] = "broken", ["use"] = "sig", ["n"] = "not*base64!", ["e"] = "AQAB" });
        node.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/broker/jwks").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody(jwks.ToJsonString()));

        Assert.NotNull(await AcceptedAsync(node.Broker.Passport(Subject, [])));
        await RefusedAsync(node.Broker.Passport(Subject, [], header: h => h["kid"] = "broken"), ValidationStep.SigningKey, "no usable key with kid 'broken'");
        Assert.Contains(node.Logs.Lines, line => line.Contains("skipped key 0: RSA key without n and e", StringComparison.Ordinal));
    }

    // ----- logs -----

    [Fact]
    public async Task Refusals_are_logged_with_their_step_and_a_fingerprint_but_never_the_token()
    {
        var grant = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant);
        var tokens = new List<string>
        {
            node.Broker.Passport(Subject, [grant], expires: node.Now.AddHours(-1), issued: node.Now.AddHours(-2)),
            Tamper(node.Broker.Passport(Subject, [grant]), p => p["sub"] = "victim"),
            node.Broker.Passport(Subject, [grant], header: h => h["kid"] = "nope"),
            node.Broker.Passport(Subject, [grant], header: h => h["alg"] = "none"),
            node.Broker.Passport(Subject, [node.Dac.Visa("someone-else", VisaTypes.ControlledAccessGrants, Grant)]),
            node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant, header: h => h["jku"] = node.Url("/elsewhere"))]),
            RawToken("""{"alg":"RS256","kid":"k","kid":"k"}""", "{}"),
            node.Broker.Passport(Subject, [], payload: p => p["padding"] = new string('x', node.Options.MaxTokenBytes)),
            "opaque-access-token-without-any-broker-to-ask",
        };

        foreach (var token in tokens)
        {
            await node.AuthenticateAsync(token);
        }

        Assert.Contains(node.Logs.Lines, line => line.Contains("rejected at step Lifetime", StringComparison.Ordinal));
        Assert.Contains(node.Logs.Lines, line => line.Contains("rejected at step Signature", StringComparison.Ordinal));
        Assert.Contains(node.Logs.Lines, line => line.Contains("ignored at step VisaSubject", StringComparison.Ordinal));
        Assert.Contains(node.Logs.Lines, line => line.Contains("refused at step TokenSize", StringComparison.Ordinal));
        Assert.Contains(node.Logs.Lines, line => line.Contains(PassportValidator.Fingerprint(tokens[0]), StringComparison.Ordinal));
        foreach (var token in tokens.Append(grant))
        {
            node.AssertLogsHoldNo(token);
        }
    }

    // ----- helpers -----

    /// <summary>Asserts the bearer token is refused at <paramref name="step"/> with a reason holding <paramref name="reason"/>.</summary>
    private async Task<Rejection> RefusedAsync(string token, ValidationStep step, string reason)
    {
        var caller = await node.AuthenticateAsync(token);

        Assert.Null(caller.Passport);
        var rejection = Assert.IsType<Rejection>(caller.Rejection);
        Assert.True(step == rejection.Step, $"expected step {step}, was {rejection}");
        Assert.Contains(reason, rejection.Reason, StringComparison.Ordinal);
        node.AssertLogsHoldNo(token);
        return rejection;
    }

    /// <summary>A passport of the trusted broker holding only <paramref name="visa"/>: accepted, with the visa ignored at <paramref name="step"/>.</summary>
    private async Task<ValidatedPassport> IgnoredAsync(string visa, ValidationStep step, string reason)
    {
        var passport = await AcceptedAsync(node.Broker.Passport(Subject, [visa]));

        Assert.Empty(passport.Visas);
        var ignored = Assert.Single(passport.Ignored);
        Assert.Equal(0, ignored.Index);
        Assert.True(step == ignored.Rejection.Step, $"expected step {step}, was {ignored.Rejection}");
        Assert.Contains(reason, ignored.Rejection.Reason, StringComparison.Ordinal);
        node.AssertLogsHoldNo(visa);
        return passport;
    }

    private async Task<ValidatedPassport> AcceptedAsync(string token)
    {
        var caller = await node.AuthenticateAsync(token);
        Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
        node.AssertLogsHoldNo(token);
        return caller.Passport!;
    }

    /// <summary>The token with its payload changed but the original header and signature kept.</summary>
    private static string Tamper(string token, Action<JsonObject> change)
    {
        var (_, payload) = TestTokenIssuer.Open(token);
        change(payload);
        var parts = token.Split('.');
        return $"{parts[0]}.{TestTokenIssuer.B64(payload.ToJsonString())}.{parts[2]}";
    }

    /// <summary>A token of header and payload text as given, with a signature of random bytes (decoding fails first).</summary>
    private static string RawToken(string header, string payload) =>
        $"{TestTokenIssuer.B64(header)}.{TestTokenIssuer.B64(payload)}.{TestTokenIssuer.B64(RandomNumberGenerator.GetBytes(256))}";
}
