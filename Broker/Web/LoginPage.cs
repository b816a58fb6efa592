using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace GenomeNode.Broker.Web;

/// <summary>
/// The demo accounts' sign-in form (<c>Broker:LocalAccounts</c>): plain HTML with no external assets, protected against
/// cross-site posts by an antiforgery token. It exists only when local accounts are configured.
/// </summary>
internal static class LoginPage
{
    /// <summary>Checked when the user id is unknown, so that a wrong user id costs as long as a wrong password.</summary>
    internal static readonly string UnknownUserHash = SecretHash.Hash(Guid.NewGuid().ToString(), SecretHash.DefaultIterations);

    // The form posts to this page only; nothing else is loaded.
    private const string Policy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IResult ShowAsync(HttpContext context, string? returnUrl, IAntiforgery antiforgery, IOptionsMonitor<BrokerOptions> options)
    {
        var settings = options.CurrentValue;
        if (settings.LocalAccounts.Count == 0 || !BrokerEndpoints.IsAuthorizeReturn(returnUrl))
        {
            return NotHere();
        }

        return Page(context, antiforgery, settings, returnUrl!, error: null);
    }

    public static async Task<IResult> SubmitAsync(HttpContext context, IAntiforgery antiforgery, IOptionsMonitor<BrokerOptions> options)
    {
        var settings = options.CurrentValue;
        if (settings.LocalAccounts.Count == 0 || !context.Request.HasFormContentType)
        {
            return NotHere();
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form has expired or did not come from this page; load it again.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        if (!BrokerEndpoints.IsAuthorizeReturn(returnUrl))
        {
            return NotHere();
        }

        var userId = form["username"].ToString();
        var account = settings.LocalAccounts.FirstOrDefault(a => string.Equals(a.UserId, userId, StringComparison.Ordinal));
        var valid = SecretHash.Verify(form["password"].ToString(), account?.Password ?? UnknownUserHash) && account is not null;
        if (!valid)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page(context, antiforgery, settings, returnUrl, "The user name or password is wrong.");
        }

        var identity = new ClaimsIdentity(BrokerModule.SessionScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, account!.UserId));
        if (!string.IsNullOrEmpty(account.Name))
        {
            identity.AddClaim(new Claim(Claims.Name, account.Name));
        }

        identity.AddClaim(new Claim(BrokerScopes.IdentityProviderClaim, BrokerScopes.LocalIdentityProvider));
        await context.SignInAsync(BrokerModule.SessionScheme, new ClaimsPrincipal(identity));
        return TypedResults.Redirect(context.Request.PathBase + returnUrl);
    }

    private static ProblemHttpResult NotHere() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "There is no sign-in form here.");

    private static ContentHttpResult Page(HttpContext context, IAntiforgery antiforgery, BrokerOptions settings, string returnUrl, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.ContentSecurityPolicy = Policy;
        context.Response.Headers.CacheControl = "no-store";
        var action = WebUtility.HtmlEncode(context.Request.PathBase + BrokerEndpoints.LoginPath);
        var upstream = settings.Upstream.IsConfigured
            ? $"""<p><a href="{WebUtility.HtmlEncode(context.Request.PathBase + BrokerEndpoints.UpstreamLoginPath + QueryString.Create("returnUrl", returnUrl))}">Sign in at {WebUtility.HtmlEncode(settings.Upstream.DisplayName)}</a></p>"""
            : "";
        var message = error is null ? "" : $"""<p role="alert">{WebUtility.HtmlEncode(error)}</p>""";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Sign in</title>
            <style>body{"{"}font-family:sans-serif;max-width:24rem;margin:3rem auto{"}"} label,input{"{"}display:block;margin:.4rem 0{"}"}</style></head>
            <body>
            <h1>Sign in (demo account)</h1>
            {message}
            <form method="post" action="{action}">
            <input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
            <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
            <label for="username">User</label><input id="username" name="username" autocomplete="username" required>
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form>
            {upstream}
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
