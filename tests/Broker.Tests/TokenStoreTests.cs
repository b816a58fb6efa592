using GenomeNode.Broker.Stores;
using GenomeNode.Tests;
using OpenIddict.Abstractions;

namespace GenomeNode.Broker.Tests;

public sealed class TokenStoreTests : IDisposable
{
    private readonly TestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Of_two_updates_of_one_token_read_at_the_same_time_the_second_fails_as_a_concurrency_failure()
    {
        using var first = database.OpenConnection();
        using var second = database.OpenConnection();
        var store = new DuckDbTokenStore(first);
        var token = new BrokerToken { Status = "valid", Type = "authorization_code", Subject = "s" };
        await store.CreateAsync(token, default);
        var mine = (await store.FindByIdAsync(token.Id, default))!;
        var theirs = (await new DuckDbTokenStore(second).FindByIdAsync(token.Id, default))!;

        mine.Status = "redeemed";
        await store.UpdateAsync(mine, default);
        theirs.Status = "redeemed";

        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(async () => await new DuckDbTokenStore(second).UpdateAsync(theirs, default));
    }
}
