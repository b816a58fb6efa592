using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GenomeNode.Beacon.Store;

/// <summary>
/// Whether the Beacon's in-memory index is ready: healthy while it is built (DuckDB answers meanwhile, more slowly),
/// degraded when building failed. Says nothing of the data (no counts): /health answers anyone.
/// </summary>
internal sealed class VariantIndexHealthCheck(VariantIndex index) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(index.State() switch
        {
            (true, _) => HealthCheckResult.Healthy("in memory"),
            (false, { } failure) => HealthCheckResult.Degraded($"not built ({failure}); queries are answered by DuckDB, more slowly"),
            _ => HealthCheckResult.Healthy("being built; queries are answered by DuckDB meanwhile"),
        });
}
