using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenomeNode.Tests;

/// <summary>
/// A broker or visa issuer made up for a test: its own key pair (RSA 2048 or EC P-256), a JWKS document for its
/// public key, and signed passports and visas. Tokens are built by hand so tests can also make them wrong on purpose
/// (another alg, a tampered payload, a foreign key).
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    private readonly RSA? rsa;
    private readonly ECDsa? ecdsa;

    public TestTokenIssuer(string issuer, string jwksUrl, bool elliptic = false, string? keyId = null)
    {
        Issuer = issuer;
        JwksUrl = jwksUrl;
        KeyId = keyId ?? $"key-{Guid.NewGuid():N}"[..12];
        if (elliptic)
        {
            ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        }
        else
        {
            rsa = RSA.Create(2048);
        }
    }

    public string Issuer { get; }

    /// <summary>Where the JWKS is served; visas name it as their <c>jku</c>.</summary>
    public string JwksUrl { get; }

    public string KeyId { get; }

    public string Algorithm => rsa is not null ? "RS256" : "ES256";

    /// <summary>The JWKS document with this issuer's public key.</summary>
    public string Jwks()
    {
        JsonObject key;
        if (rsa is not null)
        {
            var parameters = rsa.ExportParameters(false);
            key = new JsonObject { ["kty"] = "RSA", ["kid"] = KeyId, ["use"] = "sig", ["alg"] = "RS256", ["n"] = B64(parameters.Modulus!), ["e"] = B64(parameters.Exponent!) };
        }
        else
        {
            var parameters = ecdsa!.ExportParameters(false);
            key = new JsonObject { ["kty"] = "EC", ["kid"] = KeyId, ["use"] = "sig", ["crv"] = "P-256", ["x"] = B64(parameters.Q.X!), ["y"] = B64(parameters.Q.Y!) };
        }

        return new JsonObject { ["keys"] = new JsonArray(key) }.ToJsonString();
    }

    /// <summary>The PEM of the public key (an HS256 forgery uses it as the HMAC secret).</summary>
    public string PublicKeyPem() => rsa is not null ? rsa.ExportSubjectPublicKeyInfoPem() : ecdsa!.ExportSubjectPublicKeyInfoPem();

    /// <summary>A visa of <paramref name="subject"/>: header with this issuer's jku and kid, payload with ga4gh_visa_v1.</summary>
    public string Visa(
        string subject, string type, string value, string source = "https://grid.ac/institutes/grid.test", string? by = "dac",
        DateTimeOffset? asserted = null, DateTimeOffset? issued = null, DateTimeOffset? expires = null, JsonNode? conditions = null,
        Action<JsonObject>? header = null, Action<JsonObject>? payload = null)
    {
        var now = DateTimeOffset.UtcNow;
        var visa = new JsonObject { ["type"] = type, ["asserted"] = (asserted ?? now.AddDays(-30)).ToUnixTimeSeconds(), ["value"] = value, ["source"] = source };
        if (by is not null)
        {
            visa["by"] = by;
        }

        if (conditions is not null)
        {
            visa["conditions"] = conditions;
        }

        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = (issued ?? now.AddMinutes(-5)).ToUnixTimeSeconds(),
            ["exp"] = (expires ?? now.AddHours(1)).ToUnixTimeSeconds(),
            ["ga4gh_visa_v1"] = visa,
        };
        payload?.Invoke(claims);
        var head = new JsonObject { ["typ"] = "vnd.ga4gh.visa+jwt", ["alg"] = Algorithm, ["jku"] = JwksUrl, ["kid"] = KeyId };
        header?.Invoke(head);
        return Sign(head, claims);
    }

    /// <summary>A passport of <paramref name="subject"/> holding <paramref name="visas"/>, signed as a broker.</summary>
    public string Passport(
        string subject, IEnumerable<string> visas, DateTimeOffset? issued = null, DateTimeOffset? expires = null,
        Action<JsonObject>? header = null, Action<JsonObject>? payload = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = (issued ?? now.AddMinutes(-1)).ToUnixTimeSeconds(),
            ["exp"] = (expires ?? now.AddHours(1)).ToUnixTimeSeconds(),
            ["ga4gh_passport_v1"] = new JsonArray([.. visas.Select(v => (JsonNode)JsonValue.Create(v))]),
        };
        payload?.Invoke(claims);
        var head = new JsonObject { ["typ"] = "vnd.ga4gh.passport+jwt", ["alg"] = Algorithm, ["kid"] = KeyId };
        header?.Invoke(head);
        return Sign(head, claims);
    }

    /// <summary>An access token of this broker (no GA4GH claims), to be exchanged for a passport.</summary>
    public string AccessToken(string subject, DateTimeOffset? expires = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = "genome-node",
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = (expires ?? now.AddHours(1)).ToUnixTimeSeconds(),
            ["scope"] = "openid ga4gh_passport_v1",
        };
        return Sign(new JsonObject { ["typ"] = "at+jwt", ["alg"] = Algorithm, ["kid"] = KeyId }, claims);
    }

    /// <summary>Signs header and payload as given with this issuer's key.</summary>
    public string Sign(JsonObject header, JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(payload);
        return SignText(header.ToJsonString(), payload.ToJsonString());
    }

    /// <summary>
    /// Signs header and payload given as JSON text, byte for byte (so a test can sign what a JSON writer would not write:
    /// repeated members, lone surrogate escapes).
    /// </summary>
    public string SignText(string headerJson, string payloadJson)
    {
        var input = $"{B64(headerJson)}.{B64(payloadJson)}";
        var bytes = Encoding.ASCII.GetBytes(input);
        var signature = rsa is not null
            ? rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ecdsa!.SignData(bytes, HashAlgorithmName.SHA256);
        return $"{input}.{B64(signature)}";
    }

    /// <summary>A token with the given header and payload, "signed" with HMAC-SHA256 under <paramref name="secret"/>.</summary>
    public static string SignHmac(JsonObject header, JsonObject payload, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(payload);
        var input = $"{B64(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{B64(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        return $"{input}.{B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)))}";
    }

    /// <summary>The header and payload of a compact token, for tests that re-sign or tamper with them.</summary>
    public static (JsonObject Header, JsonObject Payload) Open(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        return (JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject(), JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject());
    }

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        rsa?.Dispose();
        ecdsa?.Dispose();
    }
}
