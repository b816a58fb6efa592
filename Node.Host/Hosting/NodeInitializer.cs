using GenomeNode.Beacon.Api;
using GenomeNode.Host.Demo;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Hosting;

/// <summary>
/// Prepares storage before the node accepts requests: lifecycle "starting" hooks run before any hosted service
/// starts, the web server included, so no request ever meets an unmigrated database.
/// </summary>
internal sealed class NodeInitializer(IServiceProvider services, IOptions<NodeOptions> options, ILogger<NodeInitializer> logger)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var node = options.Value;
        NodeComposition.OpenDatabase(services);
        if (node.SeedDemo)
        {
            await DemoDataset.SeedIfEmptyAsync(services, cancellationToken);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var datasets = await scope.ServiceProvider.GetRequiredService<DatasetCatalog>().ListAsync(cancellationToken);
            if (services.GetRequiredService<IOptions<BeaconOptions>>().Value.UnknownDatasetSettings(datasets) is { Count: > 0 } unknown)
            {
                throw new OptionsValidationException(BeaconOptions.Section, typeof(BeaconOptions), unknown);
            }
        }

        if (node.Organization.Url == new OrganizationOptions().Url)
        {
            Log.OrganizationNotConfigured(logger);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
