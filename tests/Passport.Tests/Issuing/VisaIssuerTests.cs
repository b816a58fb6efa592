using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Visas;
using GenomeNode.Tests;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Passport.Tests.Issuing;

/// <summary>The node's ControlledAccessGrants visas: REMS' shape, verifiable by others from the published JWKS alone.</summary>
public sealed class VisaIssuerTests
{
    private const string Subject = "researcher-7";
    private const string DatasetValue = "urn:genome-node:dataset:cohort-a";

    /// <summary>
    /// A visa as REMS makes it, facts only: the header of <c>visa-header</c> (plus the <c>alg</c> its JWT library adds)
    /// and the claims of <c>test-entitlement->visa-claims</c> in CSCfi/rems <c>src/clj/rems/ga4gh.clj</c> at commit
    /// 01d75196ead5d36c5592c520a23cdf68ff3d3edb (times as the epoch seconds of 2010, 2011 and 2009 it names); the
    /// <c>kid</c> of REMS' test key, <c>test-data/example-public-key.jwk</c>.
    /// </summary>
    private const string RemsVisaHeader = """{"alg":"RS256","jku":"https://rems.example/api/jwk","typ":"JWT","kid":"2011-04-29"}""";

    private const string RemsVisaPayload = """
        {"iss":"https://rems.example/","sub":"user@example.com","iat":1262304000,"exp":1293840000,
         "ga4gh_visa_v1":{"type":"ControlledAccessGrants","value":"urn:1234","source":"https://rems.example/","by":"dac","asserted":1230768000}}
        """;

    /// <summary>REMS' <c>/api/jwk</c> answer in test <c>jwk-api</c> of <c>test/clj/rems/api/test_permissions.clj</c> (commit 03c50611c7a9df72340d3069332df397cb502c16), n shortened.</summary>
    private const string RemsJwks = """{"keys":[{"alg":"RS256","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQ","kid":"2011-04-29","e":"AQAB","kty":"RSA"}]}""";

    [Fact]
    public async Task A_visa_signed_here_validates_with_IdentityModel_given_only_the_published_JWKS()
    {
        using var node = new OwnNode();
        var visa = node.Visa(Subject, DatasetValue);

        var result = await ValidateIndependentlyAsync(node, visa, node.Issuer.PublishedKeys().ToJsonString());

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(Subject, result.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task A_visa_signed_here_passes_the_nodes_own_visa_rules_with_the_grant_as_its_times()
    {
        using var node = new OwnNode();
        var start = node.Now.AddDays(-10);
        var end = node.Now.AddDays(20);
        var visa = node.Issuer.Sign(new GrantVisa(Subject, DatasetValue, "https://dac.example/committee", start, end), node.Self.Issuer, node.Self.VisaJwksUrl);

        var (accepted, rejection) = await node.Validator.ValidateVisaAsync(visa, node.Self, CancellationToken.None);

        Assert.Null(rejection);
        Assert.NotNull(accepted);
        Assert.Equal((node.Self.Issuer, Subject), (accepted.Issuer, accepted.Subject));
        Assert.Equal(end.ToUnixTimeSeconds(), accepted.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal(node.Now.ToUnixTimeSeconds(), accepted.IssuedAt.ToUnixTimeSeconds());
        Assert.Equal(
            (VisaTypes.ControlledAccessGrants, DatasetValue, "https://dac.example/committee", "dac", start.ToUnixTimeSeconds()),
            (accepted.Visa.Type, accepted.Visa.Value, accepted.Visa.Source, accepted.Visa.By, accepted.Visa.Asserted));
        var header = Decode(visa).Header;
        Assert.Equal((node.Self.VisaJwksUrl, node.Keys.Current.Key.KeyId), (header["jku"]!.GetValue<string>(), header["kid"]!.GetValue<string>()));
    }

    [Fact]
    public void A_visa_signed_here_has_the_members_and_JSON_types_of_a_REMS_visa_and_its_JWKS_those_of_REMS_api_jwk()
    {
        using var node = new OwnNode();
        var (header, payload) = Decode(node.Visa(Subject, DatasetValue));

        Assert.Equal(Shape(JsonNode.Parse(RemsVisaHeader)!), Shape(header));
        Assert.Equal(Shape(JsonNode.Parse(RemsVisaPayload)!), Shape(payload));
        Assert.Equal("JWT", header["typ"]!.GetValue<string>());
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());

        // REMS' JWKS members, plus "use": "sig" (RFC 7517), which REMS leaves out.
        var remsKey = Shape(JsonNode.Parse(RemsJwks)!["keys"]![0]!);
        var ours = Shape(node.Issuer.PublishedKeys()["keys"]![0]!);
        Assert.Equal(remsKey.Append("use:String").Order(StringComparer.Ordinal), ours);
    }

    [Fact]
    public async Task After_rotation_an_old_visa_still_validates_and_its_key_leaves_the_JWKS_only_after_the_visa_expired()
    {
        using var node = new OwnNode();
        var oldKey = node.Keys.Current.Key.KeyId;
        var old = node.Visa(Subject, DatasetValue, expires: node.Now.AddHours(3));

        node.Keys.Rotate();
        var fresh = node.Visa(Subject, DatasetValue);

        var jwks = node.Issuer.PublishedKeys().ToJsonString();
        Assert.True((await ValidateIndependentlyAsync(node, old, jwks)).IsValid);
        Assert.True((await ValidateIndependentlyAsync(node, fresh, jwks)).IsValid);
        Assert.NotEqual(oldKey, Decode(fresh).Header["kid"]!.GetValue<string>());

        node.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Contains(oldKey, Kids(node));
        node.Clock.Advance(NodeSigningKeys.RecordStep + node.Options.ClockSkew + TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(oldKey, Kids(node));
        Assert.Equal([node.Keys.Current.Key.KeyId], Kids(node));
    }

    [Fact]
    public void A_grant_that_would_expire_before_it_is_asserted_is_not_signed()
    {
        using var node = new OwnNode();
        Assert.Throws<ArgumentException>(() => node.Issuer.Sign(
            new GrantVisa(Subject, DatasetValue, node.Self.Issuer, node.Now, node.Now), node.Self.Issuer, node.Self.VisaJwksUrl));
    }

    private static List<string> Kids(OwnNode node) =>
        [.. node.Issuer.PublishedKeys()["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>())];

    private static Task<TokenValidationResult> ValidateIndependentlyAsync(OwnNode node, string visa, string jwksJson) =>
        new JsonWebTokenHandler().ValidateTokenAsync(visa, new TokenValidationParameters
        {
            ValidIssuer = node.Self.Issuer,
            ValidateAudience = false,
            IssuerSigningKeys = new JsonWebKeySet(jwksJson).GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
        });

    private static (JsonObject Header, JsonObject Payload) Decode(string token) => TestTokenIssuer.Open(token);

    /// <summary>Every member path with its JSON type (nested objects flattened), sorted: what two tokens share when values differ.</summary>
    private static List<string> Shape(JsonNode node)
    {
        var shape = new List<string>();
        void Walk(JsonObject obj, string prefix)
        {
            foreach (var (name, value) in obj)
            {
                var kind = value?.GetValueKind() ?? JsonValueKind.Null;
                shape.Add($"{prefix}{name}:{kind}");
                if (value is JsonObject inner)
                {
                    Walk(inner, $"{prefix}{name}.");
                }
            }
        }

        Walk(node.AsObject(), "");
        return [.. shape.Order(StringComparer.Ordinal)];
    }
}
