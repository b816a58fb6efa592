using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace GenomeNode.Broker.Stores;

/// <summary>
/// Deletes what the broker no longer needs, every <see cref="BrokerOptions.PruneEveryMinutes"/>: token entries that
/// expired or were redeemed or revoked, and ad hoc sign-ins no token refers to, once older than
/// <see cref="BrokerOptions.PruneAfterDays"/>. Valid, unexpired entries are never deleted, whatever their age.
/// </summary>
public sealed partial class BrokerPruner(
    IServiceScopeFactory scopes, IOptions<BrokerOptions> options, TimeProvider time, ILogger<BrokerPruner> logger) : BackgroundService
{
    /// <summary>Prunes once: the token entries first, so that the sign-ins they referred to go in the same round.</summary>
    /// <returns>How many token entries and sign-ins were deleted.</returns>
    public async Task<(long Tokens, long Authorizations)> PruneAsync(CancellationToken cancellationToken)
    {
        var threshold = time.GetUtcNow() - TimeSpan.FromDays(options.Value.PruneAfterDays);
        await using var scope = scopes.CreateAsyncScope();
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        if (tokens + authorizations > 0)
        {
            LogPruned(logger, tokens, authorizations, threshold);
        }

        return (tokens, authorizations);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first round after one period: the node has opened its database by then.
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.PruneEveryMinutes), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A round that fails (a concurrent change of the same entry, a full disk) is tried again at the next.
                LogPruneFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "Broker pruned {Tokens} token entries and {Authorizations} sign-ins no longer needed, from before {Threshold}")]
    private static partial void LogPruned(ILogger logger, long tokens, long authorizations, DateTimeOffset threshold);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Pruning the broker's tables failed; tried again at the next round")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
