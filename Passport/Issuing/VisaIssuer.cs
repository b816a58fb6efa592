using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Passport.Visas;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Passport.Issuing;

/// <summary>
/// Signs <c>ControlledAccessGrants</c> visas in REMS' shape (docs/passport.md, "Issuing visas") with the node's current
/// key. Header: <c>alg</c> RS256, <c>typ</c> JWT, <c>kid</c>, <c>jku</c>. Payload: <c>iss</c>, <c>sub</c>, <c>iat</c>,
/// <c>exp</c> (the grant's end) and <c>ga4gh_visa_v1</c> {<c>type</c>, <c>value</c>, <c>source</c>, <c>by</c> "dac",
/// <c>asserted</c> (the grant's start)}; times are whole seconds since the epoch, as JSON numbers.
/// </summary>
public sealed class VisaIssuer(INodeSigningKeys keys, TimeProvider time) : IVisaIssuer
{
    /// <summary>REMS signs for the committee: its grants are asserted <c>by</c> a data access committee.</summary>
    public const string By = "dac";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Sign(GrantVisa visa, string issuer, string jku)
    {
        ArgumentNullException.ThrowIfNull(visa);
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(jku);
        ArgumentException.ThrowIfNullOrEmpty(visa.Subject, nameof(visa));
        ArgumentException.ThrowIfNullOrEmpty(visa.Value, nameof(visa));
        ArgumentException.ThrowIfNullOrEmpty(visa.Source, nameof(visa));
        if (visa.Expires <= visa.Asserted)
        {
            throw new ArgumentException("a grant visa must expire after it is asserted", nameof(visa));
        }

        var payload = new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = visa.Subject,
            ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["exp"] = visa.Expires.ToUnixTimeSeconds(),
            [Clearinghouse.PassportValidator.VisaClaim] = new JsonObject
            {
                ["type"] = VisaTypes.ControlledAccessGrants,
                ["value"] = visa.Value,
                ["source"] = visa.Source,
                ["by"] = By,
                ["asserted"] = visa.Asserted.ToUnixTimeSeconds(),
            },
        };
        var credentials = keys.Current;
        // Recorded before the visa leaves: its key stays published until the visa expires, whatever happens next.
        keys.RecordSigned(credentials.Key.KeyId, visa.Expires);
        return Handler.CreateToken(
            payload.ToJsonString(),
            credentials,
            new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtHeaderParameterNames.Typ] = JwtConstants.HeaderType,
                [JwtHeaderParameterNames.Jku] = jku,
            });
    }

    public JsonObject PublishedKeys() => Jwks(keys.Published);

    /// <summary>A JWKS of <paramref name="keys"/> as REMS' <c>/api/jwk</c> answers it (plus <c>use</c>).</summary>
    public static JsonObject Jwks(IEnumerable<JsonWebKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var array = new JsonArray();
        foreach (var key in keys)
        {
            array.Add(new JsonObject
            {
                ["kty"] = key.Kty,
                ["kid"] = key.Kid,
                ["alg"] = key.Alg,
                ["use"] = key.Use,
                ["n"] = key.N,
                ["e"] = key.E,
            });
        }

        return new JsonObject { ["keys"] = array };
    }
}
