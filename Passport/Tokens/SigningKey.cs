using System.Security.Cryptography;
using System.Text.Json;

namespace GenomeNode.Passport.Tokens;

/// <summary>A public key from a JWKS that can verify RS256 (RSA, 2048 bits or more) or ES256 (EC P-256) signatures.</summary>
// Not disposable: a key replaced by a JWKS refresh may still be verifying a signature on another thread.
public sealed class SigningKey
{
    public const string RS256 = "RS256";
    public const string ES256 = "ES256";
    private const int MinimumRsaBits = 2048;

    private readonly RSA? rsa;
    private readonly ECDsa? ecdsa;

    private SigningKey(string keyId, string algorithm, RSA? rsa, ECDsa? ecdsa)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        this.rsa = rsa;
        this.ecdsa = ecdsa;
    }

    public string KeyId { get; }

    /// <summary>The one algorithm this key verifies: RS256 for RSA keys, ES256 for P-256 keys.</summary>
    public string Algorithm { get; }

    /// <summary>Whether <paramref name="signature"/> over <paramref name="signingInput"/> was made with this key's private half.</summary>
    public bool Verifies(string algorithm, byte[] signingInput, byte[] signature)
    {
        // The token's alg must be the key's own: an RSA key never checks an ES256 signature, nor the reverse.
        if (!string.Equals(algorithm, Algorithm, StringComparison.Ordinal))
        {
            return false;
        }

        return rsa is not null
            ? rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : signature.Length == 64 && ecdsa!.VerifyData(signingInput, signature, HashAlgorithmName.SHA256);
    }

    /// <summary>
    /// The signing keys of a JWKS document; keys that are not for signatures, have no <c>kid</c>, are of another type
    /// or curve, are too small, or are malformed are skipped and described in <paramref name="skipped"/>.
    /// </summary>
    public static IReadOnlyList<SigningKey> ReadSet(JsonElement document, List<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("a JWKS is a JSON object with a \"keys\" array");
        }

        var result = new List<SigningKey>();
        var index = 0;
        foreach (var key in keys.EnumerateArray())
        {
            var problem = TryRead(key, out var signingKey);
            if (signingKey is not null)
            {
                result.Add(signingKey);
            }
            else
            {
                skipped.Add($"key {index}: {problem}");
            }

            index++;
        }

        return result;
    }

    private static string? TryRead(JsonElement key, out SigningKey? signingKey)
    {
        signingKey = null;
        if (key.ValueKind != JsonValueKind.Object)
        {
            return "not a JSON object";
        }

        var kid = Text(key, "kid");
        if (string.IsNullOrEmpty(kid))
        {
            return "no kid";
        }

        if (Text(key, "use") is { } use && use != "sig")
        {
            return $"use '{use}' is not sig";
        }

        var alg = Text(key, "alg");
        try
        {
            switch (Text(key, "kty"))
            {
                case "RSA":
                    if (alg is not null && alg != RS256)
                    {
                        return $"RSA key for '{alg}', not RS256";
                    }

                    var modulus = Bytes(key, "n");
                    var exponent = Bytes(key, "e");
                    if (modulus is null || exponent is null)
                    {
                        return "RSA key without n and e";
                    }

                    var significant = modulus.AsSpan().TrimStart((byte)0);
                    if (significant.Length * 8 < MinimumRsaBits)
                    {
                        return $"RSA key smaller than {MinimumRsaBits} bits";
                    }

                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters { Modulus = significant.ToArray(), Exponent = exponent });
                    signingKey = new SigningKey(kid, RS256, rsa, null);
                    return null;
                case "EC":
                    if (alg is not null && alg != ES256)
                    {
                        return $"EC key for '{alg}', not ES256";
                    }

                    if (Text(key, "crv") != "P-256")
                    {
                        return "EC key not on curve P-256";
                    }

                    var x = Bytes(key, "x");
                    var y = Bytes(key, "y");
                    if (x is not { Length: 32 } || y is not { Length: 32 })
                    {
                        return "EC key without 32-byte x and y";
                    }

                    // ImportParameters validates that the point lies on the curve.
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
                    signingKey = new SigningKey(kid, ES256, null, ecdsa);
                    return null;
                case { } other:
                    return $"key type '{other}' is not RSA or EC";
                default:
                    return "no kty";
            }
        }
        catch (CryptographicException)
        {
            return "the key material is not a valid public key";
        }
    }

    private static string? Text(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Bytes(JsonElement key, string name)
    {
        if (Text(key, name) is not { Length: > 0 } text)
        {
            return null;
        }

        return SignedToken.Base64UrlPart(text);
    }
}
