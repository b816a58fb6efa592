using System.Reflection;
using GenomeNode.Broker.Keys;
using GenomeNode.Broker.Passports;
using GenomeNode.Broker.Stores;
using GenomeNode.Broker.Web;
using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Web;
using GenomeNode.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Client;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace GenomeNode.Broker;

/// <summary>
/// The node's OpenID Connect provider (OpenIddict): researchers sign in (upstream identity provider or demo accounts),
/// clients get codes, access and refresh tokens, and exchange access tokens for GA4GH passports.
/// </summary>
public static class BrokerModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "broker";

    /// <summary>The cookie session of a researcher signed in at the broker.</summary>
    public const string SessionScheme = "GenomeNode.Broker.Session";

    /// <summary>The OpenIddict client's name for the upstream identity provider.</summary>
    public const string UpstreamProvider = "upstream";

    // Every path OpenIddict or the session cookie answers: its discovery documents and everything under /connect.
    private const string ConfigurationPath = ".well-known/openid-configuration";
    private const string KeySetPath = ".well-known/jwks";
    private const string ConnectPath = "/connect";

    // The mark UseAuthentication leaves in IApplicationBuilder.Properties (ASP.NET Core's, not a public constant).
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static Assembly Assembly => typeof(BrokerModule).Assembly;

    /// <summary>The module's versioned SQL scripts (embedded resources <c>Migrations/NNNN_name.sql</c>).</summary>
    public static ModuleMigrations Migrations { get; } = ModuleMigrations.FromAssembly(Name, Assembly);

    /// <summary>
    /// Registers the broker: <see cref="BrokerOptions"/> from section <c>Broker</c>, OpenIddict's server (and its client
    /// when <c>Broker:Upstream</c> names an issuer) over the broker's DuckDB stores, the session cookie, and
    /// <see cref="IOwnBroker"/> for the clearinghouse. Needs the node's <see cref="INodeSigningKeys"/>, the scoped
    /// <c>DuckDBConnection</c>, <see cref="NodeDatabase"/> and <see cref="PublicBaseUrl"/>.
    /// </summary>
    public static IHostApplicationBuilder AddBroker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var section = builder.Configuration.GetSection(BrokerOptions.Section);
        var settings = section.Get<BrokerOptions>() ?? new BrokerOptions();
        services.AddOptions<BrokerOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrokerOptions>, BrokerOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<UpstreamVisaStore>();
        services.AddScoped<PassportMinter>();
        services.AddSingleton<IOwnBroker, OwnBroker>();
        services.AddSingleton<BrokerPruner>();
        services.AddHostedService(services => services.GetRequiredService<BrokerPruner>());
        services.AddSingleton<BrokerSecrets>();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "genome-node-broker-form";
            options.FormFieldName = "__form";
        });

        services.AddAuthentication().AddCookie(SessionScheme, options =>
        {
            options.Cookie.Name = "genome-node-broker";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = false;
            options.LoginPath = BrokerEndpoints.LoginPath;
        });

        var openIddict = services.AddOpenIddict();
        openIddict.AddCore(core =>
        {
            core.SetDefaultApplicationEntity<BrokerApplication>()
                .SetDefaultAuthorizationEntity<BrokerAuthorization>()
                .SetDefaultTokenEntity<BrokerToken>();
            core.ReplaceApplicationStore<BrokerApplication, ConfiguredApplicationStore>(ServiceLifetime.Singleton);
            core.ReplaceAuthorizationStore<BrokerAuthorization, DuckDbAuthorizationStore>(ServiceLifetime.Scoped);
            core.ReplaceTokenStore<BrokerToken, DuckDbTokenStore>(ServiceLifetime.Scoped);
            core.ReplaceApplicationManager<BrokerApplication, BrokerApplicationManager>();
            core.ReplaceTokenManager<BrokerToken, BrokerTokenManager>();
            // Entries are read from the database every time: a token revoked by another request is seen at once.
            core.DisableEntityCaching();
        });

        openIddict.AddServer(server =>
        {
            server.SetConfigurationEndpointUris(ConfigurationPath)
                .SetJsonWebKeySetEndpointUris(KeySetPath)
                .SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetUserInfoEndpointUris("connect/userinfo")
                .SetEndSessionEndpointUris("connect/logout")
                .SetRevocationEndpointUris("connect/revoke");
            server.AllowAuthorizationCodeFlow()
                .RequireProofKeyForCodeExchange()
                .AllowClientCredentialsFlow()
                .AllowRefreshTokenFlow()
                .AllowTokenExchangeFlow();
            if (settings.LocalAccounts.Count > 0)
            {
                // Demo only: the password grant exists for local accounts, and only clients configured with it may use it.
                server.AllowPasswordFlow();
            }

            server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, BrokerScopes.Passport);
            server.RegisterClaims(Claims.Subject, Claims.Name, BrokerScopes.Passport);
            // Scopes are the fixed list above, checked per client by its permissions; no scope entities are stored.
            server.DisableScopeValidation();
            // Partners verify access tokens with the published JWKS: signed JWTs, not encrypted ones.
            server.DisableAccessTokenEncryption();
            // A refresh token is used once: a second use is a replay, which revokes the whole chain.
            server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
            server.SetAccessTokenLifetime(TimeSpan.FromMinutes(settings.AccessTokenMinutes))
                .SetIdentityTokenLifetime(TimeSpan.FromMinutes(settings.AccessTokenMinutes))
                .SetRefreshTokenLifetime(TimeSpan.FromDays(settings.RefreshTokenDays))
                .SetAuthorizationCodeLifetime(TimeSpan.FromSeconds(settings.AuthorizationCodeSeconds))
                .SetIssuedTokenLifetime(TimeSpan.FromMinutes(settings.PassportMinutes));
            foreach (var handler in NodeKeyHandlers.Descriptors)
            {
                server.AddEventHandler(handler);
            }

            var aspNetCore = server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableUserInfoEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough();
            if (settings.AllowHttp)
            {
                aspNetCore.DisableTransportSecurityRequirement();
            }
        });
        services.AddOptions<OpenIddictServerOptions>().Configure<BrokerSecrets, INodeSigningKeys, PublicBaseUrl, TimeProvider>((server, secrets, keys, publicUrl, time) =>
        {
            // The node's clock decides token lifetimes, as it decides everything else's.
            server.TimeProvider = time;
            server.EncryptionCredentials.Add(new EncryptingCredentials(
                new SymmetricSecurityKey(secrets.Derive("server encryption")), SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
            // OpenIddict requires a signing key at start; every use takes the ring's current key (NodeKeyHandlers).
            server.SigningCredentials.Add(keys.Current);
            server.RequestedTokenTypes.Add(BrokerScopes.PassportTokenType);
            // PKCE with S256 only: "plain" would hand the verifier to whoever sees the authorization request.
            server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
            if (publicUrl.Configured is { } configured)
            {
                server.Issuer = new Uri(configured + "/");
            }
        });

        if (settings.Upstream.IsConfigured)
        {
            AddUpstream(openIddict, settings);
        }

        return builder;
    }

    private static void AddUpstream(OpenIddictBuilder openIddict, BrokerOptions settings)
    {
        var upstream = settings.Upstream;
        openIddict.AddClient(client =>
        {
            client.AllowAuthorizationCodeFlow();
            client.SetRedirectionEndpointUris(BrokerEndpoints.CallbackPath.TrimStart('/'));
            var aspNetCore = client.UseAspNetCore().EnableRedirectionEndpointPassthrough();
            if (settings.AllowHttp)
            {
                aspNetCore.DisableTransportSecurityRequirement();
                // Over http a browser drops a Secure cookie, and SameSite=None needs Secure: the correlation cookie of
                // the upstream sign-in follows the request's scheme and travels on the top-level redirect back (Lax).
                aspNetCore.Configure(options =>
                {
                    options.CookieBuilder.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                    options.CookieBuilder.SameSite = SameSiteMode.Lax;
                });
            }

            client.UseSystemNetHttp();
            var registration = new OpenIddictClientRegistration
            {
                ProviderName = UpstreamProvider,
                Issuer = new Uri(upstream.EffectiveIssuer!, UriKind.Absolute),
                ClientId = upstream.ClientId,
                ClientSecret = upstream.ClientSecret,
                RedirectUri = new Uri(BrokerEndpoints.CallbackPath.TrimStart('/'), UriKind.Relative),
            };
            registration.Scopes.Add(Scopes.OpenId);
            foreach (var scope in upstream.EffectiveScopes)
            {
                registration.Scopes.Add(scope);
            }

            client.AddRegistration(registration);
        });
        openIddict.Services.AddOptions<OpenIddictClientOptions>().Configure<BrokerSecrets>((client, secrets) =>
        {
            client.EncryptionCredentials.Add(new EncryptingCredentials(
                new SymmetricSecurityKey(secrets.Derive("client encryption")), SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
            client.SigningCredentials.Add(new SigningCredentials(
                new SymmetricSecurityKey(secrets.Derive("client signing")), SecurityAlgorithms.HmacSha256));
        });
    }

    /// <summary>Maps the broker's sign-in pages and the endpoints OpenIddict passes through (authorize, token, userinfo, logout).</summary>
    public static IEndpointRouteBuilder MapBroker(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        BrokerEndpoints.Map(endpoints);
        return endpoints;
    }

    /// <summary>Runs the authentication middleware the broker needs (OpenIddict and the session cookie); before the endpoints.</summary>
    public static IApplicationBuilder UseBroker(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Only the broker's own paths: OpenIddict's server and client otherwise match every request of the node
        // against their endpoints (a third of a small request's CPU), and nothing else authenticates through ASP.NET
        // Core. A WebApplication adds the middleware for every request unless its own builder is marked as having it,
        // which a UseWhen branch's call does not do.
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.UseWhen(IsBrokerPath, broker => broker.UseAuthentication());
    }

    private static bool IsBrokerPath(HttpContext context)
    {
        var path = context.Request.Path;
        return path.StartsWithSegments(ConnectPath, StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/" + ConfigurationPath, StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/" + KeySetPath, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The broker's secret from its owner-only key file, read once.</summary>
internal sealed class BrokerSecrets(IOptions<BrokerOptions> options, NodeDatabase database)
{
    private readonly Lazy<byte[]> secret = new(() => BrokerEncryptionKey.LoadOrCreate(
        options.Value.EncryptionKeyFile is { Length: > 0 } file ? file : Path.Combine(database.DataDirectory, BrokerEncryptionKey.DefaultFileName)));

    public byte[] Derive(string purpose) => BrokerEncryptionKey.Derive(secret.Value, purpose);
}
