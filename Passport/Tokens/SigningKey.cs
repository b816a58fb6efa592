using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Passport.Tokens;

/// <summary>
/// A public key from a trusted JWKS that can verify RS256 (RSA, 2048 bits or more) or ES256 (EC P-256) signatures.
/// IdentityModel reads the JWK (<see cref="JsonWebKey"/>) and verifies signatures
/// (<see cref="AsymmetricSignatureProvider"/>); which keys are usable is this node's rule, stricter than the library's,
/// which would verify with a 1024-bit RSA key, verify ES256 with a P-384 key, and take a JWK's <c>x5c</c> certificate
/// in place of its <c>n</c> and <c>e</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "Not disposable: a key replaced by a JWKS refresh may still be verifying a signature on another thread.")]
public sealed class SigningKey
{
    public const string RS256 = SecurityAlgorithms.RsaSha256;
    public const string ES256 = SecurityAlgorithms.EcdsaSha256;
    private const int MinimumRsaBits = 2048;

    // Built once per key when the JWKS is read; thread-safe, shared by every token the key verifies.
    private readonly AsymmetricSignatureProvider verifier;

    private SigningKey(string keyId, string algorithm, AsymmetricSecurityKey key)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        key.KeyId = keyId;
        verifier = new AsymmetricSignatureProvider(key, algorithm);
    }

    public string KeyId { get; }

    /// <summary>The one algorithm this key verifies: RS256 for RSA keys, ES256 for P-256 keys.</summary>
    public string Algorithm { get; }

    /// <summary>Whether <paramref name="signature"/> over <paramref name="signingInput"/> was made with this key's private half.</summary>
    public bool Verifies(string algorithm, byte[] signingInput, byte[] signature) =>
        // The token's alg must be the key's own: an RSA key never checks an ES256 signature, nor the reverse.
        string.Equals(algorithm, Algorithm, StringComparison.Ordinal) && signature.Length > 0 && verifier.Verify(signingInput, signature);

    /// <summary>
    /// The signing keys of a JWKS document; keys that are not for signatures, have no <c>kid</c>, are of another type
    /// or curve, are too small, or are malformed are skipped and described in <paramref name="skipped"/>. One bad key
    /// does not void the others (IdentityModel's <see cref="JsonWebKeySet"/> would refuse the whole set).
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

    /// <summary>A verifier of one of this node's own published keys (null if the key breaks this node's rules).</summary>
    internal static SigningKey? FromPublished(JsonWebKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["kty"] = key.Kty,
            ["kid"] = key.Kid,
            ["alg"] = key.Alg,
            ["use"] = key.Use,
            ["n"] = key.N,
            ["e"] = key.E,
        }.ToJsonString();
        using var document = JsonDocument.Parse(json);
        return TryRead(document.RootElement, out var signingKey) is null ? signingKey : null;
    }

    private static string? TryRead(JsonElement element, out SigningKey? signingKey)
    {
        signingKey = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "not a JSON object";
        }

        JsonWebKey key;
        try
        {
            key = new JsonWebKey(element.GetRawText());
        }
        catch (ArgumentException)
        {
            return "not a JWK (a member has the wrong type)";
        }

        if (string.IsNullOrEmpty(key.Kid))
        {
            return "no kid";
        }

        if (key.Use is { } use && use != JsonWebKeyUseNames.Sig)
        {
            return $"use '{use}' is not sig";
        }

        try
        {
            switch (key.Kty)
            {
                case JsonWebAlgorithmsKeyTypes.RSA:
                    if (key.Alg is { } rsaAlg && rsaAlg != RS256)
                    {
                        return $"RSA key for '{rsaAlg}', not RS256";
                    }

                    // The key is its n and e: an x5c certificate the JWK may also carry is not used.
                    var modulus = Bytes(key.N);
                    var exponent = Bytes(key.E);
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
                    signingKey = new SigningKey(key.Kid, RS256, new RsaSecurityKey(rsa));
                    return null;
                case JsonWebAlgorithmsKeyTypes.EllipticCurve:
                    if (key.Alg is { } ecAlg && ecAlg != ES256)
                    {
                        return $"EC key for '{ecAlg}', not ES256";
                    }

                    if (key.Crv != JsonWebKeyECTypes.P256)
                    {
                        return "EC key not on curve P-256";
                    }

                    var x = Bytes(key.X);
                    var y = Bytes(key.Y);
                    if (x is not { Length: 32 } || y is not { Length: 32 })
                    {
                        return "EC key without 32-byte x and y";
                    }

                    // ImportParameters validates that the point lies on the curve.
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
                    signingKey = new SigningKey(key.Kid, ES256, new ECDsaSecurityKey(ecdsa));
                    return null;
                case { } other:
                    return $"key type '{other}' is not RSA or EC";
                default:
                    return "no kty";
            }
        }
        catch (Exception ex) when (ex is CryptographicException or NotSupportedException or ArgumentException)
        {
            return "the key material is not a valid public key";
        }
    }

    // The node's strict base64url, not the library's Base64UrlEncoder, which also takes '+', '/' and whitespace.
    private static byte[]? Bytes(string? text) => text is { Length: > 0 } ? SignedToken.Base64UrlPart(text) : null;
}
