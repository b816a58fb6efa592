namespace GenomeNode.Broker;

/// <summary>Names of GA4GH AAI 1.2 that the broker uses on the wire.</summary>
public static class BrokerScopes
{
    /// <summary>The scope (and claim) under which userinfo answers the subject's visas.</summary>
    public const string Passport = "ga4gh_passport_v1";

    /// <summary>RFC 8693 <c>requested_token_type</c> for a passport (AAI 1.2).</summary>
    public const string PassportTokenType = "urn:ga4gh:params:oauth:token-type:passport";

    /// <summary>The JOSE <c>typ</c> of a passport JWT.</summary>
    public const string PassportMediaType = "vnd.ga4gh.passport+jwt";

    /// <summary>The claim remembering where a user signed in: the upstream issuer, or <c>local</c> for a demo account.</summary>
    public const string IdentityProviderClaim = "idp";

    public const string LocalIdentityProvider = "local";
}
