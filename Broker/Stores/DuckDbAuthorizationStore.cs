using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using DuckDB.NET.Data;
using GenomeNode.Storage;
using OpenIddict.Abstractions;
using static GenomeNode.Broker.Stores.StoreValues;

namespace GenomeNode.Broker.Stores;

/// <summary>
/// OpenIddict's authorizations in <c>broker.authorizations</c>: one per sign-in (ad hoc), tying together the code, the
/// refresh tokens and the access tokens issued from it, so that a replayed code or refresh token revokes them all.
/// </summary>
internal sealed class DuckDbAuthorizationStore(DuckDBConnection connection) : IOpenIddictAuthorizationStore<BrokerAuthorization>
{
    private const string Columns = "id, application_id, concurrency_token, creation_date, properties, scopes, status, subject, type";

    private List<BrokerAuthorization> Select(string where, params object?[] parameters) =>
        connection.Read($"SELECT {Columns} FROM broker.authorizations {where}", Read, parameters);

    private static BrokerAuthorization Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ApplicationId = ReadString(reader, 1),
        ConcurrencyToken = reader.GetString(2),
        CreationDate = ReadTime(reader, 3),
        Properties = ReadString(reader, 4),
        Scopes = ReadString(reader, 5),
        Status = ReadString(reader, 6),
        Subject = ReadString(reader, 7),
        Type = ReadString(reader, 8),
    };

    public ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        new(Convert.ToInt64(connection.Scalar("SELECT count(*) FROM broker.authorizations"), System.Globalization.CultureInfo.InvariantCulture));

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<BrokerAuthorization>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        new(query(Select("").AsQueryable()).LongCount());

    public ValueTask CreateAsync(BrokerAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        if (string.IsNullOrEmpty(authorization.Id))
        {
            authorization.Id = Guid.NewGuid().ToString();
        }

        authorization.ConcurrencyToken = Guid.NewGuid().ToString("N");
        connection.Execute(
            $"INSERT INTO broker.authorizations ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            authorization.Id, authorization.ApplicationId, authorization.ConcurrencyToken, Time(authorization.CreationDate),
            authorization.Properties, authorization.Scopes, authorization.Status, authorization.Subject, authorization.Type);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateAsync(BrokerAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var next = Guid.NewGuid().ToString("N");
        ExecuteGuarded(connection, "authorization",
            "UPDATE broker.authorizations SET application_id = $1, concurrency_token = $2, creation_date = $3, properties = $4, " +
            "scopes = $5, status = $6, subject = $7, type = $8 WHERE id = $9 AND concurrency_token = $10",
            authorization.ApplicationId, next, Time(authorization.CreationDate), authorization.Properties, authorization.Scopes,
            authorization.Status, authorization.Subject, authorization.Type, authorization.Id, authorization.ConcurrencyToken);
        authorization.ConcurrencyToken = next;
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(BrokerAuthorization authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        connection.Execute("DELETE FROM broker.tokens WHERE authorization_id = $1", authorization.Id);
        ExecuteGuarded(connection, "authorization", "DELETE FROM broker.authorizations WHERE id = $1 AND concurrency_token = $2",
            authorization.Id, authorization.ConcurrencyToken);
        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<BrokerAuthorization> FindAsync(
        string? subject, string? client, string? status, string? type, ImmutableArray<string>? scopes, CancellationToken cancellationToken)
    {
        var found = Select(
            "WHERE ($1 IS NULL OR subject = $1) AND ($2 IS NULL OR application_id = $2) AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR type = $4)",
            subject, client, status, type);
        if (scopes is { IsDefaultOrEmpty: false } wanted)
        {
            found = found.Where(a => wanted.All(ReadList(a.Scopes).Contains)).ToList();
        }

        return found.ToAsyncEnumerable();
    }

    public IAsyncEnumerable<BrokerAuthorization> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        Select("WHERE application_id = $1", identifier).ToAsyncEnumerable();

    public ValueTask<BrokerAuthorization?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        new(Select("WHERE id = $1", identifier).FirstOrDefault());

    public IAsyncEnumerable<BrokerAuthorization> FindBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        Select("WHERE subject = $1", subject).ToAsyncEnumerable();

    public ValueTask<string?> GetApplicationIdAsync(BrokerAuthorization authorization, CancellationToken cancellationToken) => new(authorization.ApplicationId);

    public ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<BrokerAuthorization>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        new(query(Select("").AsQueryable(), state).FirstOrDefault());

    public ValueTask<DateTimeOffset?> GetCreationDateAsync(BrokerAuthorization authorization, CancellationToken cancellationToken) => new(authorization.CreationDate);

    public ValueTask<string?> GetIdAsync(BrokerAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Id);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(BrokerAuthorization authorization, CancellationToken cancellationToken) =>
        new(ReadProperties(authorization.Properties));

    public ValueTask<ImmutableArray<string>> GetScopesAsync(BrokerAuthorization authorization, CancellationToken cancellationToken) =>
        new(ReadList(authorization.Scopes));

    public ValueTask<string?> GetStatusAsync(BrokerAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Status);

    public ValueTask<string?> GetSubjectAsync(BrokerAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Subject);

    public ValueTask<string?> GetTypeAsync(BrokerAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Type);

    public ValueTask<BrokerAuthorization> InstantiateAsync(CancellationToken cancellationToken) => new(new BrokerAuthorization());

    public IAsyncEnumerable<BrokerAuthorization> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        Select("ORDER BY id LIMIT $1 OFFSET $2", count ?? int.MaxValue, offset ?? 0).ToAsyncEnumerable();

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<BrokerAuthorization>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        query(Select("").AsQueryable(), state).ToList().ToAsyncEnumerable();

    /// <summary>Removes ad hoc authorizations made before <paramref name="threshold"/> that no token refers to any more, and invalid ones.</summary>
    public ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "DELETE FROM broker.authorizations a WHERE creation_date < $1 AND (status <> 'valid' OR " +
            "(type = 'ad-hoc' AND NOT EXISTS (SELECT 1 FROM broker.tokens t WHERE t.authorization_id = a.id)))",
            threshold.UtcDateTime));

    public ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "UPDATE broker.authorizations SET status = 'revoked', concurrency_token = gen_random_uuid()::VARCHAR " +
            "WHERE ($1 IS NULL OR subject = $1) AND ($2 IS NULL OR application_id = $2) AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR type = $4)",
            subject, client, status, type));

    public ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "UPDATE broker.authorizations SET status = 'revoked', concurrency_token = gen_random_uuid()::VARCHAR WHERE application_id = $1", identifier));

    public ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        new(connection.Execute(
            "UPDATE broker.authorizations SET status = 'revoked', concurrency_token = gen_random_uuid()::VARCHAR WHERE subject = $1", subject));

    public ValueTask SetApplicationIdAsync(BrokerAuthorization authorization, string? identifier, CancellationToken cancellationToken) =>
        Set(() => authorization.ApplicationId = identifier);

    public ValueTask SetCreationDateAsync(BrokerAuthorization authorization, DateTimeOffset? date, CancellationToken cancellationToken) =>
        Set(() => authorization.CreationDate = date);

    public ValueTask SetPropertiesAsync(BrokerAuthorization authorization, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        Set(() => authorization.Properties = WriteProperties(properties));

    public ValueTask SetScopesAsync(BrokerAuthorization authorization, ImmutableArray<string> scopes, CancellationToken cancellationToken) =>
        Set(() => authorization.Scopes = WriteList(scopes));

    public ValueTask SetStatusAsync(BrokerAuthorization authorization, string? status, CancellationToken cancellationToken) =>
        Set(() => authorization.Status = status);

    public ValueTask SetSubjectAsync(BrokerAuthorization authorization, string? subject, CancellationToken cancellationToken) =>
        Set(() => authorization.Subject = subject);

    public ValueTask SetTypeAsync(BrokerAuthorization authorization, string? type, CancellationToken cancellationToken) =>
        Set(() => authorization.Type = type);

    private static ValueTask Set(Action change)
    {
        change();
        return ValueTask.CompletedTask;
    }
}
