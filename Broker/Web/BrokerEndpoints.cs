using System.Collections.Immutable;
using System.Security.Claims;
using GenomeNode.Broker.Passports;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Client.AspNetCore;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace GenomeNode.Broker.Web;

/// <summary>
/// The broker's endpoints that OpenIddict hands over once it has checked the request (client, redirect URI, PKCE,
/// grant permissions, tokens): who the user is, which claims go where, and the passport of a token exchange. Also the
/// sign-in pages: the demo accounts' form and the upstream identity provider's challenge and callback.
/// </summary>
internal static partial class BrokerEndpoints
{
    public const string LoginPath = "/connect/login";
    public const string UpstreamLoginPath = "/connect/login/upstream";
    public const string CallbackPath = "/connect/callback";
    private const string AuthorizePath = "/connect/authorize";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(AuthorizePath, ["GET", "POST"], AuthorizeAsync).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapPost("/connect/token", TokenAsync).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapMethods("/connect/userinfo", ["GET", "POST"], UserInfoAsync).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapMethods("/connect/logout", ["GET", "POST"], (Delegate)LogoutAsync).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapGet(LoginPath, LoginPage.ShowAsync).ExcludeFromDescription();
        endpoints.MapPost(LoginPath, LoginPage.SubmitAsync).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapGet(UpstreamLoginPath, ChallengeUpstream).ExcludeFromDescription();
        endpoints.MapMethods(CallbackPath, ["GET", "POST"], UpstreamCallbackAsync).DisableAntiforgery().ExcludeFromDescription();
    }

    /// <summary>A return address the sign-in pages may send the browser back to: only the broker's own authorize endpoint.</summary>
    public static bool IsAuthorizeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl.StartsWith(AuthorizePath + "?", StringComparison.Ordinal) && !returnUrl.Contains('\\', StringComparison.Ordinal);

    private static async Task<IResult> AuthorizeAsync(HttpContext context, IOptionsMonitor<BrokerOptions> options)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request is null)
        {
            return TypedResults.BadRequest();
        }

        var session = await context.AuthenticateAsync(BrokerModule.SessionScheme);
        if (!session.Succeeded || session.Principal.FindFirst(Claims.Subject)?.Value is not { Length: > 0 } subject)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // Below the path base, as the sign-in form checks it; the form and the upstream sign-in add the base.
            var returnUrl = context.Request.Path + QueryForReturn(context.Request);
            var settings = options.CurrentValue;
            if (settings.LocalAccounts.Count > 0)
            {
                return TypedResults.Redirect(context.Request.PathBase + LoginPath + QueryString.Create("returnUrl", returnUrl));
            }

            if (settings.Upstream.IsConfigured)
            {
                return UpstreamChallenge(context.Request.PathBase + returnUrl);
            }

            return Forbid(Errors.AccessDenied, "No way to sign in is configured at this broker (Broker:Upstream or Broker:LocalAccounts).");
        }

        var identity = UserIdentity(subject, session.Principal.FindFirst(Claims.Name)?.Value,
            session.Principal.FindFirst(BrokerScopes.IdentityProviderClaim)?.Value ?? BrokerScopes.LocalIdentityProvider, request.GetScopes());
        return SignIn(identity);
    }

    /// <summary>The authorize request as it came, for returning to it after sign-in (a POSTed one as a query).</summary>
    private static string QueryForReturn(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || !request.HasFormContentType)
        {
            return request.QueryString.Value ?? "";
        }

        return QueryString.Create(request.Form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))).Value ?? "";
    }

    private static async Task<IResult> TokenAsync(
        HttpContext context, IOptionsMonitor<BrokerOptions> options, PassportMinter minter, PublicBaseUrl publicUrl)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request is null)
        {
            return TypedResults.BadRequest();
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (result.Principal?.GetClaim(Claims.Subject) is not { Length: > 0 } subject)
            {
                return Forbid(Errors.InvalidGrant, "The token is no longer valid.");
            }

            var idp = result.Principal.GetClaim(BrokerScopes.IdentityProviderClaim) ?? BrokerScopes.LocalIdentityProvider;
            if (idp == BrokerScopes.LocalIdentityProvider && !options.CurrentValue.LocalAccounts.Any(a => a.UserId == subject))
            {
                return Forbid(Errors.InvalidGrant, "The account no longer exists.");
            }

            var identity = UserIdentity(subject, result.Principal.GetClaim(Claims.Name), idp, result.Principal.GetScopes());
            return SignIn(identity);
        }

        if (request.IsClientCredentialsGrantType())
        {
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            // A client's own token carries no researcher's visas: the passport scope is not granted to it.
            identity.SetScopes(request.GetScopes().Where(s => s != BrokerScopes.Passport && s != Scopes.OpenId && s != Scopes.OfflineAccess));
            identity.SetDestinations(static _ => [Destinations.AccessToken]);
            return SignIn(identity);
        }

        if (request.IsPasswordGrantType())
        {
            var account = options.CurrentValue.LocalAccounts.FirstOrDefault(a => string.Equals(a.UserId, request.Username, StringComparison.Ordinal));
            // The hash is checked even for an unknown user, so the answer's timing does not tell which user ids exist.
            var valid = SecretHash.Verify(request.Password ?? "", account?.Password ?? LoginPage.UnknownUserHash) && account is not null;
            if (!valid)
            {
                return Forbid(Errors.InvalidGrant, "The user name or password is wrong.");
            }

            var identity = UserIdentity(account!.UserId, account.Name, BrokerScopes.LocalIdentityProvider, request.GetScopes());
            return SignIn(identity);
        }

        if (request.IsTokenExchangeGrantType())
        {
            return await ExchangeAsync(context, request, minter, publicUrl);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    /// <summary>RFC 8693 per AAI 1.2: a Passport-Scoped Access Token of this broker for the subject's passport.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext context, OpenIddictRequest request, PassportMinter minter, PublicBaseUrl publicUrl)
    {
        if (!string.Equals(request.RequestedTokenType, BrokerScopes.PassportTokenType, StringComparison.Ordinal))
        {
            return Forbid(Errors.InvalidRequest, $"requested_token_type must be {BrokerScopes.PassportTokenType}: this broker exchanges access tokens for passports only.");
        }

        if (!string.Equals(request.SubjectTokenType, TokenTypeIdentifiers.AccessToken, StringComparison.Ordinal))
        {
            return Forbid(Errors.InvalidRequest, $"subject_token_type must be {TokenTypeIdentifiers.AccessToken}.");
        }

        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal;
        if (principal?.GetClaim(Claims.Subject) is not { Length: > 0 } subject || principal.GetClaim(BrokerScopes.IdentityProviderClaim) is null)
        {
            return Forbid(Errors.InvalidRequest, "The subject token does not name a user of this broker.");
        }

        if (!principal.HasScope(BrokerScopes.Passport) || !principal.HasScope(Scopes.OpenId))
        {
            return Forbid(Errors.InvalidRequest, $"The subject token is not a Passport-Scoped Access Token (scopes openid and {BrokerScopes.Passport}).");
        }

        var issuer = publicUrl.For(context.Request) + "/";
        var (passport, expires) = await minter.MintAsync(subject, issuer, principal.GetExpirationDate(), context.RequestAborted);
        var lifetime = (long)Math.Max(0, (expires - DateTimeOffset.UtcNow).TotalSeconds);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["access_token"] = passport,
            ["issued_token_type"] = BrokerScopes.PassportTokenType,
            ["token_type"] = "Bearer",
            ["expires_in"] = lifetime,
        });
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, PassportMinter minter, PublicBaseUrl publicUrl)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal?.GetClaim(Claims.Subject) is not { Length: > 0 } subject)
        {
            return TypedResults.Challenge(
                properties: new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The access token is not valid.",
                }),
                authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var answer = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = subject };
        if (result.Principal.HasScope(Scopes.Profile) && result.Principal.GetClaim(Claims.Name) is { Length: > 0 } name)
        {
            answer[Claims.Name] = name;
        }

        if (result.Principal.HasScope(BrokerScopes.Passport) && result.Principal.GetClaim(BrokerScopes.IdentityProviderClaim) is not null)
        {
            answer[BrokerScopes.Passport] = await minter.VisasAsync(subject, publicUrl.For(context.Request) + "/", context.RequestAborted);
        }

        return TypedResults.Json(answer);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(BrokerModule.SessionScheme);
        return TypedResults.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult ChallengeUpstream(HttpContext context, string? returnUrl, IOptionsMonitor<BrokerOptions> options) =>
        !options.CurrentValue.Upstream.IsConfigured || !IsAuthorizeReturn(returnUrl)
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No upstream sign-in for this address.")
            : UpstreamChallenge(context.Request.PathBase + returnUrl);

    private static ChallengeHttpResult UpstreamChallenge(string returnUrl) =>
        TypedResults.Challenge(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictClientAspNetCoreConstants.Properties.ProviderName] = BrokerModule.UpstreamProvider,
            })
            { RedirectUri = returnUrl },
            [OpenIddictClientAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>
    /// The upstream identity provider's answer: its user (<c>sub</c>) becomes the broker's user, the visas it sent
    /// (userinfo <c>ga4gh_passport_v1</c>) are kept if the clearinghouse trusts them, and the browser goes back to
    /// the authorize request it came from.
    /// </summary>
    private static async Task<IResult> UpstreamCallbackAsync(
        HttpContext context, PassportValidator validator, UpstreamVisaStore visas, ILoggerFactory loggers)
    {
        var result = await context.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        var logger = loggers.CreateLogger("GenomeNode.Broker");
        if (!result.Succeeded || result.Principal?.FindFirst(Claims.Subject)?.Value is not { Length: > 0 } subject)
        {
            Log.UpstreamSignInFailed(logger, result.Failure?.Message ?? "no subject");
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The sign-in at the identity provider did not succeed.");
        }

        var upstream = result.Principal.FindFirst(Claims.Issuer)?.Value ?? result.Principal.FindFirst(Claims.Subject)!.Issuer;
        var collected = new List<CollectedVisa>();
        var offered = result.Principal.FindAll(BrokerScopes.Passport).Select(c => c.Value).ToList();
        foreach (var visa in offered)
        {
            var (accepted, rejection) = await validator.ValidateVisaAsync(visa, context.RequestAborted);
            if (accepted is not null)
            {
                collected.Add(new CollectedVisa(visa, accepted.Issuer, accepted.ExpiresAt));
            }
            else
            {
                var reason = rejection?.ToString() ?? "refused";
                Log.UpstreamVisaSkipped(logger, upstream, reason);
            }
        }

        visas.Replace(subject, upstream, collected);
        var offeredCount = offered.Count;
        Log.UpstreamSignIn(logger, upstream, collected.Count, offeredCount);
        var session = new ClaimsIdentity(BrokerModule.SessionScheme, Claims.Name, Claims.Role);
        session.AddClaim(new Claim(Claims.Subject, subject));
        if (result.Principal.FindFirst(Claims.Name)?.Value is { Length: > 0 } name)
        {
            session.AddClaim(new Claim(Claims.Name, name));
        }

        session.AddClaim(new Claim(BrokerScopes.IdentityProviderClaim, upstream));
        await context.SignInAsync(BrokerModule.SessionScheme, new ClaimsPrincipal(session));
        var returnUrl = result.Properties?.RedirectUri;
        var local = returnUrl is not null && context.Request.PathBase.HasValue && returnUrl.StartsWith(context.Request.PathBase.Value!, StringComparison.Ordinal)
            ? returnUrl[context.Request.PathBase.Value!.Length..]
            : returnUrl;
        return IsAuthorizeReturn(local) ? TypedResults.Redirect(returnUrl!) : TypedResults.Redirect(context.Request.PathBase + "/");
    }

    /// <summary>The identity the broker's tokens are made of: <c>sub</c> and <c>idp</c> in the access token, <c>name</c> in the id token.</summary>
    internal static ClaimsIdentity UserIdentity(string subject, string? name, string identityProvider, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetScopes(scopes);
        identity.SetClaim(Claims.Subject, subject);
        identity.SetClaim(BrokerScopes.IdentityProviderClaim, identityProvider);
        if (!string.IsNullOrEmpty(name))
        {
            identity.SetClaim(Claims.Name, name);
        }

        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name => identity.HasScope(Scopes.Profile) ? [Destinations.AccessToken, Destinations.IdentityToken] : [Destinations.AccessToken],
            _ => [Destinations.AccessToken, Destinations.IdentityToken],
        });
        return identity;
    }

    private static SignInHttpResult SignIn(ClaimsIdentity identity) =>
        TypedResults.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static ForbidHttpResult Forbid(string error, string description) =>
        TypedResults.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Sign-in at the upstream identity provider failed: {Reason}")]
        public static partial void UpstreamSignInFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "A visa from {Upstream} was not kept: {Reason}")]
        public static partial void UpstreamVisaSkipped(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "A user signed in at {Upstream}; {Kept} of {Offered} visas kept")]
        public static partial void UpstreamSignIn(ILogger logger, string upstream, int kept, int offered);
    }
}
