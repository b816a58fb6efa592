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
    void RecordSigned(string keyId, DateTimeOffset expires);
}
