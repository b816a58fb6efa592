using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Passport.Issuing;

/// <summary>
/// The node's own RS256 key ring (visas and the broker's tokens): the key it signs with now, and every key still
/// published because something it signed has not expired. Rotation adds a key; none is removed while needed.
/// </summary>
public interface INodeSigningKeys
{
    /// <summary>The private key signing from now on, with its <c>kid</c>.</summary>
    SigningCredentials Current { get; }

    /// <summary>The public keys to publish (the current one first).</summary>
    IReadOnlyList<JsonWebKey> Published { get; }

    /// <summary>Records that the key <paramref name="keyId"/> signed something valid until <paramref name="expires"/>, so it stays published until then.</summary>
    /// <remarks>
    /// Call it before the token leaves the process: it returns once the record is durable (it writes only when the
    /// recorded time grows, so it is cheap for most tokens). A <paramref name="keyId"/> the ring does not hold throws
    /// <see cref="InvalidOperationException"/>. The key may have been retired meanwhile; it is then published again
    /// until <paramref name="expires"/>.
    /// </remarks>
    void RecordSigned(string keyId, DateTimeOffset expires);
}
