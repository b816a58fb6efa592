using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenomeNode.Federation.Partners;

/// <summary>Fetches every partner's /info, /map and /filtering_terms when the node starts, then every <see cref="FederationOptions.MetadataRefreshMinutes"/>.</summary>
public sealed partial class PartnerMetadataRefresher(PartnerDirectory directory, PartnerClient client, IOptions<FederationOptions> options, TimeProvider time, ILogger<PartnerMetadataRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (directory.Partners.Count == 0)
        {
            return;
        }

        var refresh = TimeSpan.FromMinutes(options.Value.MetadataRefreshMinutes);
        var retry = TimeSpan.FromSeconds(5);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.WhenAll(directory.Partners.Select(async partner =>
            {
                try
                {
                    await client.RefreshMetadataAsync(partner, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A partner's metadata is never worth the node: logged, and asked again at the next round.
                    LogRefreshFailed(logger, ex, partner.Id);
                }
            }));

            // A partner not yet known (down, or slow while both nodes start) is asked again soon, then less often.
            var wait = refresh;
            if (directory.Partners.Any(partner => partner.Metadata is null))
            {
                wait = retry < refresh ? retry : refresh;
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, refresh.Ticks));
            }
            else
            {
                retry = TimeSpan.FromSeconds(5);
            }

            await Task.Delay(wait, time, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Partner {Partner}: its metadata could not be fetched")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string partner);
}
