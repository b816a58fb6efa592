using System.Net;
using GenomeNode.Passport.Visas;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Clearinghouse;

/// <summary>A broker whose passports (and access tokens) this node accepts.</summary>
public sealed class TrustedBrokerOptions
{
    /// <summary>The broker's <c>iss</c>, compared as a case-sensitive full string.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>Where the broker publishes the keys it signs passports with.</summary>
    public string JwksUri { get; set; } = "";

    /// <summary>Token endpoint for exchanging an access token for a passport (AAI 1.2); optional.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>UserInfo endpoint answering the visas of an access token (AAI 1.0); optional.</summary>
    public string? UserinfoEndpoint { get; set; }

    /// <summary>This node's client id at the broker, for token exchange (client authentication is required there).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }
}

/// <summary>A visa issuer this node trusts, with the one <c>jku</c> its visas may name.</summary>
public sealed class TrustedVisaIssuerOptions
{
    public string Issuer { get; set; } = "";

    public string Jku { get; set; } = "";

    /// <summary>
    /// The <c>iss</c> of a trusted broker whose subject identifiers this issuer's visas use as their <c>sub</c> (as
    /// REMS behind LS AAI does): only then is (<c>sub</c>, this issuer) the identity (<c>sub</c>, that broker). Without
    /// it, a visa identity is its own (<c>sub</c>, <c>iss</c>) pair, joined to others only by LinkedIdentities visas.
    /// </summary>
    public string? SubjectsOfBroker { get; set; }
}

/// <summary>Which <c>by</c> values a visa of a type needs to count towards access (a visa without <c>by</c> never does).</summary>
public sealed class AcceptedByOptions
{
    public List<string> AcceptedTermsAndPolicies { get; set; } = ["self", "so", "system"];

    public List<string> ResearcherStatus { get; set; } = ["so", "system"];

    public List<string> ControlledAccessGrants { get; set; } = ["dac", "so", "system"];

    public IReadOnlyList<string> For(string visaType) => visaType switch
    {
        VisaTypes.AcceptedTermsAndPolicies => AcceptedTermsAndPolicies,
        VisaTypes.ResearcherStatus => ResearcherStatus,
        VisaTypes.ControlledAccessGrants => ControlledAccessGrants,
        _ => [],
    };
}

/// <summary>Configuration section <c>Passport</c>: whom the clearinghouse trusts and how strictly it checks.</summary>
public sealed class PassportOptions
{
    public const string Section = "Passport";

    /// <summary>The Registered Access policy of GA4GH (Dyke et al. 2018), the usual value of both registered-access visas.</summary>
    public const string RegisteredAccessBonaFide = "https://doi.org/10.1038/s41431-018-0219-y";

    public List<TrustedBrokerOptions> TrustedBrokers { get; set; } = [];

    public List<TrustedVisaIssuerOptions> TrustedVisaIssuers { get; set; } = [];

    /// <summary>Tolerance for clock differences in <c>exp</c>, <c>nbf</c>, <c>iat</c> and <c>asserted</c>.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Lets issuers, JWKS and broker endpoints use http on a loopback address (tests, local demos).</summary>
    public bool AllowLoopbackHttp { get; set; }

    public AcceptedByOptions AcceptedBy { get; set; } = new();

    /// <summary>
    /// Registered Access policies: a caller has registered access with an AcceptedTermsAndPolicies and a
    /// ResearcherStatus visa whose values are the same one of these.
    /// </summary>
    public List<string> RegisteredAccessPolicies { get; set; } = [RegisteredAccessBonaFide];

    /// <summary>When set, a passport's <c>aud</c> (if it has one) must name one of these.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>Largest bearer token accepted, in bytes (a passport carries every visa inline).</summary>
    public int MaxTokenBytes { get; set; } = 64 * 1024;

    public int MaxVisas { get; set; } = 200;

    /// <summary>How long fetched JWKS are used before they are fetched again.</summary>
    public int JwksLifetimeSeconds { get; set; } = 3600;

    /// <summary>Fewest seconds between two fetches of one JWKS when a token names a key it does not hold.</summary>
    public int JwksRefreshIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// How long a validated passport (or the passport an access token was exchanged for) is reused for the same
    /// token, capped by its expiry. Bounds how late a key rotation or revocation at a broker is noticed.
    /// </summary>
    public int ValidationCacheSeconds { get; set; } = 300;

    /// <summary>
    /// How long a refused token is remembered by its SHA-256, so that the same token is not checked (nor sent to a broker)
    /// again meanwhile. Refusals that are not the token's fault (<see cref="Rejection.Retryable"/>) are not remembered.
    /// </summary>
    public int RefusalCacheSeconds { get; set; } = 60;

    /// <summary>Broker calls (token exchange or userinfo) one client (an IP address, an IPv6 /64) may cause per minute.</summary>
    public int BrokerCallsPerClientPerMinute { get; set; } = 60;

    /// <summary>Broker calls the node waits on at once, over all clients; a token that would need another is refused.</summary>
    public int MaxBrokerCallsInFlight { get; set; } = 16;

    /// <summary>
    /// Whether this node's own visas (<c>iss</c> its issuer, <c>jku</c> its REMS JWKS) and its own broker's passports
    /// and access tokens are trusted without being listed (docs/passport.md, "Trusting itself"). Their keys are taken
    /// in-process, never fetched.
    /// </summary>
    public bool TrustOwnIssuer { get; set; } = true;

    /// <summary>Where the node's REMS-compatible committee API lives under its public URL; its JWKS is at <c>{RemsPath}/api/jwk</c>.</summary>
    public string RemsPath { get; set; } = "/rems";

    public TimeSpan ClockSkew => TimeSpan.FromSeconds(ClockSkewSeconds);

    /// <summary>Visa issuers whose <c>sub</c> values are a broker's subject identifiers, mapped to that broker's <c>iss</c>.</summary>
    public IReadOnlyDictionary<string, string> SubjectSharingIssuers()
    {
        var brokers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var issuer in TrustedVisaIssuers)
        {
            if (issuer.SubjectsOfBroker is { Length: > 0 } broker)
            {
                brokers.TryAdd(issuer.Issuer, broker);
            }
        }

        return brokers;
    }

    /// <summary>Why <paramref name="url"/> may not be fetched or trusted under these options, or null when it may.</summary>
    public string? CheckUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"'{url}' is not an absolute URL";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && AllowLoopbackHttp && IsLoopback(uri))
        {
            return null;
        }

        return AllowLoopbackHttp
            ? $"'{url}' must use https (http only on a loopback address)"
            : $"'{url}' must use https (Passport:AllowLoopbackHttp allows http on a loopback address)";
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

internal sealed class PassportOptionsValidator : IValidateOptions<PassportOptions>
{
    public ValidateOptionsResult Validate(string? name, PassportOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.TrustedBrokers.Count; i++)
        {
            var broker = options.TrustedBrokers[i];
            var key = $"Passport:TrustedBrokers:{i}";
            CheckIssuer(failures, options, $"{key}:Issuer", broker.Issuer);
            CheckUrl(failures, options, $"{key}:JwksUri", broker.JwksUri);
            if (broker.TokenEndpoint is { Length: > 0 } token)
            {
                CheckUrl(failures, options, $"{key}:TokenEndpoint", token);
                if (string.IsNullOrWhiteSpace(broker.ClientId))
                {
                    failures.Add($"{key}:ClientId is needed with a TokenEndpoint (token exchange requires client authentication)");
                }
            }

            if (broker.UserinfoEndpoint is { Length: > 0 } userinfo)
            {
                CheckUrl(failures, options, $"{key}:UserinfoEndpoint", userinfo);
            }
        }

        DuplicateCheck(failures, "Passport:TrustedBrokers", options.TrustedBrokers.Select(b => b.Issuer));
        for (var i = 0; i < options.TrustedVisaIssuers.Count; i++)
        {
            var issuer = options.TrustedVisaIssuers[i];
            CheckIssuer(failures, options, $"Passport:TrustedVisaIssuers:{i}:Issuer", issuer.Issuer);
            CheckUrl(failures, options, $"Passport:TrustedVisaIssuers:{i}:Jku", issuer.Jku);
        }

        DuplicateCheck(failures, "Passport:TrustedVisaIssuers", options.TrustedVisaIssuers.Select(v => $"{v.Issuer} {v.Jku}"));
        CheckSubjectsOfBroker(failures, options);
        if (options.ClockSkewSeconds is < 0 or > 600)
        {
            failures.Add("Passport:ClockSkewSeconds must be between 0 and 600");
        }

        if (options.MaxTokenBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add("Passport:MaxTokenBytes must be between 1024 and 1048576");
        }

        if (options.MaxVisas is < 1 or > 10_000)
        {
            failures.Add("Passport:MaxVisas must be between 1 and 10000");
        }

        if (options.JwksLifetimeSeconds < 60 || options.JwksRefreshIntervalSeconds < 1 || options.ValidationCacheSeconds < 0)
        {
            failures.Add("Passport:JwksLifetimeSeconds must be at least 60, JwksRefreshIntervalSeconds at least 1, ValidationCacheSeconds not negative");
        }

        if (options.RefusalCacheSeconds is < 1 or > 3600)
        {
            failures.Add("Passport:RefusalCacheSeconds must be between 1 and 3600");
        }

        if (options.BrokerCallsPerClientPerMinute is < 1 or > 100_000)
        {
            failures.Add("Passport:BrokerCallsPerClientPerMinute must be between 1 and 100000");
        }

        if (options.MaxBrokerCallsInFlight is < 1 or > 10_000)
        {
            failures.Add("Passport:MaxBrokerCallsInFlight must be between 1 and 10000");
        }

        if (string.IsNullOrEmpty(options.RemsPath) || options.RemsPath[0] != '/' || options.RemsPath.EndsWith('/')
            || !Uri.TryCreate("https://node.example" + options.RemsPath, UriKind.Absolute, out var rems) || rems.PathAndQuery != options.RemsPath)
        {
            failures.Add("Passport:RemsPath must be a path such as /rems: starting with '/', not ending with '/', without query or escapes");
        }

        foreach (var policy in options.RegisteredAccessPolicies)
        {
            if (string.IsNullOrWhiteSpace(policy))
            {
                failures.Add("Passport:RegisteredAccessPolicies must not hold empty values");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A SubjectsOfBroker names a trusted broker, and all entries of one visa issuer agree on it.</summary>
    private static void CheckSubjectsOfBroker(List<string> failures, PassportOptions options)
    {
        for (var i = 0; i < options.TrustedVisaIssuers.Count; i++)
        {
            var issuer = options.TrustedVisaIssuers[i];
            if (issuer.SubjectsOfBroker is { Length: > 0 } broker
                && !options.TrustedBrokers.Any(b => string.Equals(b.Issuer, broker, StringComparison.Ordinal)))
            {
                failures.Add($"Passport:TrustedVisaIssuers:{i}:SubjectsOfBroker '{broker}' is not the Issuer of a Passport:TrustedBrokers entry");
            }
        }

        var disagreeing = options.TrustedVisaIssuers
            .GroupBy(v => v.Issuer, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Select(v => v.SubjectsOfBroker ?? "").Distinct(StringComparer.Ordinal).Count() > 1);
        if (disagreeing is not null)
        {
            failures.Add($"Passport:TrustedVisaIssuers lists '{disagreeing.Key}' with different SubjectsOfBroker values");
        }
    }

    private static void CheckIssuer(List<string> failures, PassportOptions options, string key, string issuer)
    {
        if (string.IsNullOrWhiteSpace(issuer))
        {
            failures.Add($"{key} must not be empty");
        }
        else if (options.CheckUrl(issuer) is { } problem)
        {
            failures.Add($"{key}: {problem}");
        }
    }

    private static void CheckUrl(List<string> failures, PassportOptions options, string key, string? url)
    {
        if (options.CheckUrl(url) is { } problem)
        {
            failures.Add($"{key}: {problem}");
        }
    }

    private static void DuplicateCheck(List<string> failures, string key, IEnumerable<string> values)
    {
        var duplicate = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            failures.Add($"{key} lists '{duplicate.Key}' twice");
        }
    }
}
