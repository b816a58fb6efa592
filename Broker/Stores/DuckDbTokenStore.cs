using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using DuckDB.NET.Data;
using GenomeNode.Storage;
using OpenIddict.Abstractions;
using static GenomeNode.Broker.Stores.StoreValues;

namespace GenomeNode.Broker.Stores;

/// <summary>
/// OpenIddict's token entries in <c>broker.tokens</c>, on the request's own DuckDB connection. Every update names the
/// entry's concurrency token, so of two requests redeeming one authorization code or refresh token only one can mark it
/// redeemed; the other gets OpenIddict's concurrency failure and is refused.
/// </summary>
internal sealed class DuckDbTokenStore(DuckDBConnection connection) : IOpenIddictTokenStore<BrokerToken>
{
    private const string Columns =
        "id, application_id, authorization_id, concurrency_token, creation_date, expiration_date, payload, properties, " +
        "redemption_date, reference_id, status, subject, type";

    private List<BrokerToken> Select(string where, params object?[] parameters) =>
        connection.Read($"SELECT {Columns} FROM broker.tokens {where}", Read, parameters);

    private static BrokerToken Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ApplicationId = ReadString(reader, 1),
        AuthorizationId = ReadString(reader, 2),
        ConcurrencyToken = reader.GetString(3),
        CreationDate = ReadTime(reader, 4),
        ExpirationDate = ReadTime(reader, 5),
        Payload = ReadString(reader, 6),
        Properties = ReadString(reader, 7),
        RedemptionDate = ReadTime(reader, 8),
        ReferenceId = ReadString(reader, 9),
        Status = ReadString(reader, 10),
        Subject = ReadString(reader, 11),
        Type = ReadString(reader, 12),
    };

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        new(Convert.ToInt64(connection.Scalar("SELECT count(*) FROM broker.tokens"), System.Globalization.CultureInfo.InvariantCulture));

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<BrokerToken>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        new(query(Select("").AsQueryable()).LongCount());

    public ValueTask CreateAsync(BrokerToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (string.IsNullOrEmpty(token.Id))
        {
            token.Id = Guid.NewGuid().ToString();
        }

        token.ConcurrencyToken = Guid.NewGuid().ToString("N");
        connection.Execute(
            $"INSERT INTO broker.tokens ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            token.Id, token.ApplicationId, token.AuthorizationId, token.ConcurrencyToken, Time(token.CreationDate),
            Time(token.ExpirationDate), token.Payload, token.Properties, Time(token.RedemptionDate), token.ReferenceId,
            token.Status, token.Subject, token.Type);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateAsync(BrokerToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var previous = token.ConcurrencyToken;
        var next = Guid.NewGuid().ToString("N");
        ExecuteGuarded(connection, "token",
            "UPDATE broker.tokens SET application_id = $1, authorization_id = $2, concurrency_token = $3, creation_date = $4, " +
            "expiration_date = $5, payload = $6, properties = $7, redemption_date = $8, reference_id = $9, status = $10, " +
            "subject = $11, type = $12 WHERE id = $13 AND concurrency_token = $14",
            token.ApplicationId, token.AuthorizationId, next, Time(token.CreationDate), Time(token.ExpirationDate), token.Payload,
            token.Properties, Time(token.RedemptionDate), token.ReferenceId, token.Status, token.Subject, token.Type, token.Id, previous);
        token.ConcurrencyToken = next;
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Marks <paramref name="token"/> redeemed if, and only if, it is still valid in the database: one conditional
    /// update, which of two requests only one can make.
    /// </summary>
    public bool TryRedeem(BrokerToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var next = Guid.NewGuid().ToString("N");
        var redeemedAt = token.RedemptionDate ?? now;
        int changed;
        try
        {
            changed = connection.Execute(
                "UPDATE broker.tokens SET status = 'redeemed', redemption_date = $2, concurrency_token = $3 WHERE id = $1 AND status = 'valid'",
                token.Id, redeemedAt.UtcDateTime, next);
        }
        catch (DuckDBException error) when (error.Message.Contains("conflict", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (changed != 1)
        {
            return false;
        }

        token.Status = OpenIddictConstants.Statuses.Redeemed;
        token.RedemptionDate = redeemedAt;
        token.ConcurrencyToken = next;
        return true;
    }

    public ValueTask DeleteAsync(BrokerToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ExecuteGuarded(connection, "token", "DELETE FROM broker.tokens WHERE id = $1 AND concurrency_token = $2", token.Id, token.ConcurrencyToken);
        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<BrokerToken> FindAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        Select("WHERE ($1 IS NULL OR subject = $1) AND ($2 IS NULL OR application_id = $2) AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR type = $4)",
            subject, client, status, type).ToAsyncEnumerable();

    public IAsyncEnumerable<BrokerToken> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        Select("WHERE application_id = $1", identifier).ToAsyncEnumerable();

    public IAsyncEnumerable<BrokerToken> FindByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        Select("WHERE authorization_id = $1", identifier).ToAsyncEnumerable();

    public ValueTask<BrokerToken?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        new(Select("WHERE id = $1", identifier).FirstOrDefault());

    public ValueTask<BrokerToken?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken) =>
        new(Select("WHERE reference_id = $1", identifier).FirstOrDefault());

    public IAsyncEnumerable<BrokerToken> FindBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        Select("WHERE subject = $1", subject).ToAsyncEnumerable();

    public ValueTask<string?> GetApplicationIdAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.ApplicationId);

    public ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<BrokerToken>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        new(query(Select("").AsQueryable(), state).FirstOrDefault());

    public ValueTask<string?> GetAuthorizationIdAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.AuthorizationId);

    public ValueTask<DateTimeOffset?> GetCreationDateAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.CreationDate);

    public ValueTask<DateTimeOffset?> GetExpirationDateAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.ExpirationDate);

    public ValueTask<string?> GetIdAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.Id);

    public ValueTask<string?> GetPayloadAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.Payload);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(BrokerToken token, CancellationToken cancellationToken) =>
        new(ReadProperties(token.Properties));

    public ValueTask<DateTimeOffset?> GetRedemptionDateAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.RedemptionDate);

    public ValueTask<string?> GetReferenceIdAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.ReferenceId);

    public ValueTask<string?> GetStatusAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.Status);

    public ValueTask<string?> GetSubjectAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.Subject);

    public ValueTask<string?> GetTypeAsync(BrokerToken token, CancellationToken cancellationToken) => new(token.Type);

    public ValueTask<BrokerToken> InstantiateAsync(CancellationToken cancellationToken) => new(new BrokerToken());

    public IAsyncEnumerable<BrokerToken> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        Select("ORDER BY id LIMIT $1 OFFSET $2", count ?? int.MaxValue, offset ?? 0).ToAsyncEnumerable();

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<BrokerToken>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        query(Select("").AsQueryable(), state).ToList().ToAsyncEnumerable();

    /// <summary>Removes entries that expired before <paramref name="threshold"/> and those no longer valid that were made before it.</summary>
    public ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "DELETE FROM broker.tokens WHERE creation_date < $1 AND (status NOT IN ('inactive', 'valid') OR expiration_date < $2)",
            threshold.UtcDateTime, DateTime.UtcNow));

    public ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "UPDATE broker.tokens SET status = 'revoked', concurrency_token = gen_random_uuid()::VARCHAR " +
            "WHERE ($1 IS NULL OR subject = $1) AND ($2 IS NULL OR application_id = $2) AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR type = $4)",
            subject, client, status, type));

    public ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "UPDATE broker.tokens SET status = 'revoked', concurrency_token = gen_random_uuid()::VARCHAR WHERE application_id = $1", identifier));

    public ValueTask<long> RevokeByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "UPDATE broker.tokens SET status = 'revoked', concurrency_token = gen_random_uuid()::VARCHAR WHERE authorization_id = $1", identifier));

    public ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "UPDATE broker.tokens SET status = 'revoked', concurrency_token = gen_random_uuid()::VARCHAR WHERE subject = $1", subject));

    public ValueTask SetApplicationIdAsync(BrokerToken token, string? identifier, CancellationToken cancellationToken) => Set(() => token.ApplicationId = identifier);

    public ValueTask SetAuthorizationIdAsync(BrokerToken token, string? identifier, CancellationToken cancellationToken) => Set(() => token.AuthorizationId = identifier);

    public ValueTask SetCreationDateAsync(BrokerToken token, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => token.CreationDate = date);

    public ValueTask SetExpirationDateAsync(BrokerToken token, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => token.ExpirationDate = date);

    public ValueTask SetPayloadAsync(BrokerToken token, string? payload, CancellationToken cancellationToken) => Set(() => token.Payload = payload);

    public ValueTask SetPropertiesAsync(BrokerToken token, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        Set(() => token.Properties = WriteProperties(properties));

    public ValueTask SetRedemptionDateAsync(BrokerToken token, DateTimeOffset? date, CancellationToken cancellationToken) => Set(() => token.RedemptionDate = date);

    public ValueTask SetReferenceIdAsync(BrokerToken token, string? identifier, CancellationToken cancellationToken) => Set(() => token.ReferenceId = identifier);

    public ValueTask SetStatusAsync(BrokerToken token, string? status, CancellationToken cancellationToken) => Set(() => token.Status = status);

    public ValueTask SetSubjectAsync(BrokerToken token, string? subject, CancellationToken cancellationToken) => Set(() => token.Subject = subject);

    public ValueTask SetTypeAsync(BrokerToken token, string? type, CancellationToken cancellationToken) => Set(() => token.Type = type);

    private static ValueTask Set(Action change)
    {
        change();
        return ValueTask.CompletedTask;
    }
}
