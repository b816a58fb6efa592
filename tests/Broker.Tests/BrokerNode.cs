using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using GenomeNode.Passport;
using GenomeNode.Passport.Issuing;
using GenomeNode.Storage;
using GenomeNode.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Broker.Tests;

/// <summary>
/// The broker as the node composes it (Passport's clearinghouse, the broker, a real DuckDB file, a real Kestrel on
/// 127.0.0.1), with a test key ring and committee, demo clients and a demo account, and WireMock serving a trusted visa
/// issuer's keys. The clearinghouse trusts this broker, so its passports can be checked with the node's own rules.
/// </summary>
internal sealed partial class BrokerNode : IAsyncDisposable
{
    public const string WebClient = "web";
    public const string WebSecret = "web-secret-1";
    public const string WebRedirect = "https://client.example/callback";
    public const string PartnerClient = "partner";
    public const string PartnerSecret = "partner-secret-1";
    public const string DemoClient = "demo-cli";
    public const string DemoSecret = "demo-secret-1";
    public const string PublicClient = "spa";
    public const string PublicRedirect = "http://127.0.0.1:9/spa";
    public const string Researcher = "researcher@demo";
    public const string ResearcherPassword = "correct horse battery";
    public const string DacIssuer = "https://dac.test.example";

    private static readonly string ResearcherHash = SecretHash.Hash(ResearcherPassword);
    private static readonly string PartnerHash = SecretHash.Hash(PartnerSecret);

    private readonly TemporaryDirectory directory = new("genome-node-broker");
    private readonly NodeDatabase database;
    private readonly WebApplication app;

    public BrokerNode(bool localAccounts = true, Action<BrokerNode, Dictionary<string, string?>>? configure = null)
    {
        Issuers = WireMockServer.Start();
        Dac = new TestTokenIssuer(DacIssuer, $"http://127.0.0.1:{Issuers.Port}/dac/jwks");
        Serve(Dac, "/dac/jwks");
        Port = LoopbackPorts.Free();
        BaseUrl = $"http://127.0.0.1:{Port}";
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = BaseUrl,
            ["Broker:AllowHttp"] = "true",
            ["Broker:Clients:0:ClientId"] = WebClient,
            ["Broker:Clients:0:ClientSecret"] = WebSecret,
            ["Broker:Clients:0:RedirectUris:0"] = WebRedirect,
            ["Broker:Clients:0:GrantTypes:0"] = "authorization_code",
            ["Broker:Clients:0:GrantTypes:1"] = "refresh_token",
            ["Broker:Clients:0:GrantTypes:2"] = "token_exchange",
            ["Broker:Clients:1:ClientId"] = PartnerClient,
            ["Broker:Clients:1:ClientSecretHash"] = PartnerHash,
            ["Broker:Clients:1:GrantTypes:0"] = "client_credentials",
            ["Broker:Clients:1:GrantTypes:1"] = "token_exchange",
            ["Broker:Clients:2:ClientId"] = PublicClient,
            ["Broker:Clients:2:Type"] = "public",
            ["Broker:Clients:2:RedirectUris:0"] = PublicRedirect,
            ["Broker:Clients:2:GrantTypes:0"] = "authorization_code",
            ["Passport:AllowLoopbackHttp"] = "true",
            ["Passport:TrustedBrokers:0:Issuer"] = BaseUrl + "/",
            ["Passport:TrustedBrokers:0:JwksUri"] = BaseUrl + "/.well-known/jwks",
            ["Passport:TrustedVisaIssuers:0:Issuer"] = Dac.Issuer,
            ["Passport:TrustedVisaIssuers:0:Jku"] = Dac.JwksUrl,
            // The committee names researchers by this broker's user ids, as REMS behind LS AAI does.
            ["Passport:TrustedVisaIssuers:0:SubjectsOfBroker"] = BaseUrl + "/",
        };
        if (localAccounts)
        {
            settings["Broker:LocalAccounts:0:UserId"] = Researcher;
            settings["Broker:LocalAccounts:0:Password"] = ResearcherHash;
            settings["Broker:LocalAccounts:0:Name"] = "Demo Researcher";
            settings["Broker:Clients:3:ClientId"] = DemoClient;
            settings["Broker:Clients:3:ClientSecret"] = DemoSecret;
            settings["Broker:Clients:3:GrantTypes:0"] = "password";
            settings["Broker:Clients:3:GrantTypes:1"] = "refresh_token";
            settings["Broker:Clients:3:GrantTypes:2"] = "token_exchange";
        }

        configure?.Invoke(this, settings);
        database = new NodeDatabase(directory.Path);
        database.Open(TestModules.Migrations, "test");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("BROKER_TEST_LOG") is not null) { builder.Logging.AddConsole(); builder.Logging.SetMinimumLevel(LogLevel.Debug); }
        builder.Services.AddSingleton(database);
        builder.Services.AddScoped(services => services.GetRequiredService<NodeDatabase>().OpenConnection());
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.AddPassport();
        builder.AddBroker();
        // After the modules: the test's key ring and committee stand in for whatever the modules register.
        builder.Services.Replace(ServiceDescriptor.Singleton<INodeSigningKeys>(Keys));
        builder.Services.RemoveAll<IIssuedVisas>();
        builder.Services.AddSingleton<IIssuedVisas>(Committee);
        app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = FailAsync });
        app.UseBroker();
        app.MapBroker();
        // Whether a request went through the authentication middleware, which leaves IAuthenticationFeature behind.
        app.MapGet(ProbePath, AuthenticationRan);
        app.MapGet("/connect" + ProbePath, AuthenticationRan);
        app.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>Answers "ran" or "skipped": whether the authentication middleware ran for the request.</summary>
    public const string ProbePath = "/probe/authentication";

    public int Port { get; }

    public string BaseUrl { get; }

    /// <summary>The broker's issuer: the base URL with a trailing slash.</summary>
    public string Issuer => BaseUrl + "/";

    public WireMockServer Issuers { get; }

    public TestTokenIssuer Dac { get; }

    public TestSigningKeys Keys { get; } = new();

    public TestIssuedVisas Committee { get; } = new();

    public ManualClock Clock { get; } = new();

    public IServiceProvider Services => app.Services;

    /// <summary>Exceptions that reached the host (each would have been a 500).</summary>
    public List<Exception> Failures { get; } = [];

    public string DataDirectory => directory.Path;

    public void Serve(TestTokenIssuer issuer, string path) =>
        Issuers.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(issuer.Jwks()));

    /// <summary>A browser: cookies kept, redirects not followed (each is checked by hand).</summary>
    public HttpClient Browser() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = new Uri(BaseUrl),
        };

    public DuckDBConnection OpenConnection() => database.OpenConnection();

    private static string AuthenticationRan(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Authentication.IAuthenticationFeature>() is null ? "skipped" : "ran";

    public long Count(string sql, params object?[] parameters)
    {
        using var connection = database.OpenConnection();
        return Convert.ToInt64(connection.Scalar(sql, parameters), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A PKCE pair: the verifier and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = TestTokenIssuer.B64(RandomNumberGenerator.GetBytes(32));
        return (verifier, TestTokenIssuer.B64(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(
        string challenge, string clientId = WebClient, string redirectUri = WebRedirect, string scope = "openid profile offline_access ga4gh_passport_v1",
        string state = "state-1", string? method = "S256") =>
        "/connect/authorize" + QueryString.Create(new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["state"] = state,
            ["code_challenge"] = method is null ? null : challenge,
            ["code_challenge_method"] = method,
        }.Where(p => p.Value is not null));

    /// <summary>Signs the demo researcher in through the form and follows the authorize request to the client's redirect.</summary>
    public static async Task<Uri> SignInLocallyAsync(HttpClient browser, string authorizeUrl, string password = ResearcherPassword)
    {
        var toLogin = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginUrl = toLogin.Headers.Location!.ToString();
        Assert.StartsWith("/connect/login?", loginUrl, StringComparison.Ordinal);
        var page = await browser.GetStringAsync(loginUrl);
        var form = new Dictionary<string, string>
        {
            ["__form"] = FormField(page, "__form"),
            ["returnUrl"] = WebUtility.HtmlDecode(FormField(page, "returnUrl")),
            ["username"] = Researcher,
            ["password"] = password,
        };
        var posted = await browser.PostAsync("/connect/login", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var back = await browser.GetAsync(posted.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        return back.Headers.Location!;
    }

    public static string FormField(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"no field {name} in the page");
        return match.Groups[1].Value;
    }

    public static string? QueryValue(Uri uri, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var value) ? value.ToString() : null;

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostTokenAsync(HttpClient client, Dictionary<string, string> form)
    {
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public static async Task<JsonElement> RedeemCodeAsync(HttpClient client, string code, string verifier)
    {
        var (status, body) = await PostTokenAsync(client, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = WebRedirect,
            ["code_verifier"] = verifier,
            ["client_id"] = WebClient,
            ["client_secret"] = WebSecret,
        });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body;
    }

    /// <summary>The demo researcher's tokens, through the whole code flow with PKCE.</summary>
    public async Task<JsonElement> CodeFlowTokensAsync(string scope = "openid profile offline_access ga4gh_passport_v1")
    {
        using var browser = Browser();
        var (verifier, challenge) = Pkce();
        var redirect = await SignInLocallyAsync(browser, AuthorizeUrl(challenge, scope: scope));
        return await RedeemCodeAsync(browser, QueryValue(redirect, "code")!, verifier);
    }

    private async Task FailAsync(Microsoft.AspNetCore.Http.HttpContext context)
    {
        var feature = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>();
        if (feature is not null)
        {
            lock (Failures)
            {
                Failures.Add(feature.Error);
            }
        }

        context.Response.StatusCode = 500;
        await context.Response.WriteAsync(feature?.Error.ToString() ?? "failure");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        database.Dispose();
        Issuers.Stop();
        Issuers.Dispose();
        Dac.Dispose();
        Keys.Dispose();
        directory.Dispose();
    }
}
