using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace GenomeNode.Federation;

/// <summary>How a partner is called.</summary>
public enum PartnerAuthenticationMode
{
    /// <summary>No credentials at all: the partner answers this node as it answers any anonymous caller.</summary>
    Anonymous,

    /// <summary>An OAuth 2.0 client-credentials token of this node, from the partner's (or a shared) token endpoint.</summary>
    ClientCredentials,

    /// <summary>
    /// The caller's own passport, forwarded as the caller sent it; only to a partner also marked
    /// <see cref="PartnerOptions.TrustedForPassports"/>.
    /// </summary>
    Passport,
}

/// <summary>Credentials this node uses towards one partner.</summary>
public sealed class PartnerAuthenticationOptions
{
    public PartnerAuthenticationMode Mode { get; set; } = PartnerAuthenticationMode.Anonymous;

    /// <summary>The token endpoint (client credentials).</summary>
    public string? TokenUrl { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for, space-separated (client credentials; optional).</summary>
    public string? Scope { get; set; }
}

/// <summary>One partner node (or any Beacon v2.0/v2.1) this node fans network queries out to.</summary>
public sealed class PartnerOptions
{
    /// <summary>This node's name for the partner: logs, health, and where a partner's answer carries no beacon id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The partner's Beacon base URL, the one its <c>/info</c> and <c>/map</c> hang below (e.g. <c>https://beacon.example.se/api</c>).</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The most one query to this partner may take, retries included; the network answer never waits longer for it.</summary>
    public double? TimeoutSeconds { get; set; }

    public PartnerAuthenticationOptions Authentication { get; set; } = new();

    /// <summary>
    /// The partner may receive callers' passports. Required, together with <c>Authentication:Mode = Passport</c>, before
    /// a caller's token ever leaves this node: two keys, so that neither alone sends a passport anywhere.
    /// </summary>
    public bool TrustedForPassports { get; set; }
}

/// <summary>Options of section <c>Federation</c>: the partners and how long to wait for them.</summary>
public sealed class FederationOptions
{
    public const string Section = "Federation";

    public List<PartnerOptions> Partners { get; set; } = [];

    /// <summary>A partner's timeout when it names none.</summary>
    public double DefaultTimeoutSeconds { get; set; } = 5;

    /// <summary>How often partners' <c>/info</c>, <c>/map</c> and <c>/filtering_terms</c> are fetched again.</summary>
    public double MetadataRefreshMinutes { get; set; } = 60;

    /// <summary>How long /health trusts a partner's last known reachability before asking its <c>/info</c> again.</summary>
    public double HealthProbeSeconds { get; set; } = 30;

    /// <summary>The most of one partner answer read; a larger answer is reported as invalid and dropped.</summary>
    public int MaxAnswerKilobytes { get; set; } = 8192;

    /// <summary>The node's own Beacon id (set by the host from <c>Beacon:Id</c>): the network answer's <c>meta.beaconId</c> when the node's part is missing.</summary>
    public string LocalBeaconId { get; set; } = "genome-node";

    /// <summary>The node's Beacon API version (set by the host), for the network's own error responses.</summary>
    public string LocalApiVersion { get; set; } = "v2.1.1";

    public TimeSpan TimeoutOf(PartnerOptions partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return TimeSpan.FromSeconds(partner.TimeoutSeconds ?? DefaultTimeoutSeconds);
    }
}

/// <summary>Refuses, at start-up, partners that cannot be called as configured (every problem named by its key).</summary>
public sealed partial class FederationOptionsValidator : IValidateOptions<FederationOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.DefaultTimeoutSeconds is <= 0 or > 120)
        {
            problems.Add($"{FederationOptions.Section}:DefaultTimeoutSeconds must be above 0 and at most 120");
        }

        if (options.MetadataRefreshMinutes <= 0)
        {
            problems.Add($"{FederationOptions.Section}:MetadataRefreshMinutes must be above 0");
        }

        if (options.HealthProbeSeconds <= 0)
        {
            problems.Add($"{FederationOptions.Section}:HealthProbeSeconds must be above 0");
        }

        if (options.MaxAnswerKilobytes <= 0)
        {
            problems.Add($"{FederationOptions.Section}:MaxAnswerKilobytes must be above 0");
        }

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Partners.Count; i++)
        {
            var partner = options.Partners[i];
            var key = $"{FederationOptions.Section}:Partners:{i}";
            if (string.IsNullOrEmpty(partner.Id) || !IdPattern().IsMatch(partner.Id))
            {
                problems.Add($"{key}:Id must be 1-64 letters, digits, '.', '_' or '-'");
            }
            else if (!ids.Add(partner.Id))
            {
                problems.Add($"{key}:Id '{partner.Id}' names two partners");
            }

            if (!Uri.TryCreate(partner.BaseUrl, UriKind.Absolute, out var baseUrl)
                || (baseUrl.Scheme != Uri.UriSchemeHttps && !(baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback))
                || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment) || !string.IsNullOrEmpty(baseUrl.UserInfo))
            {
                problems.Add($"{key}:BaseUrl must be an https URL without query or fragment (http only on loopback)");
            }

            if (partner.TimeoutSeconds is { } timeout && timeout is <= 0 or > 120)
            {
                problems.Add($"{key}:TimeoutSeconds must be above 0 and at most 120");
            }

            var auth = partner.Authentication;
            switch (auth.Mode)
            {
                case PartnerAuthenticationMode.ClientCredentials:
                    if (!Uri.TryCreate(auth.TokenUrl, UriKind.Absolute, out var tokenUrl)
                        || (tokenUrl.Scheme != Uri.UriSchemeHttps && !(tokenUrl.Scheme == Uri.UriSchemeHttp && tokenUrl.IsLoopback)))
                    {
                        problems.Add($"{key}:Authentication:TokenUrl must be an https URL (http only on loopback)");
                    }

                    if (string.IsNullOrEmpty(auth.ClientId) || string.IsNullOrEmpty(auth.ClientSecret))
                    {
                        problems.Add($"{key}:Authentication:ClientId and ClientSecret are required for client credentials");
                    }

                    break;
                case PartnerAuthenticationMode.Passport when !partner.TrustedForPassports:
                    problems.Add($"{key}:Authentication:Mode Passport forwards callers' passports: set {key}:TrustedForPassports to true as well, or choose another mode");
                    break;
            }

            if (partner.TrustedForPassports && auth.Mode != PartnerAuthenticationMode.Passport)
            {
                problems.Add($"{key}:TrustedForPassports is only meaningful with Authentication:Mode Passport");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}
