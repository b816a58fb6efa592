using System.Globalization;
using GenomeNode.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GenomeNode.Host.Hosting;

/// <summary>Healthy when the node's DuckDB file answers a query over its migrations table.</summary>
internal sealed class DuckDbHealthCheck(NodeDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = database.OpenConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {MigrationRunner.TableName}";
            var migrations = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            return HealthCheckResult.Healthy($"{NodeDatabase.FileName} answers; {migrations} migrations applied");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The reason goes to the operator's logs via the health check publisher, not to callers.
            return HealthCheckResult.Unhealthy($"{NodeDatabase.FileName} does not answer", ex);
        }
    }
}
