using System.Text.Json.Nodes;
using GenomeNode.Passport.Issuing;
using GenomeNode.Tests;

namespace GenomeNode.Committee.Tests;

/// <summary>A stand-in for the node's visa issuer (another module's work): RS256 visas in REMS' shape, one key.</summary>
public sealed class TestVisaIssuer : IVisaIssuer, IDisposable
{
    private readonly TestTokenIssuer key = new("unused", "unused");

    public string Sign(GrantVisa visa, string issuer, string jku)
    {
        ArgumentNullException.ThrowIfNull(visa);
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["jku"] = jku, ["kid"] = key.KeyId };
        var payload = new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = visa.Subject,
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["exp"] = visa.Expires.ToUnixTimeSeconds(),
            ["ga4gh_visa_v1"] = new JsonObject
            {
                ["type"] = "ControlledAccessGrants",
                ["value"] = visa.Value,
                ["source"] = visa.Source,
                ["by"] = "dac",
                ["asserted"] = visa.Asserted.ToUnixTimeSeconds(),
            },
        };
        return key.Sign(header, payload);
    }

    public JsonObject PublishedKeys() => JsonNode.Parse(key.Jwks())!.AsObject();

    public void Dispose() => key.Dispose();
}
