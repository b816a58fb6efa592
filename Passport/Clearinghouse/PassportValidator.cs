using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Tokens;
using GenomeNode.Passport.Visas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Passport.Clearinghouse;

/// <summary>
/// Validates a GA4GH Passport JWT and its visas in named steps (<see cref="ValidationStep"/>), each logging which step
/// failed and why. A failing passport is refused whole; a failing visa is left out and the rest of the passport kept.
/// </summary>
public sealed partial class PassportValidator(
    JwksCache jwks, IOptionsMonitor<PassportOptions> options, TimeProvider time, ILogger<PassportValidator> logger, PassportMetrics metrics,
    IServiceProvider services)
{
    // The public halves of the node's own keys as verifiers, built once per key the ring publishes.
    private readonly ConditionalWeakTable<JsonWebKey, SigningKey?> ownVerifiers = [];

    public const string PassportMediaType = "vnd.ga4gh.passport+jwt";
    public const string PassportClaim = "ga4gh_passport_v1";
    public const string VisaClaim = "ga4gh_visa_v1";

    /// <summary>A short, non-reversible name for a token in log lines: the first 12 hex digits of its SHA-256.</summary>
    public static string Fingerprint(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    public Task<PassportValidation> ValidateAsync(string token, CancellationToken cancellationToken) =>
        ValidateAsync(token, null, cancellationToken);

    /// <param name="token">the passport JWT</param>
    /// <param name="self">this node as an issuer when its own passports and visas are trusted (<see cref="PassportOptions.TrustOwnIssuer"/>), else null</param>
    /// <param name="cancellationToken">the request's</param>
    public async Task<PassportValidation> ValidateAsync(string token, NodeIssuer? self, CancellationToken cancellationToken)
    {
        var result = await ValidatePassportAsync(token, self, cancellationToken);
        if (result.Rejection is { } rejection)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var fingerprint = Fingerprint(token);
                Log.PassportRejected(logger, rejection.Step, rejection.Reason, fingerprint);
            }

            metrics.Rejected(rejection.Step);
        }
        else
        {
            metrics.Accepted();
        }

        return result;
    }

    private async Task<PassportValidation> ValidatePassportAsync(string token, NodeIssuer? self, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (CheckSize(token, settings) is { } tooLarge)
        {
            return new(null, tooLarge);
        }

        if (!SignedToken.TryDecode(token, out var passport, out var decodeError))
        {
            return PassportValidation.Rejected(ValidationStep.Decode, $"the passport: {decodeError}");
        }

        if ((CheckAlgorithm(passport!) ?? CheckKeyId(passport!) ?? CheckPassportType(passport!)) is { } headerProblem)
        {
            return new(null, headerProblem);
        }

        if ((FindBroker(passport!, settings) ?? OwnBroker(passport!, self)) is not { } broker)
        {
            return PassportValidation.Rejected(ValidationStep.TrustedIssuer,
                $"the passport's issuer '{Shorten(passport!.Issuer)}' is not a trusted broker");
        }

        if (await CheckSignatureAsync(passport!, broker.JwksUri, self, cancellationToken) is { } signatureProblem)
        {
            return new(null, signatureProblem);
        }

        var now = time.GetUtcNow();
        if ((CheckLifetime(passport!, now, settings.ClockSkew, "the passport") ?? CheckAudience(passport!, settings, broker, "the passport")) is { } claimProblem)
        {
            return new(null, claimProblem);
        }

        if (ReadVisaTokens(passport!, settings, out var visaTokens) is { } listProblem)
        {
            return new(null, listProblem);
        }

        passport!.TryGetSeconds("exp", out var expires);
        var validated = await ValidateVisasAsync(broker.Issuer, passport.Subject!, DateTimeOffset.FromUnixTimeSeconds(expires), visaTokens, self, cancellationToken);
        if (validated.Ignored.Count > 0 && logger.IsEnabled(LogLevel.Information))
        {
            var fingerprint = Fingerprint(token);
            foreach (var ignored in validated.Ignored)
            {
                Log.VisaIgnored(logger, ignored.Index, ignored.Rejection.Step, ignored.Rejection.Reason, fingerprint);
            }
        }

        return PassportValidation.Accepted(validated);
    }

    /// <summary>
    /// Validates the visas of a passport of (<paramref name="issuer"/>, <paramref name="subject"/>): each on its own,
    /// then their subjects against the passport's (directly or through LinkedIdentities visas).
    /// </summary>
    public Task<ValidatedPassport> ValidateVisasAsync(
        string issuer, string subject, DateTimeOffset expiresAt, IReadOnlyList<string> visaTokens, CancellationToken cancellationToken) =>
        ValidateVisasAsync(issuer, subject, expiresAt, visaTokens, null, cancellationToken);

    /// <inheritdoc cref="ValidateVisasAsync(string, string, DateTimeOffset, IReadOnlyList{string}, CancellationToken)"/>
    /// <param name="self">this node as an issuer when its own visas are trusted, else null</param>
    public async Task<ValidatedPassport> ValidateVisasAsync(
        string issuer, string subject, DateTimeOffset expiresAt, IReadOnlyList<string> visaTokens, NodeIssuer? self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visaTokens);
        var outcomes = await Task.WhenAll(visaTokens.Select((visa, index) => ValidateVisaAsync(visa, self, cancellationToken)));
        var accepted = new List<(int Index, AcceptedVisa Visa)>();
        var ignored = new List<IgnoredVisa>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Visa is { } visa)
            {
                accepted.Add((i, visa));
            }
            else
            {
                ignored.Add(new IgnoredVisa(i, outcomes[i].Rejection!));
            }
        }

        // Visas of several identities combine only when trusted issuers linked them (Passport 1.2, General
        // Requirements 8.4): the same sub at another issuer is another identity.
        var subjectSharing = options.CurrentValue.SubjectSharingIssuers();
        var linked = LinkedIdentities.Closure(subject, issuer, accepted.Select(a => a.Visa), subjectSharing);
        var kept = new List<AcceptedVisa>();
        foreach (var (index, visa) in accepted)
        {
            if (linked.Contains(LinkedIdentities.Identity(visa.Subject, visa.Issuer, subjectSharing)))
            {
                kept.Add(visa);
            }
            else
            {
                ignored.Add(new IgnoredVisa(index, new Rejection(ValidationStep.VisaSubject, string.Equals(visa.Subject, subject, StringComparison.Ordinal)
                    ? $"its identity ('{Shorten(visa.Subject)}' at {Shorten(visa.Issuer)}) has the passport's sub but another issuer than the passport's ({Shorten(issuer)}), "
                        + "and no LinkedIdentities visa links them (an issuer that uses the broker's subject identifiers needs Passport:TrustedVisaIssuers:N:SubjectsOfBroker)"
                    : $"its subject '{Shorten(visa.Subject)}' at {Shorten(visa.Issuer)} is neither the passport's subject nor linked to it by a LinkedIdentities visa")));
            }
        }

        ignored.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new ValidatedPassport(issuer, subject, expiresAt, kept, ignored);
    }

    /// <summary>Checks one visa JWT on its own: signature by an allow-listed (issuer, jku), lifetime, visa object.</summary>
    public Task<(AcceptedVisa? Visa, Rejection? Rejection)> ValidateVisaAsync(string token, CancellationToken cancellationToken) =>
        ValidateVisaAsync(token, null, cancellationToken);

    /// <summary>
    /// Checks one visa JWT on its own; with <paramref name="self"/>, the node's own visas (its issuer and REMS jku) are
    /// trusted too, verified with its own published keys.
    /// </summary>
    public async Task<(AcceptedVisa? Visa, Rejection? Rejection)> ValidateVisaAsync(string token, NodeIssuer? self, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!SignedToken.TryDecode(token, out var visa, out var decodeError))
        {
            return (null, new Rejection(ValidationStep.Decode, $"the visa: {decodeError}"));
        }

        if ((CheckAlgorithm(visa!) ?? CheckKeyId(visa!)) is { } headerProblem)
        {
            return (null, headerProblem);
        }

        // The (iss, jku) pair must be allow-listed before the jku is fetched: an untrusted jku is never requested.
        var issuer = visa!.Issuer;
        var jku = visa.JwkSetUrl;
        if (issuer is null)
        {
            return (null, new Rejection(ValidationStep.TrustedIssuer, "the visa has no iss"));
        }

        if (jku is null)
        {
            return (null, new Rejection(ValidationStep.TrustedIssuer,
                "the visa has no jku header (visa access tokens, which need polling the issuer, are not accepted)"));
        }

        if (!settings.TrustedVisaIssuers.Any(t => string.Equals(t.Issuer, issuer, StringComparison.Ordinal) && string.Equals(t.Jku, jku, StringComparison.Ordinal))
            && !(self is not null && string.Equals(self.Issuer, issuer, StringComparison.Ordinal) && string.Equals(self.VisaJwksUrl, jku, StringComparison.Ordinal)))
        {
            return (null, new Rejection(ValidationStep.TrustedIssuer,
                $"issuer '{Shorten(issuer)}' with jku '{Shorten(jku)}' is not a trusted visa issuer (its keys were not fetched)"));
        }

        if (await CheckSignatureAsync(visa, jku, self, cancellationToken) is { } signatureProblem)
        {
            return (null, signatureProblem);
        }

        var now = time.GetUtcNow();
        if ((CheckLifetime(visa, now, settings.ClockSkew, "the visa") ?? CheckAudience(visa, settings, null, "the visa")) is { } claimProblem)
        {
            return (null, claimProblem);
        }

        if (ReadVisaObject(visa, now, settings.ClockSkew, out var visaObject) is { } objectProblem)
        {
            return (null, objectProblem);
        }

        visa.TryGetSeconds("iat", out var issued);
        visa.TryGetSeconds("exp", out var expires);
        return (new AcceptedVisa(issuer, visa.Subject!, DateTimeOffset.FromUnixTimeSeconds(issued), DateTimeOffset.FromUnixTimeSeconds(expires), visaObject!), null);
    }

    internal static Rejection? CheckSize(string token, PassportOptions settings) =>
        Encoding.UTF8.GetByteCount(token) > settings.MaxTokenBytes
            ? new Rejection(ValidationStep.TokenSize, $"the token is larger than {settings.MaxTokenBytes} bytes (Passport:MaxTokenBytes)")
            : null;

    internal static Rejection? CheckAlgorithm(SignedToken token) => token.Algorithm switch
    {
        SigningKey.RS256 or SigningKey.ES256 => null,
        null => new Rejection(ValidationStep.Algorithm, "the token's header names no alg"),
        var alg when alg.Equals("none", StringComparison.OrdinalIgnoreCase) =>
            new Rejection(ValidationStep.Algorithm, "alg 'none' is refused: tokens must be signed (RS256 or ES256)"),
        var alg when alg.StartsWith("HS", StringComparison.OrdinalIgnoreCase) =>
            new Rejection(ValidationStep.Algorithm, $"alg '{Shorten(alg)}' (a shared-secret HMAC) is refused: tokens must be signed with RS256 or ES256"),
        var alg => new Rejection(ValidationStep.Algorithm, $"alg '{Shorten(alg)}' is not RS256 or ES256"),
    };

    internal static Rejection? CheckKeyId(SignedToken token) =>
        string.IsNullOrEmpty(token.KeyId) ? new Rejection(ValidationStep.KeyId, "the token's header names no kid") : null;

    private static Rejection? CheckPassportType(SignedToken token) => token.MediaType switch
    {
        null or PassportMediaType or "JWT" => null,
        var other => new Rejection(ValidationStep.Decode, $"typ '{Shorten(other)}' is not a passport ({PassportMediaType})"),
    };

    private static TrustedBrokerOptions? FindBroker(SignedToken token, PassportOptions settings) =>
        token.Issuer is { } issuer ? settings.TrustedBrokers.FirstOrDefault(b => string.Equals(b.Issuer, issuer, StringComparison.Ordinal)) : null;

    /// <summary>The node's own broker when <paramref name="self"/> is trusted and the token names it as its issuer.</summary>
    internal static TrustedBrokerOptions? OwnBroker(SignedToken token, NodeIssuer? self) =>
        self is not null && string.Equals(token.Issuer, self.Issuer, StringComparison.Ordinal)
            ? new TrustedBrokerOptions { Issuer = self.Issuer, JwksUri = self.BrokerJwksUrl }
            : null;

    /// <summary>
    /// Resolves the token's kid at <paramref name="jwksUrl"/> (an allow-listed URL) and verifies the signature; the
    /// node's own JWKS URLs (of <paramref name="self"/>) are answered in-process from its key ring, never fetched.
    /// </summary>
    internal async Task<Rejection?> CheckSignatureAsync(SignedToken token, string jwksUrl, NodeIssuer? self, CancellationToken cancellationToken)
    {
        if (token.Signature.Length == 0)
        {
            return new Rejection(ValidationStep.Signature, "the token has no signature");
        }

        var own = self is not null && (string.Equals(jwksUrl, self.VisaJwksUrl, StringComparison.Ordinal) || string.Equals(jwksUrl, self.BrokerJwksUrl, StringComparison.Ordinal));
        var lookup = own ? OwnKey(token.KeyId!, jwksUrl) : await jwks.FindAsync(jwksUrl, token.KeyId!, cancellationToken);
        if (lookup.Key is not { } key)
        {
            // An unreachable JWKS, or a key the issuer may publish at its next refresh: not the token's fault. The
            // node's own keys are known in-process: a kid it does not publish is the token's.
            return new Rejection(ValidationStep.SigningKey, lookup.Problem!) { Retryable = !own };
        }

        return key.Verifies(token.Algorithm!, token.SigningInput, token.Signature)
            ? null
            : new Rejection(ValidationStep.Signature, $"the signature does not verify with key '{Shorten(key.KeyId)}' ({key.Algorithm}) of {jwksUrl}");
    }

    /// <summary>The node's own published key <paramref name="keyId"/>, from its key ring.</summary>
    private KeyLookup OwnKey(string keyId, string jwksUrl)
    {
        var published = services.GetRequiredService<INodeSigningKeys>().Published;
        var key = published.FirstOrDefault(k => string.Equals(k.Kid, keyId, StringComparison.Ordinal));
        var verifier = key is null ? null : ownVerifiers.GetValue(key, SigningKey.FromPublished);
        return verifier is null
            ? new KeyLookup(null, $"this node publishes no usable key with kid '{Shorten(keyId)}' at {jwksUrl}")
            : new KeyLookup(verifier, null);
    }

    /// <summary><c>exp</c> and <c>iat</c> are required, <c>nbf</c> optional; each is compared with the clock skew allowed.</summary>
    internal static Rejection? CheckLifetime(SignedToken token, DateTimeOffset now, TimeSpan skew, string what)
    {
        if (!token.TryGetSeconds("exp", out var exp))
        {
            return new Rejection(ValidationStep.Lifetime, $"{what} has no valid exp");
        }

        if (!token.TryGetSeconds("iat", out var iat))
        {
            return new Rejection(ValidationStep.Lifetime, $"{what} has no valid iat");
        }

        if (DateTimeOffset.FromUnixTimeSeconds(exp) + skew <= now)
        {
            return new Rejection(ValidationStep.Lifetime, $"{what} expired at {Time(exp)}");
        }

        if (token.Has("nbf"))
        {
            if (!token.TryGetSeconds("nbf", out var nbf))
            {
                return new Rejection(ValidationStep.Lifetime, $"{what} has an nbf that is not a NumericDate");
            }

            if (DateTimeOffset.FromUnixTimeSeconds(nbf) - skew > now)
            {
                return new Rejection(ValidationStep.Lifetime, $"{what} is not valid before {Time(nbf)}") { Retryable = true };
            }
        }

        if (DateTimeOffset.FromUnixTimeSeconds(iat) - skew > now)
        {
            return new Rejection(ValidationStep.Lifetime, $"{what} was issued in the future ({Time(iat)})") { Retryable = true };
        }

        return token.Subject is { Length: > 0 } ? null : new Rejection(ValidationStep.PassportClaims, $"{what} has no sub");
    }

    /// <summary>
    /// When <see cref="PassportOptions.Audiences"/> is set, an <c>aud</c> the token has (a string or an array of strings,
    /// RFC 7519) must name one of them, or this node's client id at <paramref name="broker"/> (a passport it obtained by
    /// token exchange names the client that asked). A token without <c>aud</c> passes: the AAI profile makes it
    /// optional for passports and the Passport spec does not define it for visas.
    /// </summary>
    private static Rejection? CheckAudience(SignedToken token, PassportOptions settings, TrustedBrokerOptions? broker, string what)
    {
        if (settings.Audiences.Count == 0 || !token.Payload.TryGetProperty("aud", out var audience))
        {
            return null;
        }

        var named = audience.ValueKind switch
        {
            JsonValueKind.String => [audience.GetString()!],
            JsonValueKind.Array => audience.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList(),
            _ => new List<string>(),
        };
        bool ForThisNode(string aud) => settings.Audiences.Contains(aud, StringComparer.Ordinal)
            || (broker?.ClientId is { Length: > 0 } clientId && string.Equals(aud, clientId, StringComparison.Ordinal));
        return named.Any(ForThisNode)
            ? null
            : new Rejection(ValidationStep.Audience, $"{what}'s aud does not name this node (Passport:Audiences)");
    }

    private static Rejection? ReadVisaTokens(SignedToken passport, PassportOptions settings, out IReadOnlyList<string> visas)
    {
        visas = [];
        if (!passport.Payload.TryGetProperty(PassportClaim, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return new Rejection(ValidationStep.PassportClaims, $"the passport has no {PassportClaim} array");
        }

        if (list.GetArrayLength() > settings.MaxVisas)
        {
            return new Rejection(ValidationStep.PassportClaims,
                $"the passport holds {list.GetArrayLength()} visas, more than {settings.MaxVisas} (Passport:MaxVisas)");
        }

        var tokens = new List<string>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return new Rejection(ValidationStep.PassportClaims, $"{PassportClaim} must hold visa JWTs as strings");
            }

            tokens.Add(item.GetString()!);
        }

        visas = tokens;
        return null;
    }

    /// <summary>Reads <c>ga4gh_visa_v1</c>: its required fields, a custom type (ignored), <c>asserted</c> not in the future.</summary>
    internal static Rejection? ReadVisaObject(SignedToken visa, DateTimeOffset now, TimeSpan skew, out VisaObject? visaObject)
    {
        visaObject = null;
        if (!visa.Payload.TryGetProperty(VisaClaim, out var claim) || claim.ValueKind != JsonValueKind.Object)
        {
            return new Rejection(ValidationStep.VisaObject, $"the visa has no {VisaClaim} object");
        }

        string? Text(string name) => claim.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var type = Text("type");
        var value = Text("value");
        var source = Text("source");
        if (type is null || value is null || source is null)
        {
            return new Rejection(ValidationStep.VisaObject, "the visa object needs string type, value and source");
        }

        if (!SignedToken.TryGetSeconds(claim, "asserted", out var asserted))
        {
            return new Rejection(ValidationStep.VisaObject, "the visa object has no valid asserted time");
        }

        if (DateTimeOffset.FromUnixTimeSeconds(asserted) - skew > now)
        {
            return new Rejection(ValidationStep.VisaObject, $"the visa was asserted in the future ({Time(asserted)})");
        }

        if (!VisaTypes.Standard.Contains(type))
        {
            return new Rejection(ValidationStep.VisaObject, $"custom visa type '{Shorten(type)}' is not used by this node");
        }

        string? by = null;
        if (claim.TryGetProperty("by", out var byValue))
        {
            by = byValue.ValueKind == JsonValueKind.String ? byValue.GetString() : null;
            if (by is null)
            {
                return new Rejection(ValidationStep.VisaObject, "the visa object's by must be a string");
            }
        }

        VisaConditions? conditions = null;
        if (claim.TryGetProperty("conditions", out var conditionsValue) && !VisaConditions.TryParse(conditionsValue, out conditions, out var conditionsError))
        {
            return new Rejection(ValidationStep.VisaObject, $"the visa's conditions are malformed: {conditionsError}");
        }

        visaObject = new VisaObject(type, asserted, value, source, by, conditions);
        return null;
    }

    private static string Time(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A value from a token as a reason may quote it: at most 80 characters and "...", printable.</summary>
    internal static string Shorten(string? text) => text is null ? "" : GenomeNode.Shared.UnicodeText.Shorten(text, 83);

    private static partial class Log
    {
        [LoggerMessage(EventId = 7110, Level = LogLevel.Information, Message = "Passport {Fingerprint} rejected at step {Step}: {Reason}")]
        public static partial void PassportRejected(ILogger logger, ValidationStep step, string reason, string fingerprint);

        [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Visa {Index} of passport {Fingerprint} ignored at step {Step}: {Reason}")]
        public static partial void VisaIgnored(ILogger logger, int index, ValidationStep step, string reason, string fingerprint);
    }
}

/// <summary>Counters of the clearinghouse, in meter <c>GenomeNode.Passport</c>.</summary>
public sealed class PassportMetrics
{
    public const string MeterName = "GenomeNode.Passport";

    private readonly Counter<long> validations;
    private readonly Counter<long> cacheHits;
    private readonly Counter<long> refusalHits;
    private readonly Counter<long> brokerCallsRefused;

    public PassportMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        validations = meter.CreateCounter<long>("genome_node.passport.validations", description: "Passports validated, by result and failed step");
        cacheHits = meter.CreateCounter<long>("genome_node.passport.cache_hits", description: "Bearer tokens answered from the validation cache");
        refusalHits = meter.CreateCounter<long>("genome_node.passport.refusal_cache_hits", description: "Bearer tokens refused again from the refusal cache");
        brokerCallsRefused = meter.CreateCounter<long>("genome_node.passport.broker_calls_refused", description: "Broker calls not made, by the limit reached");
    }

    public void Accepted() => validations.Add(1, new KeyValuePair<string, object?>("result", "accepted"));

    public void Rejected(ValidationStep step) =>
        validations.Add(1, new KeyValuePair<string, object?>("result", "rejected"), new KeyValuePair<string, object?>("step", Rejection.StepName(step)));

    public void CacheHit() => cacheHits.Add(1);

    public void RefusalCacheHit() => refusalHits.Add(1);

    /// <param name="limit"><c>client</c> or <c>in_flight</c></param>
    public void BrokerCallRefused(string limit) => brokerCallsRefused.Add(1, new KeyValuePair<string, object?>("limit", limit));
}
