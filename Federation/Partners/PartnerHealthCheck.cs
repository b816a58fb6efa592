using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GenomeNode.Federation.Partners;

/// <summary>
/// Partners' reachability for /health: Degraded, never Unhealthy, when some partner is down (the node still answers,
/// its network answers report the missing partner). A partner whose state is older than
/// <see cref="FederationOptions.HealthProbeSeconds"/> is asked for its /info first, all of them at once.
/// </summary>
public sealed class PartnerHealthCheck(PartnerDirectory directory, PartnerClient client, IOptions<FederationOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (directory.Partners.Count == 0)
        {
            return HealthCheckResult.Healthy("no partners configured");
        }

        var stale = time.GetUtcNow().AddSeconds(-options.Value.HealthProbeSeconds);
        await Task.WhenAll(directory.Partners.Where(partner => partner.Reachability is not { } known || known.CheckedAt < stale)
            .Select(partner => client.ProbeAsync(partner, cancellationToken)));
        var down = directory.Partners.Where(partner => partner.Reachability is not { Reachable: true }).ToList();
        var data = directory.Partners.ToDictionary(partner => partner.Id,
            partner => (object)(partner.Reachability is { Reachable: true } ? "reachable" : $"unreachable: {partner.Reachability?.Problem ?? "not checked"}"));
        return down.Count == 0
            ? HealthCheckResult.Healthy($"{directory.Partners.Count} partners reachable", data)
            : HealthCheckResult.Degraded(
                $"{down.Count} of {directory.Partners.Count} partners unreachable: " +
                string.Join("; ", down.Select(partner => $"{partner.Id} ({partner.Reachability?.Problem ?? "not checked"})")), data: data);
    }
}
