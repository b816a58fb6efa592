using System.Security.Claims;
using GenomeNode.Passport.Issuing;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Broker.Passports;

/// <summary>
/// Mints a subject's passport (GA4GH Passport 1.2, AAI 1.2): a JWT of <c>typ</c> <c>vnd.ga4gh.passport+jwt</c> signed
/// with the node's current key, whose <c>ga4gh_passport_v1</c> holds the visas this node issues to the subject and
/// those collected from trusted upstream issuers that have not expired.
/// </summary>
public sealed class PassportMinter(
    IEnumerable<IIssuedVisas> issuedVisas, UpstreamVisaStore upstreamVisas, INodeSigningKeys keys,
    IOptionsMonitor<BrokerOptions> options, TimeProvider time)
{
    /// <summary>The visas a passport of <paramref name="subject"/> carries now.</summary>
    public async Task<IReadOnlyList<string>> VisasAsync(string subject, string issuer, CancellationToken cancellationToken)
    {
        var visas = new List<string>();
        foreach (var source in issuedVisas)
        {
            visas.AddRange(await source.ForSubjectAsync(subject, issuer, cancellationToken));
        }

        visas.AddRange(upstreamVisas.Current(subject));
        return visas;
    }

    /// <param name="subject">the passport's <c>sub</c></param>
    /// <param name="issuer">the broker's issuer (the passport's <c>iss</c>)</param>
    /// <param name="notAfter">the passport expires no later than this (e.g. the access token it was exchanged for)</param>
    /// <param name="cancellationToken">the request's</param>
    public async Task<(string Token, DateTimeOffset Expires)> MintAsync(
        string subject, string issuer, DateTimeOffset? notAfter, CancellationToken cancellationToken)
    {
        var visas = await VisasAsync(subject, issuer, cancellationToken);
        var now = time.GetUtcNow();
        var expires = now.AddMinutes(options.CurrentValue.PassportMinutes);
        if (notAfter is { } limit && limit < expires)
        {
            expires = limit;
        }

        var credentials = keys.Current;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = null,
            Expires = expires.UtcDateTime,
            SigningCredentials = credentials,
            TokenType = BrokerScopes.PassportMediaType,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["jti"] = Guid.NewGuid().ToString(),
                [BrokerScopes.Passport] = visas.ToArray(),
            },
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var token = handler.CreateToken(descriptor);
        keys.RecordSigned(credentials.Kid ?? credentials.Key.KeyId, expires);
        return (token, expires);
    }
}
