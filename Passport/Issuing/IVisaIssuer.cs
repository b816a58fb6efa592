using System.Text.Json.Nodes;

namespace GenomeNode.Passport.Issuing;

/// <summary>Signs this node's visas with its current key and publishes the keys that verify them.</summary>
public interface IVisaIssuer
{
    /// <summary>The visa JWT for <paramref name="visa"/>: <c>iss</c> = <paramref name="issuer"/>, <c>jku</c> = <paramref name="jku"/>.</summary>
    string Sign(GrantVisa visa, string issuer, string jku);

    /// <summary>The JWKS (<c>{"keys": [...]}</c>) of every key whose visas may still be valid.</summary>
    JsonObject PublishedKeys();
}
