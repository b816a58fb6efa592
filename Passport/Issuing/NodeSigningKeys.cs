using System.Security.Cryptography;
using DuckDB.NET.Data;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Passport.Issuing;

/// <summary>One key of the ring as <c>genome-node keys list</c> shows it.</summary>
/// <param name="PublishedUntil">null while the key is current; else until when it is published (its latest signed
/// <c>exp</c> plus the clock skew, or its retirement when it signed nothing), in the past once it no longer is</param>
public sealed record SigningKeyInfo(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt, DateTimeOffset? SignedUntil, DateTimeOffset? PublishedUntil)
{
    public bool IsCurrent => RetiredAt is null;
}

/// <summary>What a rotation did: the key signing from now on, and the one it retired.</summary>
public sealed record SigningKeyRotation(SigningKeyInfo Current, SigningKeyInfo Retired);

/// <summary>
/// The node's RS256 key ring in <c>passport.signing_keys</c>, held in memory (docs/passport.md, "Signing keys and
/// rotation"). The first key is created on first use. Every write (a first key, a rotation, a raised
/// <c>signed_until</c>) goes through one lock: the rows are the ring's own, no other operation touches them, so a
/// signature never waits for the node's <see cref="SingleWriter"/> queue. Another process cannot write the database
/// while this one holds it; a rotation asked from the CLI comes through the admin channel into this instance.
/// </summary>
public sealed partial class NodeSigningKeys : INodeSigningKeys, IDisposable
{
    public const int RsaBits = 2048;

    /// <summary>
    /// A raised <c>signed_until</c> is rounded up to this step, so that tokens signed in a stream (each expiring a little
    /// later than the last) write once per step instead of once per token. A key stays published at most this much longer.
    /// </summary>
    public static readonly TimeSpan RecordStep = TimeSpan.FromMinutes(5);

    private readonly NodeDatabase database;
    private readonly IOptionsMonitor<PassportOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<NodeSigningKeys> logger;
    private readonly Lock gate = new();
    private volatile Ring? ring;

    public NodeSigningKeys(NodeDatabase database, IOptionsMonitor<PassportOptions> options, TimeProvider time, ILogger<NodeSigningKeys> logger)
    {
        this.database = database;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    public SigningCredentials Current => Loaded().Current.Credentials;

    public IReadOnlyList<JsonWebKey> Published
    {
        get
        {
            var keys = Loaded();
            var now = time.GetUtcNow();
            var skew = options.CurrentValue.ClockSkew;
            return [.. keys.Keys.Where(k => k.RetiredAt is null || IsPublished(k, now, skew)).Select(k => k.PublicKey)];
        }
    }

    public void RecordSigned(string keyId, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var key = Loaded().Find(keyId) ?? throw new InvalidOperationException($"'{keyId}' is not a key of this node's ring");
        var until = RoundUp(expires);
        if (key.SignedUntil >= until)
        {
            return;
        }

        lock (gate)
        {
            // The ring may have been reloaded meanwhile: raise the entry in force now.
            key = Loaded().Find(keyId) ?? throw new InvalidOperationException($"'{keyId}' is not a key of this node's ring");
            if (key.SignedUntil >= until)
            {
                return;
            }

            // Written (and committed) before the caller hands the token out: after a crash the key is still published
            // for as long as anything it signed is valid.
            using var connection = database.OpenConnection();
            connection.Execute(
                "UPDATE passport.signing_keys SET signed_until = greatest(coalesce(signed_until, $2), $2) WHERE kid = $1",
                keyId, until);
            key.SignedUntil = until;
        }
    }

    /// <summary>
    /// Adds a new current key and retires the previous one (creating a first key if there was none), in one
    /// transaction; from then on this instance signs with the new key.
    /// </summary>
    public SigningKeyRotation Rotate()
    {
        Loaded();
        lock (gate)
        {
            using var connection = database.OpenConnection();
            var rows = ReadRows(connection);
            var current = Head(rows) ?? throw new InvalidOperationException("the node has no signing key yet");
            var now = time.GetUtcNow();
            var created = NewKey(now);
            using (var transaction = connection.BeginTransaction())
            {
                Insert(connection, created, current.KeyId);
                var retired = connection.Execute(
                    "UPDATE passport.signing_keys SET retired_at = $2 WHERE kid = $1 AND retired_at IS NULL", current.KeyId, now);
                if (retired != 1)
                {
                    throw new NodeStorageException($"signing key '{current.KeyId}' was retired by someone else meanwhile; nothing was changed");
                }

                transaction.Commit();
            }

            Log.Rotated(logger, created.KeyId, current.KeyId);
            ring = Load(connection);
            var keys = List(connection, now, options.CurrentValue.ClockSkew);
            return new SigningKeyRotation(keys.Single(k => k.KeyId == created.KeyId), keys.Single(k => k.KeyId == current.KeyId));
        }
    }

    /// <summary>Forgets the keys held in memory; the next use reads them again.</summary>
    public void Reload()
    {
        lock (gate)
        {
            ring = null;
        }
    }

    /// <summary>
    /// Every key in <paramref name="connection"/>'s database, newest first, without creating one (a read-only
    /// <c>keys list</c> on a node that never signed anything shows none).
    /// </summary>
    public static IReadOnlyList<SigningKeyInfo> List(DuckDBConnection connection, DateTimeOffset now, TimeSpan skew) =>
        [.. Chain(ReadRows(connection)).Select(row => Describe(row, now, skew))];

    private static SigningKeyInfo Describe(KeyRow row, DateTimeOffset now, TimeSpan skew) =>
        new(row.KeyId, row.CreatedAt, row.RetiredAt, row.SignedUntil, row.RetiredAt is null ? null : row.SignedUntil is { } until ? until + skew : row.RetiredAt);

    private static bool IsPublished(HeldKey key, DateTimeOffset now, TimeSpan skew) => key.SignedUntil + skew > now;

    private Ring Loaded()
    {
        if (ring is { } held)
        {
            return held;
        }

        lock (gate)
        {
            if (ring is { } loaded)
            {
                return loaded;
            }

            using var connection = database.OpenConnection();
            if (ReadRows(connection).Count == 0)
            {
                try
                {
                    var first = NewKey(time.GetUtcNow());
                    Insert(connection, first, "");
                    Log.Created(logger, first.KeyId);
                }
                catch (DuckDBException ex)
                {
                    // Another writer created the first key at the same moment: the unique succeeds refused this one.
                    Log.FirstKeyRace(logger, ex.Message);
                }
            }

            ring = Load(connection);
            return ring;
        }
    }

    private static Ring Load(DuckDBConnection connection)
    {
        var rows = ReadRows(connection);
        if (Head(rows) is null)
        {
            throw new NodeStorageException("passport.signing_keys holds no current key");
        }

        // The current key first, then the ones it succeeded, newest first.
        var keys = Chain(rows).Select(row =>
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(row.PrivateKey, out _);
            return new HeldKey(row.KeyId, rsa, row.RetiredAt) { SignedUntil = row.SignedUntil ?? DateTimeOffset.MinValue };
        });
        return new Ring([.. keys]);
    }

    /// <summary>The keys from the current one back to the first, each followed by the one it succeeds.</summary>
    private static List<KeyRow> Chain(List<KeyRow> rows)
    {
        var byId = rows.ToDictionary(r => r.KeyId, StringComparer.Ordinal);
        var chain = new List<KeyRow>(rows.Count);
        for (var key = Head(rows); key is not null && chain.Count < rows.Count; key = byId.GetValueOrDefault(key.Succeeds))
        {
            chain.Add(key);
        }

        return chain.Count == rows.Count
            ? chain
            : throw new NodeStorageException("passport.signing_keys holds keys that do not form one chain from the current key back to the first");
    }

    /// <summary>The current key: the one no other key succeeds (null when there is none).</summary>
    private static KeyRow? Head(List<KeyRow> rows)
    {
        var succeeded = rows.Select(r => r.Succeeds).ToHashSet(StringComparer.Ordinal);
        var heads = rows.Where(r => !succeeded.Contains(r.KeyId)).ToList();
        return heads.Count switch
        {
            0 => null,
            1 => heads[0],
            _ => throw new NodeStorageException($"passport.signing_keys holds {heads.Count} current keys"),
        };
    }

    private static List<KeyRow> ReadRows(DuckDBConnection connection) => connection.Read(
        "SELECT kid, succeeds, created_at, private_key, retired_at, signed_until FROM passport.signing_keys",
        reader => new KeyRow(
            reader.GetString(0),
            reader.GetString(1),
            Instant(reader.GetValue(2))!.Value,
            ReadBytes(reader.GetValue(3)),
            Instant(reader.GetValue(4)),
            Instant(reader.GetValue(5))));

    private static byte[] ReadBytes(object value) => value switch
    {
        byte[] bytes => bytes,
        Stream stream => ReadAll(stream),
        _ => throw new NodeStorageException($"passport.signing_keys.private_key is a {value.GetType().Name}"),
    };

    private static byte[] ReadAll(Stream stream)
    {
        using (stream)
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    private static DateTimeOffset? Instant(object value) => value switch
    {
        DBNull => null,
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        _ => throw new NodeStorageException($"passport.signing_keys holds a time of type {value.GetType().Name}"),
    };

    private static NewKeyRow NewKey(DateTimeOffset now)
    {
        using var rsa = RSA.Create(RsaBits);
        return new NewKeyRow(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)), now, rsa.ExportPkcs8PrivateKey());
    }

    private static void Insert(DuckDBConnection connection, NewKeyRow key, string succeeds) => connection.Execute(
        "INSERT INTO passport.signing_keys (kid, succeeds, created_at, private_key) VALUES ($1, $2, $3, $4)",
        key.KeyId, succeeds, key.CreatedAt, key.PrivateKey);

    private static DateTimeOffset RoundUp(DateTimeOffset instant)
    {
        var step = RecordStep.Ticks;
        var ticks = instant.UtcTicks;
        var rounded = ticks % step == 0 ? ticks : ticks - (ticks % step) + step;
        return rounded > DateTimeOffset.MaxValue.UtcTicks ? DateTimeOffset.MaxValue : new DateTimeOffset(rounded, TimeSpan.Zero);
    }

    public void Dispose()
    {
        // The RSA objects of a dropped ring may still be signing on another thread; they are left to the collector.
        ring = null;
    }

    private sealed record KeyRow(string KeyId, string Succeeds, DateTimeOffset CreatedAt, byte[] PrivateKey, DateTimeOffset? RetiredAt, DateTimeOffset? SignedUntil);

    private sealed record NewKeyRow(string KeyId, DateTimeOffset CreatedAt, byte[] PrivateKey);

    private sealed class HeldKey
    {
        private long signedUntilTicks;

        public HeldKey(string keyId, RSA rsa, DateTimeOffset? retiredAt)
        {
            KeyId = keyId;
            RetiredAt = retiredAt;
            var securityKey = new RsaSecurityKey(rsa) { KeyId = keyId };
            Credentials = new SigningCredentials(securityKey, SecurityAlgorithms.RsaSha256);
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            PublicKey = new JsonWebKey
            {
                Kty = JsonWebAlgorithmsKeyTypes.RSA,
                Kid = keyId,
                Alg = SecurityAlgorithms.RsaSha256,
                Use = JsonWebKeyUseNames.Sig,
                N = Base64UrlEncoder.Encode(parameters.Modulus),
                E = Base64UrlEncoder.Encode(parameters.Exponent),
            };
        }

        public string KeyId { get; }

        public DateTimeOffset? RetiredAt { get; }

        public SigningCredentials Credentials { get; }

        public JsonWebKey PublicKey { get; }

        /// <summary>The latest signed exp known durable (MinValue when none).</summary>
        public DateTimeOffset SignedUntil
        {
            get => new(Interlocked.Read(ref signedUntilTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref signedUntilTicks, value.UtcTicks);
        }
    }

    private sealed class Ring(List<HeldKey> keys)
    {
        public List<HeldKey> Keys { get; } = keys;

        public HeldKey Current => Keys[0];

        public HeldKey? Find(string keyId) => Keys.FirstOrDefault(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7160, Level = LogLevel.Information, Message = "Created the node's first signing key {KeyId}")]
        public static partial void Created(ILogger logger, string keyId);

        [LoggerMessage(EventId = 7161, Level = LogLevel.Information, Message = "Rotated the node's signing key: {KeyId} signs from now on, {Previous} is retired")]
        public static partial void Rotated(ILogger logger, string keyId, string previous);

        [LoggerMessage(EventId = 7162, Level = LogLevel.Information, Message = "Another writer created the first signing key at the same time ({Problem}); using it")]
        public static partial void FirstKeyRace(ILogger logger, string problem);
    }
}
