using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace GenomeNode.Broker.Stores;

/// <summary>
/// OpenIddict's application manager with the broker's secret format: configured client secrets are
/// <see cref="SecretHash"/> values (PBKDF2), so the configuration can hold a hash instead of the secret.
/// </summary>
internal sealed class BrokerApplicationManager(
    IOpenIddictApplicationCache<BrokerApplication> cache,
    ILogger<OpenIddictApplicationManager<BrokerApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<BrokerApplication> store)
    : OpenIddictApplicationManager<BrokerApplication>(cache, logger, options, store)
{
    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        new(SecretHash.Verify(secret, comparand));

    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        new(SecretHash.Hash(secret));
}
