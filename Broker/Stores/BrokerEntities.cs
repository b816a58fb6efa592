namespace GenomeNode.Broker.Stores;

/// <summary>A client of the broker, read from configuration (<c>Broker:Clients</c>); never written at run time.</summary>
public sealed class BrokerApplication
{
    public required string Id { get; init; }

    public required string ClientId { get; init; }

    /// <summary>The client secret's hash (<see cref="SecretHash"/>), or null for a public client.</summary>
    public string? ClientSecretHash { get; init; }

    public required string ClientType { get; init; }

    public string? DisplayName { get; init; }

    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    public IReadOnlyList<string> PostLogoutRedirectUris { get; init; } = [];

    public IReadOnlyList<string> Permissions { get; init; } = [];

    public IReadOnlyList<string> Requirements { get; init; } = [];
}

/// <summary>An OpenIddict authorization (one per sign-in): the chain that a replayed code or refresh token revokes.</summary>
public sealed class BrokerAuthorization
{
    public string Id { get; set; } = "";

    public string? ApplicationId { get; set; }

    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString("N");

    public DateTimeOffset? CreationDate { get; set; }

    public string? Properties { get; set; }

    public string? Scopes { get; set; }

    public string? Status { get; set; }

    public string? Subject { get; set; }

    public string? Type { get; set; }
}

/// <summary>An OpenIddict token entry: an authorization code, a refresh token or an access token, with its status.</summary>
public sealed class BrokerToken
{
    public string Id { get; set; } = "";

    public string? ApplicationId { get; set; }

    public string? AuthorizationId { get; set; }

    public string ConcurrencyToken { get; set; } = Guid.NewGuid().ToString("N");

    public DateTimeOffset? CreationDate { get; set; }

    public DateTimeOffset? ExpirationDate { get; set; }

    public string? Payload { get; set; }

    public string? Properties { get; set; }

    public DateTimeOffset? RedemptionDate { get; set; }

    public string? ReferenceId { get; set; }

    public string? Status { get; set; }

    public string? Subject { get; set; }

    public string? Type { get; set; }
}
