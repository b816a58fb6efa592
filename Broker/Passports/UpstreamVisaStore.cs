using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Broker.Passports;

/// <summary>A visa collected from a trusted upstream issuer, kept until its own expiry.</summary>
public sealed record CollectedVisa(string Visa, string Issuer, DateTimeOffset ExpiresAt);

/// <summary>
/// The visas collected per user at their upstream sign-in (<c>broker.upstream_visas</c>). A sign-in replaces what the
/// same upstream gave before, in one transaction, so a visa the upstream no longer lists is gone with it.
/// </summary>
public sealed class UpstreamVisaStore(DuckDBConnection connection, TimeProvider time)
{
    public void Replace(string subject, string upstream, IReadOnlyList<CollectedVisa> visas)
    {
        ArgumentNullException.ThrowIfNull(visas);
        using var transaction = connection.BeginTransaction();
        connection.Execute("DELETE FROM broker.upstream_visas WHERE subject = $1 AND upstream = $2", subject, upstream);
        var now = time.GetUtcNow().UtcDateTime;
        for (var i = 0; i < visas.Count; i++)
        {
            connection.Execute(
                "INSERT INTO broker.upstream_visas (subject, upstream, position, visa, visa_issuer, expires_at, collected_at) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                subject, upstream, i, visas[i].Visa, visas[i].Issuer, visas[i].ExpiresAt.UtcDateTime, now);
        }

        transaction.Commit();
    }

    /// <summary>The subject's collected visas that have not expired, in the order they were collected.</summary>
    public IReadOnlyList<string> Current(string subject) =>
        connection.Read(
            "SELECT visa FROM broker.upstream_visas WHERE subject = $1 AND expires_at > $2 ORDER BY upstream, position",
            reader => reader.GetString(0), subject, time.GetUtcNow().UtcDateTime);
}
