using DuckDB.NET.Data;
using GenomeNode.Beacon.Api;
using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Store;
using GenomeNode.Host.Demo;
using GenomeNode.Storage;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Hosting;

/// <summary>
/// Prepares storage before the node accepts requests: lifecycle "starting" hooks run before any hosted service
/// starts, the web server included, so no request ever meets an unmigrated database.
/// </summary>
internal sealed class NodeInitializer(
    IServiceProvider services, IOptions<NodeOptions> options, IConfiguration configuration, ILogger<NodeInitializer> logger)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var node = options.Value;
        // The operator's own files are only pointed out, never changed behind their back.
        foreach (var (path, mode, isDirectory) in OwnerOnly.Exposed(Path.GetFullPath(node.DataDirectory)))
        {
            Log.DataExposed(logger, isDirectory ? "directory" : "file", path, OwnerOnly.Octal(mode), path);
        }

        try
        {
            NodeComposition.OpenDatabase(services);
            services.GetRequiredService<NodeDatabase>().ConfigureForServing(node.DuckDbThreads, node.DuckDbMemoryLimitMiB);
            // The node's first signing key, if it has none yet, before anything is signed or published.
            _ = services.GetRequiredService<GenomeNode.Passport.Issuing.INodeSigningKeys>().Current;
            if (node.SeedDemo)
            {
                await DemoDataset.SeedIfEmptyAsync(services, cancellationToken);
            }

            if (node.SeedDemoAccess)
            {
                await DemoAccess.SeedIfMissingAsync(services, cancellationToken);
            }
        }
        catch (DuckDBException ex) when (NodeDatabase.DescribeDamage(services.GetRequiredService<NodeDatabase>().DatabasePath, ex) is { } damage)
        {
            // Damage found past opening (loading DUO, seeding the demo) stops the node with the same one line.
            throw new NodeStorageException(damage, ex);
        }

        var hostHeader = HostHeaderPolicy.Decide(configuration);
        if (hostHeader.TrustsAnyHost)
        {
            Log.HostHeaderTrusted(logger, configuration[HostHeaderPolicy.AllowedHostsKey] ?? "",
                string.Join(";", HostHeaderPolicy.ListeningUrls(configuration)));
        }
        else if (hostHeader.DefaultAllowedHosts is { } hosts)
        {
            // Behind a reverse proxy the forwarded Host is another name: say which ones answer, and how to change it.
            Log.HostsAllowedByDefault(logger, string.Join(";", hosts));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var datasets = await scope.ServiceProvider.GetRequiredService<DatasetCatalog>().ListAsync(cancellationToken);
            if (services.GetRequiredService<IOptions<BeaconOptions>>().Value.UnknownDatasetSettings(datasets) is { Count: > 0 } unknown)
            {
                throw new OptionsValidationException(BeaconOptions.Section, typeof(BeaconOptions), unknown);
            }

            if (services.GetRequiredService<IOptions<PrivacyOptions>>().Value.UnknownDatasetSettings(datasets) is { Count: > 0 } unknownPrivacy)
            {
                throw new OptionsValidationException(PrivacyOptions.Section, typeof(PrivacyOptions), unknownPrivacy);
            }
        }

        if (node.Organization.Url == new OrganizationOptions().Url)
        {
            Log.OrganizationNotConfigured(logger);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // Built in the background now rather than by the first query, which DuckDB answers meanwhile.
        services.GetRequiredService<VariantIndex>().Warm();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
