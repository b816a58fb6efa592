using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Tests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>
/// Which JWKS keys verify tokens is the node's rule on top of IdentityModel, which reads the keys and checks the
/// signatures but on its own would verify with a 1024-bit RSA key, verify ES256 with a P-384 key, take a JWK's
/// certificate in place of its n and e, and refuse a whole JWKS for one malformed key.
/// </summary>
public sealed class SigningKeyRulesTests : IDisposable
{
    private const string Subject = "researcher-1@broker.test.example";

    private readonly TestClearinghouse node = new();

    public void Dispose() => node.Dispose();

    [Fact]
    public async Task An_rsa_key_smaller_than_2048_bits_is_skipped_and_tokens_naming_it_are_refused()
    {
        using var small = RSA.Create(1024);
        ServeBrokerKeys(RsaJwk("small", small));

        await RefusedAsync(SignedBy(small, "small"), ValidationStep.SigningKey, "no usable key with kid 'small'");
        Assert.Contains(node.Logs.Lines, line => line.Contains("skipped key 1: RSA key smaller than 2048 bits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_es256_token_signed_with_a_p384_key_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var q = p384.ExportParameters(false).Q;
        ServeBrokerKeys(new JsonObject { ["kty"] = "EC", ["kid"] = "p384", ["crv"] = "P-384", ["x"] = TestTokenIssuer.B64(q.X!), ["y"] = TestTokenIssuer.B64(q.Y!) });

        await RefusedAsync(SignedBy(p384, "p384"), ValidationStep.SigningKey, "no usable key with kid 'p384'");
        Assert.Contains(node.Logs.Lines, line => line.Contains("skipped key 1: EC key not on curve P-256", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_jwk_is_its_n_and_e_and_a_certificate_it_also_carries_is_not_used()
    {
        using var published = RSA.Create(2048);
        using var other = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=other", other, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var jwk = RsaJwk("with-cert", published);
        jwk["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData));
        ServeBrokerKeys(jwk);

        await RefusedAsync(SignedBy(other, "with-cert"), ValidationStep.Signature, "does not verify with key 'with-cert'");
        Assert.Null((await node.AuthenticateAsync(SignedBy(published, "with-cert"))).Rejection);
    }

    [Fact]
    public async Task A_key_published_for_encryption_is_not_used_for_signatures()
    {
        using var encryption = RSA.Create(2048);
        var jwk = RsaJwk("enc", encryption);
        jwk["use"] = "enc";
        ServeBrokerKeys(jwk);

        await RefusedAsync(SignedBy(encryption, "enc"), ValidationStep.SigningKey, "no usable key with kid 'enc'");
        Assert.Contains(node.Logs.Lines, line => line.Contains("skipped key 1: use 'enc' is not sig", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_in_the_token_header_is_never_used()
    {
        using var attacker = RSA.Create(2048);
        ServeBrokerKeys();

        await RefusedAsync(SignedBy(attacker, "attacker", h => h["jwk"] = RsaJwk("attacker", attacker)), ValidationStep.SigningKey, "no usable key with kid 'attacker'");
        await RefusedAsync(SignedBy(attacker, node.Broker.KeyId, h => h["jwk"] = RsaJwk(node.Broker.KeyId, attacker)), ValidationStep.Signature, "does not verify");
    }

    [Fact]
    public async Task A_jwks_key_with_a_member_of_the_wrong_type_is_skipped_and_the_others_still_verify()
    {
        using var odd = RSA.Create(2048);
        var jwk = RsaJwk("odd", odd);
        jwk["kid"] = 42;
        ServeBrokerKeys(jwk);

        Assert.Null((await node.AuthenticateAsync(node.Broker.Passport(Subject, []))).Rejection);
        Assert.Contains(node.Logs.Lines, line => line.Contains("skipped key 1: ", StringComparison.Ordinal));
    }

    /// <summary>The broker's JWKS becomes its own key followed by <paramref name="extra"/>.</summary>
    private void ServeBrokerKeys(params JsonObject[] extra)
    {
        var jwks = JsonNode.Parse(node.Broker.Jwks())!.AsObject();
        foreach (var key in extra)
        {
            jwks["keys"]!.AsArray().Add(key);
        }

        node.Server.Given(Request.Create().WithPath("/broker/jwks").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(jwks.ToJsonString()));
    }

    private static JsonObject RsaJwk(string kid, RSA rsa)
    {
        var parameters = rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["n"] = TestTokenIssuer.B64(parameters.Modulus!), ["e"] = TestTokenIssuer.B64(parameters.Exponent!) };
    }

    /// <summary>A passport of the trusted broker's iss, signed by <paramref name="key"/> and naming <paramref name="kid"/>.</summary>
    private string SignedBy(AsymmetricAlgorithm key, string kid, Action<JsonObject>? header = null)
    {
        var (head, payload) = TestTokenIssuer.Open(node.Broker.Passport(Subject, []));
        head["kid"] = kid;
        head["alg"] = key is RSA ? "RS256" : "ES256";
        header?.Invoke(head);
        var input = $"{TestTokenIssuer.B64(head.ToJsonString())}.{TestTokenIssuer.B64(payload.ToJsonString())}";
        var bytes = Encoding.ASCII.GetBytes(input);
        var signature = key is RSA rsa
            ? rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ((ECDsa)key).SignData(bytes, HashAlgorithmName.SHA256);
        return $"{input}.{TestTokenIssuer.B64(signature)}";
    }

    private async Task RefusedAsync(string token, ValidationStep step, string reason)
    {
        var caller = await node.AuthenticateAsync(token);

        Assert.Null(caller.Passport);
        var rejection = Assert.IsType<Rejection>(caller.Rejection);
        Assert.True(step == rejection.Step, $"expected step {step}, was {rejection}");
        Assert.Contains(reason, rejection.Reason, StringComparison.Ordinal);
    }
}
