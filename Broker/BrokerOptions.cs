using Microsoft.Extensions.Options;

namespace GenomeNode.Broker;

/// <summary>A client of the broker (<c>Broker:Clients:N</c>).</summary>
public sealed class BrokerClientOptions
{
    public string ClientId { get; set; } = "";

    /// <summary>The secret itself (kept only in memory, hashed at start); prefer <see cref="ClientSecretHash"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The secret's <see cref="SecretHash"/> (<c>pbkdf2-sha256$...</c>).</summary>
    public string? ClientSecretHash { get; set; }

    /// <summary><c>confidential</c> (a secret is required) or <c>public</c> (no secret; only the code flow with PKCE).</summary>
    public string Type { get; set; } = "confidential";

    public string? DisplayName { get; set; }

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>
    /// <c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>, <c>token_exchange</c> (RFC 8693 to a
    /// passport) and, for demo clients of local accounts only, <c>password</c>.
    /// </summary>
    public List<string> GrantTypes { get; set; } = [];
}

/// <summary>The upstream OpenID Connect identity provider researchers sign in at (<c>Broker:Upstream</c>, e.g. LS Login).</summary>
public sealed class BrokerUpstreamOptions
{
    /// <summary>The provider's issuer (discovery at <c>{Issuer}/.well-known/openid-configuration</c>).</summary>
    public string? Issuer { get; set; }

    /// <summary>Alias of <see cref="Issuer"/>, as many OIDC libraries call it.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// Scopes asked of the provider besides <c>openid</c> (none configured: <see cref="DefaultScopes"/>);
    /// <c>ga4gh_passport_v1</c> brings its visas.
    /// </summary>
    public List<string> Scopes { get; set; } = [];

    public static IReadOnlyList<string> DefaultScopes { get; } = ["profile", "email", "ga4gh_passport_v1"];

    public IReadOnlyList<string> EffectiveScopes => Scopes.Count > 0 ? Scopes : DefaultScopes;

    /// <summary>Shown on the sign-in page.</summary>
    public string DisplayName { get; set; } = "your home organisation";

    public string? EffectiveIssuer => string.IsNullOrWhiteSpace(Issuer) ? Authority : Issuer;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(EffectiveIssuer);
}

/// <summary>A local account for demos (<c>Broker:LocalAccounts:N</c>).</summary>
public sealed class LocalAccountOptions
{
    public string UserId { get; set; } = "";

    /// <summary>The password's <see cref="SecretHash"/> (<c>pbkdf2-sha256$...</c>); never the password itself.</summary>
    public string Password { get; set; } = "";

    public string? Name { get; set; }
}

/// <summary>Configuration section <c>Broker</c>: the node's OpenID Connect provider issuing passports.</summary>
public sealed class BrokerOptions
{
    public const string Section = "Broker";

    public List<BrokerClientOptions> Clients { get; set; } = [];

    public BrokerUpstreamOptions Upstream { get; set; } = new();

    /// <summary>Demo accounts: the local sign-in form and the password grant exist only when this lists accounts.</summary>
    public List<LocalAccountOptions> LocalAccounts { get; set; } = [];

    /// <summary>The key file encrypting authorization codes and refresh tokens; default <c>&lt;data&gt;/broker-encryption.key</c>.</summary>
    public string? EncryptionKeyFile { get; set; }

    public int AccessTokenMinutes { get; set; } = 60;

    public int RefreshTokenDays { get; set; } = 14;

    public int AuthorizationCodeSeconds { get; set; } = 120;

    public int PassportMinutes { get; set; } = 60;

    /// <summary>Lets the broker answer over http (tests, a local demo behind no proxy); https is required otherwise.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Expired, redeemed or revoked token entries, and sign-ins no token refers to, are deleted once they are this many
    /// days old (<see cref="Stores.BrokerPruner"/>).
    /// </summary>
    public int PruneAfterDays { get; set; } = 14;

    /// <summary>How often the broker's tables are pruned.</summary>
    public int PruneEveryMinutes { get; set; } = 60;
}

internal sealed class BrokerOptionsValidator : IValidateOptions<BrokerOptions>
{
    private static readonly HashSet<string> KnownGrantTypes =
        new(["authorization_code", "refresh_token", "client_credentials", "token_exchange", "password"], StringComparer.Ordinal);

    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            var key = $"Broker:Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                failures.Add($"{key}:ClientId must not be empty");
            }

            var isPublic = string.Equals(client.Type, "public", StringComparison.OrdinalIgnoreCase);
            if (!isPublic && !string.Equals(client.Type, "confidential", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{key}:Type must be 'confidential' or 'public'");
            }

            var hasSecret = !string.IsNullOrEmpty(client.ClientSecret) || !string.IsNullOrEmpty(client.ClientSecretHash);
            if (!isPublic && !hasSecret)
            {
                failures.Add($"{key}: a confidential client needs ClientSecret or ClientSecretHash");
            }

            if (isPublic && hasSecret)
            {
                failures.Add($"{key}: a public client has no secret");
            }

            if (!string.IsNullOrEmpty(client.ClientSecretHash) && !SecretHash.IsWellFormed(client.ClientSecretHash))
            {
                failures.Add($"{key}:ClientSecretHash is not a {SecretHash.Prefix}ITERATIONS$SALT$HASH value");
            }

            if (client.GrantTypes.Count == 0)
            {
                failures.Add($"{key}:GrantTypes must name at least one grant type");
            }

            foreach (var grant in client.GrantTypes.Where(g => !KnownGrantTypes.Contains(g)))
            {
                failures.Add($"{key}:GrantTypes: '{grant}' is not one of {string.Join(", ", KnownGrantTypes)}");
            }

            if (isPublic && client.GrantTypes.Any(g => g is "client_credentials" or "token_exchange" or "password"))
            {
                failures.Add($"{key}: a public client may only use authorization_code and refresh_token");
            }

            if (client.GrantTypes.Contains("password") && options.LocalAccounts.Count == 0)
            {
                failures.Add($"{key}: the password grant needs Broker:LocalAccounts (it is for demo accounts only)");
            }

            if (client.GrantTypes.Contains("authorization_code") && client.RedirectUris.Count == 0)
            {
                failures.Add($"{key}:RedirectUris must name at least one URI for the authorization_code grant");
            }

            foreach (var uri in client.RedirectUris.Concat(client.PostLogoutRedirectUris))
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !string.IsNullOrEmpty(parsed.Fragment))
                {
                    failures.Add($"{key}: '{uri}' is not an absolute URI without a fragment");
                }
            }
        }

        var duplicate = options.Clients.GroupBy(c => c.ClientId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            failures.Add($"Broker:Clients lists '{duplicate.Key}' twice");
        }

        for (var i = 0; i < options.LocalAccounts.Count; i++)
        {
            var account = options.LocalAccounts[i];
            if (string.IsNullOrWhiteSpace(account.UserId))
            {
                failures.Add($"Broker:LocalAccounts:{i}:UserId must not be empty");
            }

            if (!SecretHash.IsWellFormed(account.Password))
            {
                failures.Add($"Broker:LocalAccounts:{i}:Password must be a {SecretHash.Prefix}ITERATIONS$SALT$HASH value, never the password itself");
            }
        }

        var upstream = options.Upstream;
        if (upstream.IsConfigured)
        {
            if (!Uri.TryCreate(upstream.EffectiveIssuer, UriKind.Absolute, out _))
            {
                failures.Add("Broker:Upstream:Issuer must be an absolute URL");
            }

            if (string.IsNullOrWhiteSpace(upstream.ClientId))
            {
                failures.Add("Broker:Upstream:ClientId is needed with an upstream issuer");
            }
        }

        if (options.AccessTokenMinutes is < 1 or > 24 * 60 || options.PassportMinutes is < 1 or > 24 * 60
            || options.RefreshTokenDays is < 1 or > 365 || options.AuthorizationCodeSeconds is < 10 or > 600)
        {
            failures.Add("Broker: AccessTokenMinutes and PassportMinutes must be 1..1440, RefreshTokenDays 1..365, AuthorizationCodeSeconds 10..600");
        }

        if (options.PruneAfterDays is < 1 or > 3650 || options.PruneEveryMinutes is < 1 or > 7 * 24 * 60)
        {
            failures.Add("Broker: PruneAfterDays must be 1..3650 and PruneEveryMinutes 1..10080");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
