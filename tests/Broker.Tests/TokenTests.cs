using System.Net;
using System.Text.Json;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Issuing;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Broker.Tests;

public sealed class TokenTests : IAsyncDisposable
{
    // RFC 8693 2.2.2 names invalid_request for a subject token it refuses; OpenIddict answers invalid_grant for a token it cannot validate.
    private static readonly string[] RefusedSubjectToken = ["invalid_request", "invalid_grant"];

    private readonly BrokerNode node = new();

    public ValueTask DisposeAsync() => node.DisposeAsync();

    [Fact]
    public async Task A_partner_service_gets_a_token_with_client_credentials_and_it_carries_no_passport()
    {
        using var client = node.Browser();
        var (status, body) = await BrokerNode.PostTokenAsync(client, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = BrokerNode.PartnerClient,
            ["client_secret"] = BrokerNode.PartnerSecret,
            ["scope"] = "ga4gh_passport_v1",
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var token = body.GetProperty("access_token").GetString()!;
        var (_, payload) = TestTokenIssuer.Open(token);
        Assert.Equal(BrokerNode.PartnerClient, payload["sub"]!.GetValue<string>());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.Null(await node.Services.GetRequiredService<IOwnBroker>().PassportForAsync(token, default));
        var (exchangeStatus, exchange) = await ExchangeAsync(client, token);
        Assert.Equal(HttpStatusCode.BadRequest, exchangeStatus);
        Assert.Equal("invalid_request", exchange.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_client_without_the_client_credentials_grant_is_refused_it()
    {
        using var client = node.Browser();
        var (status, body) = await BrokerNode.PostTokenAsync(client, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = BrokerNode.WebClient,
            ["client_secret"] = BrokerNode.WebSecret,
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unauthorized_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_refresh_token_rotates_and_its_reuse_revokes_the_chain()
    {
        var tokens = await node.CodeFlowTokensAsync();
        using var client = node.Browser();
        var first = tokens.GetProperty("refresh_token").GetString()!;

        var (status, rotated) = await BrokerNode.PostTokenAsync(client, Refresh(first));
        Assert.Equal(HttpStatusCode.OK, status);
        var second = rotated.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);
        var newAccess = rotated.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await CodeFlowTests.UserInfoAsync(client, newAccess)).Status);

        var (reuseStatus, reuse) = await BrokerNode.PostTokenAsync(client, Refresh(first));
        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
        Assert.Equal("invalid_grant", reuse.GetProperty("error").GetString());

        // The reuse revoked everything issued from that sign-in: the rotated refresh token and its access token too.
        var (afterStatus, after) = await BrokerNode.PostTokenAsync(client, Refresh(second));
        Assert.Equal(HttpStatusCode.BadRequest, afterStatus);
        Assert.Equal("invalid_grant", after.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await CodeFlowTests.UserInfoAsync(client, newAccess)).Status);
        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task An_expired_refresh_token_is_invalid_grant()
    {
        var tokens = await node.CodeFlowTokensAsync();
        using var client = node.Browser();
        node.Clock.Advance(TimeSpan.FromDays(15));

        var (status, body) = await BrokerNode.PostTokenAsync(client, Refresh(tokens.GetProperty("refresh_token").GetString()!));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_revoked_refresh_token_is_invalid_grant()
    {
        var tokens = await node.CodeFlowTokensAsync();
        using var client = node.Browser();
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        using var revoked = await client.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = refresh,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = BrokerNode.WebClient,
            ["client_secret"] = BrokerNode.WebSecret,
        }));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        var (status, body) = await BrokerNode.PostTokenAsync(client, Refresh(refresh));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_exchange_answers_a_passport_that_validates_against_the_published_keys_and_the_node_rules()
    {
        var visa = node.Dac.Visa(BrokerNode.Researcher, "ControlledAccessGrants", "https://example.org/datasets/ds1");
        node.Committee.BySubject[BrokerNode.Researcher] = [visa];
        var tokens = await node.CodeFlowTokensAsync();
        using var client = node.Browser();

        var (status, body) = await ExchangeAsync(client, tokens.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("urn:ga4gh:params:oauth:token-type:passport", body.GetProperty("issued_token_type").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        var passport = body.GetProperty("access_token").GetString()!;

        // Microsoft.IdentityModel alone, with the JWKS the broker publishes.
        var keys = new JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks"));
        var checkedByLibrary = await new JsonWebTokenHandler().ValidateTokenAsync(passport, new TokenValidationParameters
        {
            ValidIssuer = node.Issuer,
            ValidateAudience = false,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidTypes = ["vnd.ga4gh.passport+jwt"],
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            LifetimeValidator = (notBefore, expires, _, _) => expires > node.Clock.GetUtcNow().UtcDateTime,
        });
        Assert.True(checkedByLibrary.IsValid, checkedByLibrary.Exception?.ToString());
        var claims = (JsonWebToken)checkedByLibrary.SecurityToken;
        Assert.Equal(BrokerNode.Researcher, claims.Subject);
        Assert.False(string.IsNullOrEmpty(claims.Id));
        Assert.True(claims.TryGetPayloadValue<long>("iat", out _));
        Assert.Equal([visa], TestTokenIssuer.Open(passport).Payload["ga4gh_passport_v1"]!.AsArray().Select(v => v!.GetValue<string>()));

        // And the node's own clearinghouse, which trusts this broker.
        var validation = await node.Services.GetRequiredService<PassportValidator>().ValidateAsync(passport, default);
        Assert.True(validation.Passport is not null, validation.Rejection?.ToString());
        Assert.True(validation.Passport.Visas.Count == 1, string.Join("; ", validation.Passport.Ignored));
        var accepted = Assert.Single(validation.Passport.Visas);
        Assert.Equal("https://example.org/datasets/ds1", accepted.Visa.Value);
    }

    [Fact]
    public async Task Token_exchange_refuses_a_foreign_an_expired_and_a_scopeless_token()
    {
        using var client = node.Browser();
        using var foreign = new TestTokenIssuer(node.Issuer, node.BaseUrl + "/.well-known/jwks");
        var (foreignStatus, foreignBody) = await ExchangeAsync(client, foreign.AccessToken(BrokerNode.Researcher));
        Assert.Equal(HttpStatusCode.BadRequest, foreignStatus);
        Assert.Contains(foreignBody.GetProperty("error").GetString(), RefusedSubjectToken);

        var noPassportScope = await node.CodeFlowTokensAsync(scope: "openid profile");
        var (scopeStatus, scopeBody) = await ExchangeAsync(client, noPassportScope.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, scopeStatus);
        Assert.Equal("invalid_request", scopeBody.GetProperty("error").GetString());

        var tokens = await node.CodeFlowTokensAsync();
        node.Clock.Advance(TimeSpan.FromHours(2));
        var (expiredStatus, expiredBody) = await ExchangeAsync(client, tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, expiredStatus);
        Assert.Contains(expiredBody.GetProperty("error").GetString(), RefusedSubjectToken);
        Assert.Empty(node.Failures);
    }

    [Theory]
    [InlineData("urn:ietf:params:oauth:token-type:saml2")]
    [InlineData("urn:ietf:params:oauth:token-type:access_token")]
    public async Task Token_exchange_refuses_any_requested_token_type_but_a_passport(string requested)
    {
        var tokens = await node.CodeFlowTokensAsync();
        using var client = node.Browser();

        var (status, body) = await ExchangeAsync(client, tokens.GetProperty("access_token").GetString()!, requested);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task Userinfo_answers_the_subject_and_with_the_passport_scope_its_visas()
    {
        var visa = node.Dac.Visa(BrokerNode.Researcher, "ControlledAccessGrants", "ds1");
        node.Committee.BySubject[BrokerNode.Researcher] = [visa];
        using var client = node.Browser();

        var withVisas = await node.CodeFlowTokensAsync();
        var (status, text) = await CodeFlowTests.UserInfoAsync(client, withVisas.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, status);
        using (var answer = JsonDocument.Parse(text))
        {
            Assert.Equal(BrokerNode.Researcher, answer.RootElement.GetProperty("sub").GetString());
            Assert.Equal([visa], answer.RootElement.GetProperty("ga4gh_passport_v1").EnumerateArray().Select(v => v.GetString()));
        }

        var without = await node.CodeFlowTokensAsync(scope: "openid");
        var (_, plain) = await CodeFlowTests.UserInfoAsync(client, without.GetProperty("access_token").GetString()!);
        using var plainAnswer = JsonDocument.Parse(plain);
        Assert.False(plainAnswer.RootElement.TryGetProperty("ga4gh_passport_v1", out _));

        var (junkStatus, _) = await CodeFlowTests.UserInfoAsync(client, "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, junkStatus);
    }

    [Fact]
    public async Task The_own_broker_mints_a_passport_for_its_tokens_and_nothing_for_others()
    {
        var visa = node.Dac.Visa(BrokerNode.Researcher, "ControlledAccessGrants", "ds1");
        node.Committee.BySubject[BrokerNode.Researcher] = [visa];
        var own = node.Services.GetRequiredService<IOwnBroker>();
        var tokens = await node.CodeFlowTokensAsync();
        var accessToken = tokens.GetProperty("access_token").GetString()!;

        var passport = await own.PassportForAsync(accessToken, default);

        Assert.NotNull(passport);
        var (header, payload) = TestTokenIssuer.Open(passport);
        Assert.Equal("vnd.ga4gh.passport+jwt", header["typ"]!.GetValue<string>());
        Assert.Equal(node.Issuer, payload["iss"]!.GetValue<string>());
        Assert.Equal([visa], payload["ga4gh_passport_v1"]!.AsArray().Select(v => v!.GetValue<string>()));

        using var foreign = new TestTokenIssuer(node.Issuer, node.BaseUrl + "/.well-known/jwks");
        Assert.Null(await own.PassportForAsync(foreign.AccessToken(BrokerNode.Researcher), default));
        Assert.Null(await own.PassportForAsync("junk", default));
        Assert.Null(await own.PassportForAsync(tokens.GetProperty("id_token").GetString()!, default));

        // Revoked with its sign-in (a reused refresh token): refused.
        using var client = node.Browser();
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        await BrokerNode.PostTokenAsync(client, Refresh(refresh));
        await BrokerNode.PostTokenAsync(client, Refresh(refresh));
        Assert.Null(await own.PassportForAsync(accessToken, default));

        var later = await node.CodeFlowTokensAsync();
        node.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await own.PassportForAsync(later.GetProperty("access_token").GetString()!, default));
    }

    [Fact]
    public async Task After_a_key_rotation_new_tokens_use_the_new_key_and_tokens_signed_before_stay_valid()
    {
        var before = await node.CodeFlowTokensAsync();
        var oldKid = node.Keys.Current.Kid;

        var newKid = node.Keys.Rotate();
        var after = await node.CodeFlowTokensAsync();

        using var client = node.Browser();
        Assert.Equal(newKid, TestTokenIssuer.Open(after.GetProperty("access_token").GetString()!).Header["kid"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await CodeFlowTests.UserInfoAsync(client, before.GetProperty("access_token").GetString()!)).Status);
        var (status, _) = await BrokerNode.PostTokenAsync(client, Refresh(before.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, status);
        using var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks"));
        var kids = jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Equal([newKid, oldKid], kids);
        Assert.All(jwks.RootElement.GetProperty("keys").EnumerateArray(), k => Assert.False(k.TryGetProperty("d", out _)));
        Assert.True(node.Keys.Signed.ContainsKey(newKid));
    }

    [Fact]
    public async Task The_demo_password_grant_works_for_local_accounts_only_and_only_for_clients_configured_with_it()
    {
        using var client = node.Browser();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = BrokerNode.Researcher,
            ["password"] = BrokerNode.ResearcherPassword,
            ["scope"] = "openid ga4gh_passport_v1",
            ["client_id"] = BrokerNode.DemoClient,
            ["client_secret"] = BrokerNode.DemoSecret,
        };
        var (status, body) = await BrokerNode.PostTokenAsync(client, form);
        Assert.Equal(HttpStatusCode.OK, status);
        var (exchangeStatus, _) = await ExchangeAsync(client, body.GetProperty("access_token").GetString()!, clientId: BrokerNode.DemoClient, secret: BrokerNode.DemoSecret);
        Assert.Equal(HttpStatusCode.OK, exchangeStatus);

        var (wrongStatus, wrong) = await BrokerNode.PostTokenAsync(client, new Dictionary<string, string>(form) { ["password"] = "nope" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal("invalid_grant", wrong.GetProperty("error").GetString());

        var (webStatus, web) = await BrokerNode.PostTokenAsync(client, new Dictionary<string, string>(form)
        {
            ["client_id"] = BrokerNode.WebClient,
            ["client_secret"] = BrokerNode.WebSecret,
        });
        Assert.Equal(HttpStatusCode.BadRequest, webStatus);
        Assert.Equal("unauthorized_client", web.GetProperty("error").GetString());
    }

    internal static Dictionary<string, string> Refresh(string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
        ["client_id"] = BrokerNode.WebClient,
        ["client_secret"] = BrokerNode.WebSecret,
    };

    internal static Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(
        HttpClient client, string subjectToken, string requested = "urn:ga4gh:params:oauth:token-type:passport",
        string? clientId = null, string? secret = null) =>
        BrokerNode.PostTokenAsync(client, new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = subjectToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["requested_token_type"] = requested,
            ["client_id"] = clientId ?? BrokerNode.WebClient,
            ["client_secret"] = secret ?? BrokerNode.WebSecret,
        });
}
