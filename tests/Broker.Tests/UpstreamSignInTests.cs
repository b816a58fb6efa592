using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace GenomeNode.Broker.Tests;

/// <summary>Researchers signing in at an upstream OpenID Connect provider, which WireMock plays (discovery, JWKS, token, userinfo).</summary>
public sealed class UpstreamSignInTests : IAsyncDisposable
{
    private const string UpstreamClientId = "genome-node-broker";
    private const string UpstreamUser = "upstream-user-17@lifescience-ri.eu";
    private const string VisaIssuer = "https://visas.upstream.example";

    private readonly BrokerNode node;
    private readonly TestTokenIssuer idp;
    private readonly TestTokenIssuer upstreamVisas;
    private readonly TestTokenIssuer untrusted;

    public UpstreamSignInTests()
    {
        TestTokenIssuer? provider = null;
        TestTokenIssuer? visas = null;
        node = new BrokerNode(localAccounts: false, configure: (broker, settings) =>
        {
            var idpUrl = $"http://127.0.0.1:{broker.Issuers.Port}/idp/";
            provider = new TestTokenIssuer(idpUrl, idpUrl + "jwks");
            visas = new TestTokenIssuer(VisaIssuer, $"http://127.0.0.1:{broker.Issuers.Port}/upstream-visas/jwks");
            settings["Broker:Upstream:Issuer"] = idpUrl;
            settings["Broker:Upstream:ClientId"] = UpstreamClientId;
            settings["Broker:Upstream:ClientSecret"] = "upstream-secret";
            settings["Passport:TrustedVisaIssuers:1:Issuer"] = VisaIssuer;
            settings["Passport:TrustedVisaIssuers:1:Jku"] = visas.JwksUrl;
            settings["Passport:TrustedVisaIssuers:1:SubjectsOfBroker"] = broker.Issuer;
        });
        idp = provider!;
        upstreamVisas = visas!;
        untrusted = new TestTokenIssuer("https://untrusted.example", $"http://127.0.0.1:{node.Issuers.Port}/untrusted/jwks");
        node.Serve(idp, "/idp/jwks");
        node.Serve(upstreamVisas, "/upstream-visas/jwks");
        node.Serve(untrusted, "/untrusted/jwks");
        var discovery = new JsonObject
        {
            ["issuer"] = idp.Issuer,
            ["authorization_endpoint"] = idp.Issuer + "authorize",
            ["token_endpoint"] = idp.Issuer + "token",
            ["userinfo_endpoint"] = idp.Issuer + "userinfo",
            ["jwks_uri"] = idp.JwksUrl,
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post"),
            ["grant_types_supported"] = new JsonArray("authorization_code"),
        };
        node.Issuers.Given(Request.Create().WithPath("/idp/.well-known/openid-configuration").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(discovery.ToJsonString()));
    }

    public async ValueTask DisposeAsync()
    {
        await node.DisposeAsync();
        idp.Dispose();
        upstreamVisas.Dispose();
        untrusted.Dispose();
    }

    [Fact]
    public async Task A_researcher_signs_in_upstream_and_the_passport_carries_the_trusted_upstream_visas()
    {
        var trustedVisa = upstreamVisas.Visa(UpstreamUser, "ControlledAccessGrants", "https://example.org/datasets/upstream-ds");
        var untrustedVisa = untrusted.Visa(UpstreamUser, "ControlledAccessGrants", "https://example.org/datasets/forged");
        using var browser = node.Browser();
        var (verifier, challenge) = BrokerNode.Pkce();

        // No session: the broker sends the browser to the upstream provider.
        using var toUpstream = await browser.GetAsync(BrokerNode.AuthorizeUrl(challenge));
        Assert.Equal(HttpStatusCode.Redirect, toUpstream.StatusCode);
        var upstreamAuthorize = toUpstream.Headers.Location!;
        Assert.StartsWith(idp.Issuer + "authorize?", upstreamAuthorize.ToString(), StringComparison.Ordinal);
        Assert.Equal(UpstreamClientId, BrokerNode.QueryValue(upstreamAuthorize, "client_id"));
        Assert.Equal(node.BaseUrl + "/connect/callback", BrokerNode.QueryValue(upstreamAuthorize, "redirect_uri"));
        Assert.Contains("ga4gh_passport_v1", BrokerNode.QueryValue(upstreamAuthorize, "scope"), StringComparison.Ordinal);
        var state = BrokerNode.QueryValue(upstreamAuthorize, "state")!;
        var nonce = BrokerNode.QueryValue(upstreamAuthorize, "nonce");

        // The provider signs the user in and answers the code it sends back with tokens and the user's visas.
        var now = DateTimeOffset.UtcNow;
        var idToken = new JsonObject
        {
            ["iss"] = idp.Issuer,
            ["sub"] = UpstreamUser,
            ["aud"] = UpstreamClientId,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
            ["name"] = "Upstream Researcher",
        };
        if (nonce is not null)
        {
            idToken["nonce"] = nonce;
        }

        var tokenAnswer = new JsonObject
        {
            ["access_token"] = "upstream-access-token",
            ["token_type"] = "Bearer",
            ["expires_in"] = 600,
            ["id_token"] = idp.Sign(new JsonObject { ["alg"] = "RS256", ["kid"] = idp.KeyId, ["typ"] = "JWT" }, idToken),
        };
        node.Issuers.Given(Request.Create().WithPath("/idp/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(tokenAnswer.ToJsonString()));
        var userinfo = new JsonObject
        {
            ["sub"] = UpstreamUser,
            ["name"] = "Upstream Researcher",
            ["ga4gh_passport_v1"] = new JsonArray(trustedVisa, untrustedVisa),
        };
        node.Issuers.Given(Request.Create().WithPath("/idp/userinfo").UsingGet().WithHeader("Authorization", "Bearer upstream-access-token"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(userinfo.ToJsonString()));

        using var callback = await browser.GetAsync("/connect/callback?code=upstream-code&state=" + Uri.EscapeDataString(state));
        var callbackBody = await callback.Content.ReadAsStringAsync();
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"{callback.StatusCode}: {callbackBody}");
        using var back = await browser.GetAsync(callback.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var redirect = back.Headers.Location!;
        Assert.StartsWith(BrokerNode.WebRedirect, redirect.ToString(), StringComparison.Ordinal);
        var tokens = await BrokerNode.RedeemCodeAsync(browser, BrokerNode.QueryValue(redirect, "code")!, verifier);

        var (_, access) = TestTokenIssuer.Open(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(UpstreamUser, access["sub"]!.GetValue<string>());
        Assert.Equal(idp.Issuer, access["idp"]!.GetValue<string>());
        var (status, exchanged) = await TokenTests.ExchangeAsync(browser, tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, status);
        var passport = exchanged.GetProperty("access_token").GetString()!;
        Assert.Equal([trustedVisa], TestTokenIssuer.Open(passport).Payload["ga4gh_passport_v1"]!.AsArray().Select(v => v!.GetValue<string>()));
        var validation = await node.Services.GetRequiredService<PassportValidator>().ValidateAsync(passport, default);
        Assert.True(validation.Passport is { Visas.Count: 1 }, validation.Rejection?.ToString() ?? string.Join("; ", validation.Passport!.Ignored));
        Assert.Equal(1, node.Count("SELECT count(*) FROM broker.upstream_visas WHERE subject = $1", UpstreamUser));
        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task A_callback_with_an_unknown_state_signs_nobody_in()
    {
        using var browser = node.Browser();

        using var response = await browser.GetAsync("/connect/callback?code=x&state=forged");

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task Without_local_accounts_there_is_no_sign_in_form_and_no_password_grant()
    {
        using var browser = node.Browser();

        using var form = await browser.GetAsync("/connect/login?returnUrl=" + Uri.EscapeDataString("/connect/authorize?x=1"));
        Assert.Equal(HttpStatusCode.NotFound, form.StatusCode);
        var (status, body) = await BrokerNode.PostTokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = BrokerNode.Researcher,
            ["password"] = BrokerNode.ResearcherPassword,
            ["client_id"] = BrokerNode.WebClient,
            ["client_secret"] = BrokerNode.WebSecret,
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unsupported_grant_type", body.GetProperty("error").GetString());
    }
}
