using System.Net;
using System.Text.Json;
using GenomeNode.Tests;

namespace GenomeNode.Broker.Tests;

public sealed class CodeFlowTests : IAsyncDisposable
{
    private readonly BrokerNode node = new();

    public ValueTask DisposeAsync() => node.DisposeAsync();

    [Fact]
    public async Task The_authentication_middleware_runs_for_the_brokers_paths_only()
    {
        // OpenIddict matching every request of the node against its endpoints cost a third of a small request's CPU.
        using var client = node.Browser();

        Assert.Equal("skipped", await client.GetStringAsync(BrokerNode.ProbePath));
        Assert.Equal("ran", await client.GetStringAsync("/connect" + BrokerNode.ProbePath));
    }

    [Fact]
    public async Task Discovery_names_the_issuer_the_endpoints_and_S256_only()
    {
        using var client = node.Browser();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration"));
        var root = document.RootElement;
        Assert.Equal(node.Issuer, root.GetProperty("issuer").GetString());
        Assert.Equal(node.BaseUrl + "/.well-known/jwks", root.GetProperty("jwks_uri").GetString());
        Assert.Equal(node.BaseUrl + "/connect/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal(node.BaseUrl + "/connect/userinfo", root.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(["S256"], root.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        var grants = root.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("urn:ietf:params:oauth:grant-type:token-exchange", grants);
        Assert.Contains("client_credentials", grants);
        Assert.Contains("ga4gh_passport_v1", root.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_demo_researcher_signs_in_with_PKCE_and_gets_signed_JWT_tokens()
    {
        using var browser = node.Browser();
        var (verifier, challenge) = BrokerNode.Pkce();
        var redirect = await BrokerNode.SignInLocallyAsync(browser, BrokerNode.AuthorizeUrl(challenge));

        Assert.StartsWith(BrokerNode.WebRedirect + "?", redirect.ToString(), StringComparison.Ordinal);
        Assert.Equal("state-1", BrokerNode.QueryValue(redirect, "state"));
        Assert.Equal(node.Issuer, BrokerNode.QueryValue(redirect, "iss"));
        var tokens = await BrokerNode.RedeemCodeAsync(browser, BrokerNode.QueryValue(redirect, "code")!, verifier);

        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.True(tokens.TryGetProperty("refresh_token", out _));
        var (header, payload) = TestTokenIssuer.Open(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.True(header["typ"]?.GetValue<string>() is "at+jwt" or "at+JWT", header.ToJsonString());
        Assert.Equal(node.Keys.Current.Kid, header["kid"]!.GetValue<string>());
        Assert.Equal(BrokerNode.Researcher, payload["sub"]!.GetValue<string>());
        Assert.Equal(node.Issuer, payload["iss"]!.GetValue<string>());
        var (_, identity) = TestTokenIssuer.Open(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal("Demo Researcher", identity["name"]!.GetValue<string>());
        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task A_public_client_uses_the_code_flow_with_PKCE_and_no_secret()
    {
        using var browser = node.Browser();
        var (verifier, challenge) = BrokerNode.Pkce();
        var redirect = await BrokerNode.SignInLocallyAsync(
            browser, BrokerNode.AuthorizeUrl(challenge, BrokerNode.PublicClient, BrokerNode.PublicRedirect, scope: "openid ga4gh_passport_v1"));

        var (status, body) = await BrokerNode.PostTokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = BrokerNode.QueryValue(redirect, "code")!,
            ["redirect_uri"] = BrokerNode.PublicRedirect,
            ["code_verifier"] = verifier,
            ["client_id"] = BrokerNode.PublicClient,
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task A_redirect_uri_the_client_did_not_register_is_refused_without_redirecting()
    {
        using var browser = node.Browser();
        var (_, challenge) = BrokerNode.Pkce();

        using var response = await browser.GetAsync(BrokerNode.AuthorizeUrl(challenge, redirectUri: "https://attacker.example/callback"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task An_unknown_client_is_refused_at_authorize_without_redirecting_and_at_the_token_endpoint_with_401()
    {
        using var browser = node.Browser();
        var (_, challenge) = BrokerNode.Pkce();

        using var authorize = await browser.GetAsync(BrokerNode.AuthorizeUrl(challenge, clientId: "nobody"));
        Assert.Equal(HttpStatusCode.BadRequest, authorize.StatusCode);
        Assert.Null(authorize.Headers.Location);

        var (status, body) = await BrokerNode.PostTokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "nobody",
            ["client_secret"] = "whatever",
        });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_authorization_request_without_PKCE_is_answered_with_invalid_request()
    {
        using var browser = node.Browser();

        using var response = await browser.GetAsync(BrokerNode.AuthorizeUrl("", method: null));

        // OpenIddict checks the parameters before it trusts the redirect URI, so it answers here, never redirecting.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("error:invalid_request", text, StringComparison.Ordinal);
        Assert.Contains("code_challenge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_code_challenge_is_refused()
    {
        using var browser = node.Browser();
        var (verifier, _) = BrokerNode.Pkce();

        using var response = await browser.GetAsync(BrokerNode.AuthorizeUrl(verifier, method: "plain"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("error:invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_invalid_grant()
    {
        using var browser = node.Browser();
        var (_, challenge) = BrokerNode.Pkce();
        var redirect = await BrokerNode.SignInLocallyAsync(browser, BrokerNode.AuthorizeUrl(challenge));

        var (status, body) = await BrokerNode.PostTokenAsync(browser, CodeRedemption(BrokerNode.QueryValue(redirect, "code")!, BrokerNode.Pkce().Verifier));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_wrong_client_secret_is_invalid_client_with_401()
    {
        using var browser = node.Browser();
        var (verifier, challenge) = BrokerNode.Pkce();
        var redirect = await BrokerNode.SignInLocallyAsync(browser, BrokerNode.AuthorizeUrl(challenge));
        var form = CodeRedemption(BrokerNode.QueryValue(redirect, "code")!, verifier);
        form["client_secret"] = "not-the-secret";

        var (status, body) = await BrokerNode.PostTokenAsync(browser, form);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_replayed_code_is_invalid_grant_and_revokes_the_tokens_issued_for_it()
    {
        using var browser = node.Browser();
        var (verifier, challenge) = BrokerNode.Pkce();
        var redirect = await BrokerNode.SignInLocallyAsync(browser, BrokerNode.AuthorizeUrl(challenge));
        var code = BrokerNode.QueryValue(redirect, "code")!;
        var first = await BrokerNode.RedeemCodeAsync(browser, code, verifier);
        var accessToken = first.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(browser, accessToken)).Status);

        var (status, body) = await BrokerNode.PostTokenAsync(browser, CodeRedemption(code, verifier));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(browser, accessToken)).Status);
        var (refreshStatus, refreshBody) = await BrokerNode.PostTokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = first.GetProperty("refresh_token").GetString()!,
            ["client_id"] = BrokerNode.WebClient,
            ["client_secret"] = BrokerNode.WebSecret,
        });
        Assert.Equal(HttpStatusCode.BadRequest, refreshStatus);
        Assert.Equal("invalid_grant", refreshBody.GetProperty("error").GetString());
        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task Of_two_concurrent_redemptions_of_one_code_exactly_one_succeeds()
    {
        for (var round = 0; round < 10; round++)
        {
            using var browser = node.Browser();
            using var second = node.Browser();
            var (verifier, challenge) = BrokerNode.Pkce();
            var redirect = await BrokerNode.SignInLocallyAsync(browser, BrokerNode.AuthorizeUrl(challenge));
            var form = CodeRedemption(BrokerNode.QueryValue(redirect, "code")!, verifier);

            var answers = await Task.WhenAll(BrokerNode.PostTokenAsync(browser, form), BrokerNode.PostTokenAsync(second, form));

            Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            var refused = Assert.Single(answers, a => a.Status != HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Equal("invalid_grant", refused.Body.GetProperty("error").GetString());
        }

        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task A_wrong_password_or_a_form_without_its_antiforgery_token_signs_nobody_in()
    {
        using var browser = node.Browser();
        var (_, challenge) = BrokerNode.Pkce();
        var authorize = BrokerNode.AuthorizeUrl(challenge);
        var toLogin = await browser.GetAsync(authorize);
        var page = await browser.GetStringAsync(toLogin.Headers.Location);
        var returnUrl = System.Net.WebUtility.HtmlDecode(BrokerNode.FormField(page, "returnUrl"));

        using var wrong = await browser.PostAsync("/connect/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__form"] = BrokerNode.FormField(page, "__form"),
            ["returnUrl"] = returnUrl,
            ["username"] = BrokerNode.Researcher,
            ["password"] = "wrong",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("wrong", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var forged = node.Browser();
        using var noToken = await forged.PostAsync("/connect/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = returnUrl,
            ["username"] = BrokerNode.Researcher,
            ["password"] = BrokerNode.ResearcherPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        // Still nobody signed in: the authorize request goes to the form again.
        using var again = await browser.GetAsync(authorize);
        Assert.StartsWith("/connect/login?", again.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Empty(node.Failures);
    }

    [Fact]
    public async Task The_sign_in_form_returns_only_to_the_authorize_endpoint()
    {
        using var browser = node.Browser();

        using var response = await browser.GetAsync("/connect/login?returnUrl=" + Uri.EscapeDataString("https://attacker.example/"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static Dictionary<string, string> CodeRedemption(string code, string verifier) => new()
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = BrokerNode.WebRedirect,
        ["code_verifier"] = verifier,
        ["client_id"] = BrokerNode.WebClient,
        ["client_secret"] = BrokerNode.WebSecret,
    };

    internal static async Task<(HttpStatusCode Status, string Body)> UserInfoAsync(HttpClient client, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
