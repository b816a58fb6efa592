using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GenomeNode.Bench.PassportBench;

/// <summary>One signature of a minted token: what was signed and the signature, for the bare-crypto peer.</summary>
internal readonly record struct SignedPart(byte[] Input, byte[] Signature);

/// <summary>A passport as minted: the compact JWT and its five signatures (the passport's, then each visa's).</summary>
internal sealed record MintedPassport(string Token, IReadOnlyList<SignedPart> Parts);

/// <summary>
/// A made-up broker (RS256) or visa issuer (ES256) for the bench: a key pair kept as a PKCS#8 PEM file so that the
/// `mint` and `validate` steps of bench/passport.sh sign with the key whose JWKS the script serves.
/// </summary>
internal sealed class BenchIssuer : IDisposable
{
    private readonly RSA? rsa;
    private readonly ECDsa? ecdsa;

    private BenchIssuer(string issuer, string jwksUrl, string keyId, RSA? rsa, ECDsa? ecdsa)
    {
        Issuer = issuer;
        JwksUrl = jwksUrl;
        KeyId = keyId;
        this.rsa = rsa;
        this.ecdsa = ecdsa;
    }

    public string Issuer { get; }

    public string JwksUrl { get; }

    public string KeyId { get; }

    public string Algorithm => rsa is not null ? "RS256" : "ES256";

    /// <summary>A new RSA 2048 (broker) or EC P-256 (visa issuer) key.</summary>
    public static BenchIssuer Create(string issuer, string jwksUrl, string keyId, bool elliptic) => elliptic
        ? new BenchIssuer(issuer, jwksUrl, keyId, null, ECDsa.Create(ECCurve.NamedCurves.nistP256))
        : new BenchIssuer(issuer, jwksUrl, keyId, RSA.Create(2048), null);

    /// <summary>The issuer whose private key <see cref="Save"/> wrote to <paramref name="pemFile"/>.</summary>
    public static BenchIssuer Load(string issuer, string jwksUrl, string keyId, string pemFile, bool elliptic)
    {
        var pem = File.ReadAllText(pemFile);
        if (elliptic)
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new BenchIssuer(issuer, jwksUrl, keyId, null, ec);
        }

        var r = RSA.Create();
        r.ImportFromPem(pem);
        return new BenchIssuer(issuer, jwksUrl, keyId, r, null);
    }

    public void Save(string pemFile) =>
        File.WriteAllText(pemFile, rsa is not null ? rsa.ExportPkcs8PrivateKeyPem() : ecdsa!.ExportPkcs8PrivateKeyPem());

    /// <summary>The JWKS document with the public key.</summary>
    public string Jwks()
    {
        JsonObject key;
        if (rsa is not null)
        {
            var p = rsa.ExportParameters(false);
            key = new JsonObject { ["kty"] = "RSA", ["kid"] = KeyId, ["use"] = "sig", ["alg"] = "RS256", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        }
        else
        {
            var p = ecdsa!.ExportParameters(false);
            key = new JsonObject { ["kty"] = "EC", ["kid"] = KeyId, ["use"] = "sig", ["alg"] = "ES256", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }

        return new JsonObject { ["keys"] = new JsonArray(key) }.ToJsonString();
    }

    /// <summary>Checks a signature with the public key only, as a verifier holding the JWKS would.</summary>
    public Func<SignedPart, bool> Verifier()
    {
        if (rsa is not null)
        {
            var verifier = RSA.Create(rsa.ExportParameters(false));
            return part => verifier.VerifyData(part.Input, part.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        var ec = ECDsa.Create(ecdsa!.ExportParameters(false));
        return part => ec.VerifyData(part.Input, part.Signature, HashAlgorithmName.SHA256);
    }

    /// <summary>A visa of <paramref name="subject"/> (header with this issuer's jku and kid), valid for <paramref name="lifetime"/>.</summary>
    public (string Token, SignedPart Part) Visa(string subject, string type, string value, string source, string by, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["ga4gh_visa_v1"] = new JsonObject
            {
                ["type"] = type,
                ["asserted"] = now.AddDays(-30).ToUnixTimeSeconds(),
                ["value"] = value,
                ["source"] = source,
                ["by"] = by,
            },
        };
        return Sign(new JsonObject { ["typ"] = "vnd.ga4gh.visa+jwt", ["alg"] = Algorithm, ["jku"] = JwksUrl, ["kid"] = KeyId }, claims);
    }

    /// <summary>A passport of <paramref name="subject"/> carrying <paramref name="visas"/>, signed as a broker.</summary>
    public (string Token, SignedPart Part) Passport(string subject, IEnumerable<string> visas, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["ga4gh_passport_v1"] = new JsonArray([.. visas.Select(v => (JsonNode)JsonValue.Create(v))]),
        };
        return Sign(new JsonObject { ["typ"] = "vnd.ga4gh.passport+jwt", ["alg"] = Algorithm, ["kid"] = KeyId }, claims);
    }

    private (string Token, SignedPart Part) Sign(JsonObject header, JsonObject payload)
    {
        var input = $"{B64(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{B64(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var bytes = Encoding.ASCII.GetBytes(input);
        var signature = rsa is not null
            ? rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ecdsa!.SignData(bytes, HashAlgorithmName.SHA256);
        return ($"{input}.{B64(signature)}", new SignedPart(bytes, signature));
    }

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public void Dispose()
    {
        rsa?.Dispose();
        ecdsa?.Dispose();
    }
}
