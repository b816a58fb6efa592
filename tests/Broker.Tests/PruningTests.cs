using GenomeNode.Broker.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GenomeNode.Broker.Tests;

public sealed class PruningTests : IAsyncDisposable
{
    private readonly BrokerNode node = new();

    public ValueTask DisposeAsync() => node.DisposeAsync();

    [Fact]
    public async Task Entries_no_longer_needed_go_once_older_than_the_setting_and_valid_ones_never()
    {
        var now = node.Clock.GetUtcNow();
        var old = now.AddDays(-15);
        var recent = now.AddDays(-13);
        string stillReferred, orphan, revokedSignIn, recentOrphan;
        string expired, redeemed, validLongLived, inactive, recentRevoked;
        using (var connection = node.OpenConnection())
        {
            var authorizations = new DuckDbAuthorizationStore(connection);
            async Task<string> SignIn(string status, DateTimeOffset created)
            {
                var entry = new BrokerAuthorization { Status = status, Type = "ad-hoc", Subject = "researcher", CreationDate = created };
                await authorizations.CreateAsync(entry, default);
                return entry.Id;
            }

            stillReferred = await SignIn("valid", old);
            orphan = await SignIn("valid", old);
            revokedSignIn = await SignIn("revoked", old);
            recentOrphan = await SignIn("valid", recent);

            var tokens = new DuckDbTokenStore(connection);
            async Task<string> Token(string status, DateTimeOffset created, DateTimeOffset expires, string? authorization = null)
            {
                var entry = new BrokerToken
                {
                    Status = status, Type = "refresh_token", Subject = "researcher", CreationDate = created, ExpirationDate = expires,
                    AuthorizationId = authorization,
                };
                await tokens.CreateAsync(entry, default);
                return entry.Id;
            }

            expired = await Token("valid", old, DateTimeOffset.UtcNow.AddHours(-1), orphan);
            redeemed = await Token("redeemed", old, DateTimeOffset.UtcNow.AddDays(1));
            validLongLived = await Token("valid", old, DateTimeOffset.UtcNow.AddDays(1), stillReferred);
            inactive = await Token("inactive", old, DateTimeOffset.UtcNow.AddDays(1));
            recentRevoked = await Token("revoked", recent, DateTimeOffset.UtcNow.AddDays(1));
        }

        var pruner = node.Services.GetRequiredService<BrokerPruner>();
        Assert.Contains(node.Services.GetServices<IHostedService>(), service => ReferenceEquals(service, pruner));

        Assert.Equal((2L, 2L), await pruner.PruneAsync(default));

        // The expired token went, and with it the last reference to its sign-in, in the same round.
        Assert.Equal(
            new[] { inactive, recentRevoked, validLongLived }.Order(StringComparer.Ordinal),
            Ids("broker.tokens").Intersect([expired, redeemed, validLongLived, inactive, recentRevoked]).Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { recentOrphan, stillReferred }.Order(StringComparer.Ordinal),
            Ids("broker.authorizations").Intersect([stillReferred, orphan, revokedSignIn, recentOrphan]).Order(StringComparer.Ordinal));
        Assert.Equal((0L, 0L), await pruner.PruneAsync(default));
    }

    private List<string> Ids(string table)
    {
        using var connection = node.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {table}";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
