using GenomeNode.Passport.Issuing;
using GenomeNode.Storage;
using GenomeNode.Tests;

namespace GenomeNode.Passport.Tests.Issuing;

/// <summary>The node's key ring in passport.signing_keys: one current key, rotation, publication while needed.</summary>
public sealed class NodeSigningKeysTests
{
    [Fact]
    public void The_first_use_creates_one_current_RS256_key_that_a_restarted_node_signs_with_again()
    {
        using var database = new TestDatabase();
        string kid;
        using (var node = new OwnNode(database: database))
        {
            Assert.Empty(node.Stored());
            kid = node.Keys.Current.Key.KeyId;
            Assert.Equal("RS256", node.Keys.Current.Algorithm);
            var published = Assert.Single(node.Keys.Published);
            Assert.Equal((kid, "RSA", "RS256", "sig"), (published.Kid, published.Kty, published.Alg, published.Use));
            Assert.Equal(2048, Base64UrlDecode(published.N).Length * 8);
        }

        using var restarted = new OwnNode(database: database);
        Assert.Equal(kid, restarted.Keys.Current.Key.KeyId);
        Assert.Single(restarted.Stored());
    }

    [Fact]
    public async Task Two_rings_creating_the_first_key_at_once_end_with_one_key_both_sign_with()
    {
        using var database = new TestDatabase();
        for (var round = 0; round < 5; round++)
        {
            database.Connection.Execute("DELETE FROM passport.signing_keys");
            using var first = new OwnNode(database: database);
            using var second = new OwnNode(database: database);
            var kids = await Task.WhenAll(
                Task.Run(() => first.Keys.Current.Key.KeyId),
                Task.Run(() => second.Keys.Current.Key.KeyId));

            Assert.Equal(kids[0], kids[1]);
            Assert.Equal(1L, database.Connection.Scalar("SELECT count(*) FROM passport.signing_keys"));
        }
    }

    [Fact]
    public void Rotation_signs_with_a_new_key_and_keeps_the_old_one_published_until_what_it_signed_expired()
    {
        using var node = new OwnNode();
        var old = node.Keys.Current.Key.KeyId;
        var signedUntil = node.Now.AddHours(2);
        node.Keys.RecordSigned(old, signedUntil);

        var created = node.Keys.Rotate().Current;

        Assert.NotEqual(old, created.KeyId);
        Assert.Equal(created.KeyId, node.Keys.Current.Key.KeyId);
        Assert.Equal([created.KeyId, old], node.Keys.Published.Select(k => k.Kid));
        var stored = node.Stored();
        Assert.Equal([(created.KeyId, true), (old, false)], stored.Select(k => (k.KeyId, k.IsCurrent)));
        var retired = stored[1];
        Assert.True(retired.SignedUntil >= signedUntil && retired.SignedUntil < signedUntil + NodeSigningKeys.RecordStep);

        // Published through the recorded exp and the clock skew, then no more.
        node.Clock.Advance(retired.SignedUntil!.Value - node.Now + node.Options.ClockSkew - TimeSpan.FromSeconds(1));
        Assert.Contains(old, node.Keys.Published.Select(k => k.Kid));
        node.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([created.KeyId], node.Keys.Published.Select(k => k.Kid));
    }

    [Fact]
    public void A_retired_key_that_signed_nothing_is_not_published_and_one_that_signs_after_rotation_is_again()
    {
        using var node = new OwnNode();
        var old = node.Keys.Current.Key.KeyId;
        node.Keys.Rotate();
        Assert.DoesNotContain(old, node.Keys.Published.Select(k => k.Kid));

        // A signature started with the old key just before the rotation and recorded after it.
        node.Keys.RecordSigned(old, node.Now.AddMinutes(10));
        Assert.Contains(old, node.Keys.Published.Select(k => k.Kid));
    }

    [Fact]
    public void A_recorded_exp_is_durable_and_only_ever_grows()
    {
        using var database = new TestDatabase();
        string kid;
        DateTimeOffset? recorded;
        using (var node = new OwnNode(database: database))
        {
            kid = node.Keys.Current.Key.KeyId;
            node.Keys.RecordSigned(kid, node.Now.AddDays(30));
            recorded = node.Stored().Single().SignedUntil;
            node.Keys.RecordSigned(kid, node.Now.AddDays(1));
            Assert.Equal(recorded, node.Stored().Single().SignedUntil);
            node.Keys.Rotate();
        }

        // A restarted node (say after a crash) still publishes the retired key for what it signed.
        using var restarted = new OwnNode(database: database);
        Assert.Contains(kid, restarted.Keys.Published.Select(k => k.Kid));
        Assert.Equal(recorded, restarted.Stored().Single(k => k.KeyId == kid).SignedUntil);
    }

    [Fact]
    public void Recording_a_signature_of_a_key_the_ring_does_not_hold_fails()
    {
        using var node = new OwnNode();
        Assert.Throws<InvalidOperationException>(() => node.Keys.RecordSigned("not-a-key", node.Now.AddHours(1)));
    }

    [Fact]
    public async Task Two_rings_rotating_at_once_never_leave_two_current_keys()
    {
        using var database = new TestDatabase();
        using var first = new OwnNode(database: database);
        using var second = new OwnNode(database: database);
        _ = first.Keys.Current;
        _ = second.Keys.Current;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            try
            {
                (i % 2 == 0 ? first : second).Keys.Rotate();
                return true;
            }
            catch (Exception ex) when (ex is NodeStorageException or DuckDB.NET.Data.DuckDBException)
            {
                return false;
            }
        })));

        var stored = first.Stored();
        Assert.Single(stored, k => k.IsCurrent);
        Assert.Equal(1 + outcomes.Count(succeeded => succeeded), stored.Count);
        // Each key but the first succeeds exactly the one before it: one chain.
        Assert.Equal((long)stored.Count, database.Connection.Scalar("SELECT count(DISTINCT succeeds) FROM passport.signing_keys"));
    }

    private static byte[] Base64UrlDecode(string text) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(text);
}
