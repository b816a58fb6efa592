using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace GenomeNode.Broker.Stores;

/// <summary>
/// The broker's clients as configured (<c>Broker:Clients</c>), read-only: a client is added or changed by changing the
/// configuration, so no client lives in the database where an old copy could outlast its removal.
/// </summary>
internal sealed class ConfiguredApplicationStore(IOptionsMonitor<BrokerOptions> options) : IOpenIddictApplicationStore<BrokerApplication>
{
    private const string ReadOnly = "The broker's clients come from configuration (Broker:Clients) and cannot be changed at run time.";

    // One hash per configured plain secret: hashing at every request would cost a PBKDF2 run twice.
    private static readonly ConditionalWeakTable<BrokerClientOptions, string> HashedSecrets = new();

    private List<BrokerApplication> Applications => options.CurrentValue.Clients.Select(ToApplication).ToList();

    internal static BrokerApplication ToApplication(BrokerClientOptions client)
    {
        var isPublic = string.Equals(client.Type, "public", StringComparison.OrdinalIgnoreCase);
        var permissions = new List<string> { Permissions.Endpoints.Token, Permissions.Endpoints.Revocation };
        foreach (var grant in client.GrantTypes)
        {
            switch (grant)
            {
                case "authorization_code":
                    permissions.Add(Permissions.Endpoints.Authorization);
                    permissions.Add(Permissions.Endpoints.EndSession);
                    permissions.Add(Permissions.GrantTypes.AuthorizationCode);
                    permissions.Add(Permissions.ResponseTypes.Code);
                    break;
                case "refresh_token":
                    permissions.Add(Permissions.GrantTypes.RefreshToken);
                    break;
                case "client_credentials":
                    permissions.Add(Permissions.GrantTypes.ClientCredentials);
                    break;
                case "password":
                    permissions.Add(Permissions.GrantTypes.Password);
                    break;
                case "token_exchange":
                    permissions.Add(Permissions.Prefixes.GrantType + GrantTypes.TokenExchange);
                    break;
            }
        }

        permissions.Add(Permissions.Prefixes.Scope + BrokerScopes.Passport);
        permissions.Add(Permissions.Scopes.Profile);
        permissions.Add(Permissions.Scopes.Email);
        string? secretHash = null;
        if (!isPublic)
        {
            secretHash = !string.IsNullOrEmpty(client.ClientSecretHash)
                ? client.ClientSecretHash
                : HashedSecrets.GetValue(client, c => SecretHash.Hash(c.ClientSecret ?? "", 10_000));
        }

        return new BrokerApplication
        {
            Id = client.ClientId,
            ClientId = client.ClientId,
            ClientSecretHash = secretHash,
            ClientType = isPublic ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = client.DisplayName,
            RedirectUris = client.RedirectUris,
            PostLogoutRedirectUris = client.PostLogoutRedirectUris,
            Permissions = permissions,
            Requirements = [Requirements.Features.ProofKeyForCodeExchange],
        };
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) => new(Applications.Count);

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<BrokerApplication>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        new(query(Applications.AsQueryable()).LongCount());

    public ValueTask CreateAsync(BrokerApplication application, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask DeleteAsync(BrokerApplication application, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask UpdateAsync(BrokerApplication application, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask<BrokerApplication?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        new(Applications.FirstOrDefault(a => string.Equals(a.Id, identifier, StringComparison.Ordinal)));

    public ValueTask<BrokerApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken) =>
        new(Applications.FirstOrDefault(a => string.Equals(a.ClientId, identifier, StringComparison.Ordinal)));

    public IAsyncEnumerable<BrokerApplication> FindByPostLogoutRedirectUriAsync(string uri, CancellationToken cancellationToken) =>
        Applications.Where(a => a.PostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal)).ToAsyncEnumerable();

    public IAsyncEnumerable<BrokerApplication> FindByRedirectUriAsync(string uri, CancellationToken cancellationToken) =>
        Applications.Where(a => a.RedirectUris.Contains(uri, StringComparer.Ordinal)).ToAsyncEnumerable();

    public ValueTask<string?> GetApplicationTypeAsync(BrokerApplication application, CancellationToken cancellationToken) =>
        new(ApplicationTypes.Web);

    public ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<BrokerApplication>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        new(query(Applications.AsQueryable(), state).FirstOrDefault());

    public ValueTask<string?> GetClientIdAsync(BrokerApplication application, CancellationToken cancellationToken) => new(application.ClientId);

    public ValueTask<string?> GetClientSecretAsync(BrokerApplication application, CancellationToken cancellationToken) => new(application.ClientSecretHash);

    public ValueTask<string?> GetClientTypeAsync(BrokerApplication application, CancellationToken cancellationToken) => new(application.ClientType);

    public ValueTask<string?> GetConsentTypeAsync(BrokerApplication application, CancellationToken cancellationToken) => new(ConsentTypes.Implicit);

    public ValueTask<string?> GetDisplayNameAsync(BrokerApplication application, CancellationToken cancellationToken) => new(application.DisplayName);

    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDisplayNamesAsync(BrokerApplication application, CancellationToken cancellationToken) =>
        new(ImmutableDictionary<CultureInfo, string>.Empty);

    public ValueTask<string?> GetIdAsync(BrokerApplication application, CancellationToken cancellationToken) => new(application.Id);

    public ValueTask<JsonWebKeySet?> GetJsonWebKeySetAsync(BrokerApplication application, CancellationToken cancellationToken) => new((JsonWebKeySet?)null);

    public ValueTask<ImmutableArray<string>> GetPermissionsAsync(BrokerApplication application, CancellationToken cancellationToken) =>
        new([.. application.Permissions]);

    public ValueTask<ImmutableArray<string>> GetPostLogoutRedirectUrisAsync(BrokerApplication application, CancellationToken cancellationToken) =>
        new([.. application.PostLogoutRedirectUris]);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(BrokerApplication application, CancellationToken cancellationToken) =>
        new(ImmutableDictionary<string, JsonElement>.Empty);

    public ValueTask<ImmutableArray<string>> GetRedirectUrisAsync(BrokerApplication application, CancellationToken cancellationToken) =>
        new([.. application.RedirectUris]);

    public ValueTask<ImmutableArray<string>> GetRequirementsAsync(BrokerApplication application, CancellationToken cancellationToken) =>
        new([.. application.Requirements]);

    public ValueTask<ImmutableDictionary<string, string>> GetSettingsAsync(BrokerApplication application, CancellationToken cancellationToken) =>
        new(ImmutableDictionary<string, string>.Empty);

    public ValueTask<BrokerApplication> InstantiateAsync(CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public IAsyncEnumerable<BrokerApplication> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        Applications.Skip(offset ?? 0).Take(count ?? int.MaxValue).ToAsyncEnumerable();

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<BrokerApplication>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        query(Applications.AsQueryable(), state).ToList().ToAsyncEnumerable();

    public ValueTask SetApplicationTypeAsync(BrokerApplication application, string? type, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetClientIdAsync(BrokerApplication application, string? identifier, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetClientSecretAsync(BrokerApplication application, string? secret, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetClientTypeAsync(BrokerApplication application, string? type, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetConsentTypeAsync(BrokerApplication application, string? type, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetDisplayNameAsync(BrokerApplication application, string? name, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetDisplayNamesAsync(BrokerApplication application, ImmutableDictionary<CultureInfo, string> names, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetJsonWebKeySetAsync(BrokerApplication application, JsonWebKeySet? set, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetPermissionsAsync(BrokerApplication application, ImmutableArray<string> permissions, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetPostLogoutRedirectUrisAsync(BrokerApplication application, ImmutableArray<string> uris, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetPropertiesAsync(BrokerApplication application, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetRedirectUrisAsync(BrokerApplication application, ImmutableArray<string> uris, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetRequirementsAsync(BrokerApplication application, ImmutableArray<string> requirements, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);

    public ValueTask SetSettingsAsync(BrokerApplication application, ImmutableDictionary<string, string> settings, CancellationToken cancellationToken) => throw new NotSupportedException(ReadOnly);
}
