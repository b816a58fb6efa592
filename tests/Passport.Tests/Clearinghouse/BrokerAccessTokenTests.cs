using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Visas;
using GenomeNode.Tests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>
/// A broker's access token instead of a passport: exchanged at the broker's token endpoint (AAI 1.2) or read through
/// its userinfo endpoint (AAI 1.0), both served by WireMock.
/// </summary>
public sealed class BrokerAccessTokenTests
{
    private const string Subject = "researcher-1@broker.test.example";
    private const string Grant = "https://dac.test.example/datasets/EGAD00000000001";
    private const string ClientId = "genome-node";
    private const string ClientSecret = "s3cret:with/odd chars";
    private const string TokenPath = "/broker/token";
    private const string UserinfoPath = "/broker/userinfo";

    private static readonly Dataset ControlledSet = new("ds-controlled", "Controlled", null, AccessTier.Controlled, false, DateTimeOffset.UnixEpoch, Grant);

    private static TestClearinghouse ExchangingNode() => new((node, settings) =>
    {
        settings["Passport:TrustedBrokers:0:TokenEndpoint"] = node.Url(TokenPath);
        settings["Passport:TrustedBrokers:0:ClientId"] = ClientId;
        settings["Passport:TrustedBrokers:0:ClientSecret"] = ClientSecret;
    });

    private static TestClearinghouse UserinfoNode() => new((node, settings) => settings["Passport:TrustedBrokers:0:UserinfoEndpoint"] = node.Url(UserinfoPath));

    [Fact]
    public async Task An_access_token_is_exchanged_at_the_brokers_token_endpoint_for_the_callers_passport()
    {
        using var node = ExchangingNode();
        var passport = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);
        AnswerExchange(node, 200, new JsonObject
        {
            ["access_token"] = passport,
            ["issued_token_type"] = BrokerPassports.PassportTokenType,
            ["token_type"] = "Bearer",
        });
        var accessToken = node.Broker.AccessToken(Subject);

        var caller = await node.AuthenticateAsync(accessToken);

        Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
        Assert.Equal(Subject, caller.Passport!.Subject);
        Assert.Equal(Grant, Assert.Single(caller.Passport.Visas).Visa.Value);
        Assert.True(AccessDecider.Decide(ControlledSet, caller.Passport, node.Now, node.Options).Granted);

        var exchange = Assert.Single(node.Requests(TokenPath)).RequestMessage;
        Assert.Equal("POST", exchange.Method);
        var form = Form(exchange.Body!);
        Assert.Equal("urn:ietf:params:oauth:grant-type:token-exchange", form["grant_type"]);
        Assert.Equal("urn:ga4gh:params:oauth:token-type:passport", form["requested_token_type"]);
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", form["subject_token_type"]);
        Assert.Equal(accessToken, form["subject_token"]);
        var authorization = AuthenticationHeaderValue.Parse(exchange.Headers!["Authorization"].ToString());
        Assert.Equal("Basic", authorization.Scheme);
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Parameter!)).Split(':');
        Assert.Equal(ClientId, Uri.UnescapeDataString(credentials[0]));
        Assert.Equal(ClientSecret, Uri.UnescapeDataString(credentials[1]));
        node.AssertLogsHoldNo(accessToken);
        node.AssertLogsHoldNo(passport);
    }

    [Fact]
    public async Task The_same_access_token_again_is_answered_from_the_cache()
    {
        using var node = ExchangingNode();
        var passport = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);
        AnswerPassport(node, passport);
        var accessToken = node.Broker.AccessToken(Subject);

        var first = await node.AuthenticateAsync(accessToken);
        var second = await node.AuthenticateAsync(accessToken);

        Assert.NotNull(first.Passport);
        Assert.Same(first.Passport, second.Passport);
        Assert.Single(node.Requests(TokenPath));
    }

    [Fact]
    public async Task A_broker_refusing_the_exchange_refuses_the_caller_at_step_broker()
    {
        using var node = ExchangingNode();
        AnswerExchange(node, 400, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "the token was revoked" });
        var accessToken = node.Broker.AccessToken(Subject);

        var caller = await node.AuthenticateAsync(accessToken);

        Assert.Null(caller.Passport);
        Assert.Equal(ValidationStep.Broker, caller.Rejection!.Step);
        Assert.Contains("refused to exchange the access token (HTTP 400 invalid_grant)", caller.Rejection.Reason, StringComparison.Ordinal);
        Assert.Single(node.Requests(TokenPath));
        node.AssertLogsHoldNo(accessToken);
    }

    [Fact]
    public async Task A_broker_answering_a_passport_of_another_broker_is_refused()
    {
        using var node = ExchangingNode();
        var foreign = node.Ec.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);
        AnswerPassport(node, foreign);

        await RefusedByBrokerAsync(node, "answered a passport of another broker");
    }

    [Fact]
    public async Task A_broker_answering_a_passport_of_another_subject_than_the_access_token_is_refused()
    {
        using var node = ExchangingNode();
        var someoneElse = node.Broker.Passport("someone-else", [node.Dac.Visa("someone-else", VisaTypes.ControlledAccessGrants, Grant)]);
        AnswerPassport(node, someoneElse);

        await RefusedByBrokerAsync(node, "a passport of another subject than the access token's");
    }

    [Fact]
    public async Task A_broker_answering_the_exchange_without_a_passport_is_refused()
    {
        using var node = ExchangingNode();
        AnswerExchange(node, 200, new JsonObject { ["access_token"] = "opaque", ["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token", ["token_type"] = "Bearer" });

        await RefusedByBrokerAsync(node, "without a passport");
    }

    [Fact]
    public async Task An_expired_access_token_is_refused_before_the_broker_is_called()
    {
        using var node = ExchangingNode();

        var caller = await node.AuthenticateAsync(node.Broker.AccessToken(Subject, expires: node.Now.AddHours(-1)));

        Assert.Equal(ValidationStep.Lifetime, caller.Rejection!.Step);
        Assert.Contains("the access token expired", caller.Rejection.Reason, StringComparison.Ordinal);
        Assert.Empty(node.Requests(TokenPath));
    }

    [Fact]
    public async Task A_broker_with_only_a_userinfo_endpoint_answers_the_visas_of_an_access_token()
    {
        using var node = UserinfoNode();
        var visa = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant);
        AnswerUserinfo(node, new JsonObject { ["sub"] = Subject, ["ga4gh_passport_v1"] = new JsonArray(visa) });
        var accessToken = node.Broker.AccessToken(Subject);

        var caller = await node.AuthenticateAsync(accessToken);

        Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
        Assert.Equal(TestClearinghouse.BrokerIssuer, caller.Passport!.Issuer);
        Assert.Equal(Subject, caller.Passport.Subject);
        Assert.Equal(Grant, Assert.Single(caller.Passport.Visas).Visa.Value);
        Assert.True(AccessDecider.Decide(ControlledSet, caller.Passport, node.Now, node.Options).Granted);
        var request = Assert.Single(node.Requests(UserinfoPath)).RequestMessage;
        Assert.Equal($"Bearer {accessToken}", request.Headers!["Authorization"].ToString());
        Assert.Empty(node.Requests(TokenPath));
        node.AssertLogsHoldNo(accessToken);
    }

    [Fact]
    public async Task Userinfo_about_another_subject_than_the_access_token_is_refused()
    {
        using var node = UserinfoNode();
        AnswerUserinfo(node, new JsonObject { ["sub"] = "someone-else", ["ga4gh_passport_v1"] = new JsonArray() });

        await RefusedByBrokerAsync(node, "without the token's sub");
    }

    [Fact]
    public async Task An_access_token_of_an_untrusted_issuer_is_refused_without_any_request()
    {
        using var node = ExchangingNode();
        AnswerExchange(node, 200, new JsonObject { ["access_token"] = "x" });
        using var stranger = new TestTokenIssuer("https://stranger.test.example", node.Url("/stranger/jwks"));
        node.Serve(stranger);
        var accessToken = stranger.AccessToken(Subject);

        var caller = await node.AuthenticateAsync(accessToken);

        Assert.Null(caller.Passport);
        Assert.Equal(ValidationStep.TrustedIssuer, caller.Rejection!.Step);
        Assert.Contains("'https://stranger.test.example' is not a trusted broker", caller.Rejection.Reason, StringComparison.Ordinal);
        Assert.Empty(node.Server.LogEntries);
        node.AssertLogsHoldNo(accessToken);
    }

    [Fact]
    public async Task An_access_token_forged_with_the_trusted_brokers_iss_is_refused_before_the_broker_is_called()
    {
        using var node = ExchangingNode();
        using var impostor = new TestTokenIssuer(TestClearinghouse.BrokerIssuer, node.Broker.JwksUrl, keyId: node.Broker.KeyId);

        var caller = await node.AuthenticateAsync(impostor.AccessToken(Subject));

        Assert.Equal(ValidationStep.Signature, caller.Rejection!.Step);
        Assert.Empty(node.Requests(TokenPath));
    }

    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.not*base64.c2ln")]
    [InlineData("eyJhbGciOiJSUzI1NiIsImFsZyI6Im5vbmUifQ.e30.c2ln")]
    [InlineData("bm90IGpzb24.e30.c2ln")]
    public async Task A_malformed_jwt_is_refused_as_it_is_and_never_handed_to_the_broker(string token)
    {
        using var node = ExchangingNode();
        AnswerExchange(node, 400, new JsonObject { ["error"] = "invalid_grant" });

        var caller = await node.AuthenticateAsync(token);

        Assert.Equal(ValidationStep.Decode, caller.Rejection!.Step);
        Assert.Contains("looks like a JWT but", caller.Rejection.Reason, StringComparison.Ordinal);
        Assert.Empty(node.Server.LogEntries);
    }

    [Fact]
    public async Task An_opaque_access_token_is_exchanged_at_the_only_broker_that_can_take_it()
    {
        using var node = ExchangingNode();
        var passport = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);
        AnswerPassport(node, passport);

        var caller = await node.AuthenticateAsync("opaque-0123456789abcdef");

        Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
        Assert.Equal("opaque-0123456789abcdef", Form(Assert.Single(node.Requests(TokenPath)).RequestMessage.Body!)["subject_token"]);
    }

    private static void AnswerExchange(TestClearinghouse node, int status, JsonObject body) =>
        node.Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString()));

    /// <summary>The token endpoint answers the exchange with <paramref name="passport"/> as the issued passport.</summary>
    private static void AnswerPassport(TestClearinghouse node, string passport) =>
        AnswerExchange(node, 200, new JsonObject { ["access_token"] = passport, ["issued_token_type"] = BrokerPassports.PassportTokenType, ["token_type"] = "Bearer" });

    private static void AnswerUserinfo(TestClearinghouse node, JsonObject body) =>
        node.Server.Given(Request.Create().WithPath(UserinfoPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString()));

    /// <summary>The broker's answer for an access token of <see cref="Subject"/> is refused at the Broker step for <paramref name="reason"/>.</summary>
    private static async Task RefusedByBrokerAsync(TestClearinghouse node, string reason)
    {
        var caller = await node.AuthenticateAsync(node.Broker.AccessToken(Subject));

        Assert.Equal(ValidationStep.Broker, caller.Rejection!.Step);
        Assert.Contains(reason, caller.Rejection.Reason, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Form(string body) =>
        body.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(
            pair => Uri.UnescapeDataString(pair[0].Replace('+', ' ')),
            pair => Uri.UnescapeDataString(pair[1].Replace('+', ' ')),
            StringComparer.Ordinal);
}
