namespace GenomeNode.Passport.Issuing;

/// <summary>
/// This node as an issuer (docs/passport.md, "Trusting itself"): its <c>iss</c> is its public base URL plus "/" (as
/// REMS' is its public URL); its visas name the JWKS of its REMS-compatible API, its broker publishes at
/// <c>/.well-known/jwks</c>. Both sets hold the keys of <see cref="INodeSigningKeys"/>.
/// </summary>
/// <param name="BaseUrl">the node's public base URL without a trailing slash (configured, or the request's)</param>
/// <param name="RemsPath">the REMS API's path (<c>Passport:RemsPath</c>)</param>
public sealed record NodeIssuer(string BaseUrl, string RemsPath)
{
    public const string BrokerJwksPath = "/.well-known/jwks";

    /// <summary>The <c>iss</c> of the node's visas and of its broker's tokens.</summary>
    public string Issuer => BaseUrl + "/";

    /// <summary>The <c>jku</c> of the node's visas.</summary>
    public string VisaJwksUrl => BaseUrl + RemsPath + "/api/jwk";

    /// <summary>Where the node's broker publishes its keys.</summary>
    public string BrokerJwksUrl => BaseUrl + BrokerJwksPath;
}
