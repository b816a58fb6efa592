using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace GenomeNode.Broker.Passports;

/// <summary>
/// The clearinghouse's in-process way to this broker: an access token of this broker is validated exactly as the
/// token endpoint validates a subject token (OpenIddict's own rules: signature by a published key of the node, issuer,
/// type, lifetime, and its entry and authorization still valid, so a revoked chain is refused), and the subject's
/// passport is minted for it. Anything else (a foreign, expired, revoked or malformed token) gives null.
/// </summary>
internal sealed partial class OwnBroker(IServiceScopeFactory scopes, ILogger<OwnBroker> logger) : IOwnBroker
{
    public async ValueTask<string?> PassportForAsync(string accessToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(accessToken) || !SignedToken.TryDecode(accessToken, out var decoded, out _)
            || decoded?.Issuer is not { Length: > 0 } claimedIssuer || !Uri.TryCreate(claimedIssuer, UriKind.Absolute, out var issuerUri))
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var factory = services.GetRequiredService<IOpenIddictServerFactory>();
        var dispatcher = services.GetRequiredService<IOpenIddictServerDispatcher>();
        var transaction = await factory.CreateTransactionAsync();
        // Outside a request the issuer the token claims stands in for the request's; OpenIddict still refuses a token
        // whose issuer is not the configured one (Node:PublicUrl) when one is configured, and checks the signature.
        transaction.BaseUri = issuerUri;
        transaction.RequestUri = issuerUri;
        var context = new ValidateTokenContext(transaction)
        {
            Token = accessToken,
            ValidTokenTypes = { OpenIddictConstants.TokenTypeIdentifiers.AccessToken },
        };
        await dispatcher.DispatchAsync(context);
        if (context.IsRejected || context.Principal?.GetClaim(OpenIddictConstants.Claims.Subject) is not { Length: > 0 } subject)
        {
            Log.AccessTokenRefused(logger, context.Error ?? "no subject", context.ErrorDescription ?? "");
            return null;
        }

        if (context.Principal.GetClaim(BrokerScopes.IdentityProviderClaim) is null || !context.Principal.HasScope(BrokerScopes.Passport))
        {
            // A client's own token (client credentials) names no researcher, and a token without the passport scope
            // was not granted the visas (AAI 1.2: a Passport-Scoped Access Token).
            return null;
        }

        var minter = services.GetRequiredService<PassportMinter>();
        var (passport, _) = await minter.MintAsync(subject, claimedIssuer, context.Principal.GetExpirationDate(), cancellationToken);
        return passport;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "An access token handed to the node's own broker was refused: {Error} {Description}")]
        public static partial void AccessTokenRefused(ILogger logger, string error, string description);
    }
}
