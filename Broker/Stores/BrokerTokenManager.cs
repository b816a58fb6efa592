using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace GenomeNode.Broker.Stores;

/// <summary>
/// OpenIddict's token manager with an atomic redemption. OpenIddict checks that a code or refresh token is valid when
/// it validates the request and marks it redeemed later, reading the entry again in between; its own redemption counts
/// an entry already marked redeemed on that second read as redeemed by this request. Two requests racing with one
/// code could so both be answered with tokens. Here a redemption is one conditional update (valid → redeemed), which
/// only one of them can make; the other is refused as OpenIddict refuses a replay.
/// </summary>
internal sealed class BrokerTokenManager(
    IOpenIddictTokenCache<BrokerToken> cache,
    ILogger<OpenIddictTokenManager<BrokerToken>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictTokenStore<BrokerToken> store,
    TimeProvider time)
    : OpenIddictTokenManager<BrokerToken>(cache, logger, options, store)
{
    public override ValueTask<bool> TryRedeemAsync(BrokerToken token, CancellationToken cancellationToken = default) =>
        Store is DuckDbTokenStore tokens
            ? new(tokens.TryRedeem(token, time.GetUtcNow()))
            : base.TryRedeemAsync(token, cancellationToken);
}
