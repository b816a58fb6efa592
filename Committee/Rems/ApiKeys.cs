using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using GenomeNode.Committee.Applications;
using GenomeNode.Storage;

namespace GenomeNode.Committee.Rems;

/// <summary>An API key as listed (never the key itself, which is shown once when it is made).</summary>
public sealed record ApiKeyInfo(long Id, string Comment, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// The REMS API keys (<c>x-rems-api-key</c>): 256 random bits, shown once, stored as their SHA-256 (a random key of that
/// length needs no slow hash). Roles, as REMS' owner roles: <c>user-owner</c> may create users, <c>reporter</c> may read
/// any user's entitlements and permissions, <c>dac</c> may act on /dac. Every key may act on the REMS API as the user
/// it names in <c>x-rems-user-id</c>.
/// </summary>
public sealed class ApiKeys(DuckDBConnection connection, TimeProvider time)
{
    public const string UserOwner = "user-owner";
    public const string Reporter = "reporter";

    /// <summary>May act on <c>/dac</c> for the committee member it names (a committee's own tool, never the portal's key).</summary>
    public const string Dac = "dac";

    public static IReadOnlyList<string> KnownRoles { get; } = [UserOwner, Reporter, Dac];

    /// <summary>Makes a key; returns it (the only time it is seen) with its id.</summary>
    public (long Id, string Key) Add(string comment, IReadOnlyCollection<string> roles)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (AddGiven(key, comment, roles), key);
    }

    /// <summary>
    /// Stores a key chosen elsewhere (a demo's published key, a key a deployment's secret store made): at least 32
    /// characters; returns its id.
    /// </summary>
    public long AddGiven(string key, string comment, IReadOnlyCollection<string> roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(comment);
        ArgumentNullException.ThrowIfNull(roles);
        if (key is null || key.Length < 32 || key.Length > 200 || key.Any(c => c <= ' ' || c > '~'))
        {
            throw new ArgumentException("an API key is 32 to 200 printable ASCII characters", nameof(key));
        }

        if (roles.FirstOrDefault(role => !KnownRoles.Contains(role, StringComparer.Ordinal)) is { } unknown)
        {
            throw new ArgumentException($"unknown role '{unknown}' (known: {string.Join(", ", KnownRoles)})", nameof(roles));
        }

        var id = Convert.ToInt64(connection.Scalar("SELECT nextval('committee.api_key_ids')"), CultureInfo.InvariantCulture);
        connection.Execute(
            "INSERT INTO committee.api_keys (id, key_sha256, comment, roles, created_at) VALUES ($1, $2, $3, $4, $5)",
            id, Hash(key), comment, string.Join(' ', roles.Distinct(StringComparer.Ordinal)), ApplicationStore.TruncateToMicroseconds(time.GetUtcNow()));
        return id;
    }

    public List<ApiKeyInfo> List() =>
        connection.Read("SELECT id, comment, roles, created_at, revoked_at FROM committee.api_keys ORDER BY id",
            row => new ApiKeyInfo(row.GetInt64(0), row.GetString(1), Roles(row.GetString(2)), ApplicationStore.Time(row, 3),
                row.IsDBNull(4) ? null : ApplicationStore.Time(row, 4)));

    /// <summary>Revokes key <paramref name="id"/>; false when there is no such key still valid.</summary>
    public bool Revoke(long id) =>
        connection.Execute("UPDATE committee.api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            ApplicationStore.TruncateToMicroseconds(time.GetUtcNow()), id) == 1;

    /// <summary>The roles of a valid, unrevoked key, or null.</summary>
    public IReadOnlyList<string>? Find(string presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 200)
        {
            return null;
        }

        return connection.Read("SELECT roles FROM committee.api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL",
            row => Roles(row.GetString(0)), Hash(presented)).FirstOrDefault();
    }

    private static string[] Roles(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Hash(string key) => ApplicationStore.Sha256Hex(Encoding.UTF8.GetBytes(key));
}
