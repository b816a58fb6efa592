using System.Security.Cryptography;
using System.Text;
using GenomeNode.Passport.Tokens;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Clearinghouse;

/// <summary>Who is calling: anonymous (no token), a validated passport, or a refused token with the reason.</summary>
public sealed record Caller(ValidatedPassport? Passport, Rejection? Rejection)
{
    public static Caller Anonymous { get; } = new(null, null);

    public bool IsAnonymous => Passport is null && Rejection is null;
}

/// <summary>
/// Reads the caller from an <c>Authorization</c> header: no header is anonymous; <c>Bearer</c> carries a passport JWT
/// or a trusted broker's access token. Accepted tokens are remembered by their SHA-256 (never the token itself) until
/// the passport expires or <see cref="PassportOptions.ValidationCacheSeconds"/> pass, whichever is first.
/// </summary>
public sealed partial class PassportAuthenticator : IDisposable
{
    private const int MaxCachedPassports = 20_000;

    private readonly PassportValidator validator;
    private readonly BrokerPassports brokers;
    private readonly IOptionsMonitor<PassportOptions> options;
    private readonly TimeProvider time;
    private readonly PassportMetrics metrics;
    private readonly ILogger<PassportAuthenticator> logger;
    private readonly MemoryCache accepted;

    public PassportAuthenticator(
        PassportValidator validator, BrokerPassports brokers, IOptionsMonitor<PassportOptions> options, TimeProvider time,
        PassportMetrics metrics, ILogger<PassportAuthenticator> logger)
    {
        this.validator = validator;
        this.brokers = brokers;
        this.options = options;
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
        accepted = new MemoryCache(new MemoryCacheOptions { SizeLimit = MaxCachedPassports, Clock = new TimeProviderClock(time) });
    }

    public async Task<Caller> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return Caller.Anonymous;
        }

        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Refused(new Rejection(ValidationStep.Decode, "the Authorization header must carry a Bearer token"));
        }

        var token = authorization[scheme.Length..].Trim();
        if (token.Length == 0)
        {
            return Refused(new Rejection(ValidationStep.Decode, "the Bearer token is empty"));
        }

        var settings = options.CurrentValue;
        if (PassportValidator.CheckSize(token, settings) is { } tooLarge)
        {
            return Refused(tooLarge);
        }

        var key = CacheKey(token);
        if (accepted.TryGetValue(key, out ValidatedPassport? known) && known!.ExpiresAt + settings.ClockSkew > time.GetUtcNow())
        {
            metrics.CacheHit();
            return new Caller(known, null);
        }

        PassportValidation validation;
        if (!SignedToken.TryDecode(token, out var decoded, out var decodeError) && token.Count(c => c == '.') == 2)
        {
            // Shaped like a JWS but malformed: refused as it is, not handed to a broker as if it were an opaque token.
            return Refused(new Rejection(ValidationStep.Decode, $"the bearer token looks like a JWT but {decodeError}"));
        }

        if (decoded is not null && decoded.Has(PassportValidator.PassportClaim))
        {
            validation = await validator.ValidateAsync(token, cancellationToken);
        }
        else
        {
            validation = await brokers.FromAccessTokenAsync(token, decoded, cancellationToken);
            if (validation.Rejection is { } brokerRejection && logger.IsEnabled(LogLevel.Information))
            {
                var fingerprint = PassportValidator.Fingerprint(token);
                Log.AccessTokenRejected(logger, brokerRejection.Step, brokerRejection.Reason, fingerprint);
            }
        }

        if (validation.Passport is not { } passport)
        {
            return new Caller(null, validation.Rejection);
        }

        var until = time.GetUtcNow().AddSeconds(settings.ValidationCacheSeconds);
        accepted.Set(key, passport, new MemoryCacheEntryOptions
        {
            AbsoluteExpiration = passport.ExpiresAt < until ? passport.ExpiresAt : until,
            Size = 1,
        });
        return new Caller(passport, null);
    }

    private Caller Refused(Rejection rejection)
    {
        Log.AuthorizationRefused(logger, rejection.Step, rejection.Reason);
        return new Caller(null, rejection);
    }

    private static string CacheKey(string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Dispose() => accepted.Dispose();

    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7120, Level = LogLevel.Information, Message = "Access token {Fingerprint} rejected at step {Step}: {Reason}")]
        public static partial void AccessTokenRejected(ILogger logger, ValidationStep step, string reason, string fingerprint);

        [LoggerMessage(EventId = 7121, Level = LogLevel.Information, Message = "Authorization header refused at step {Step}: {Reason}")]
        public static partial void AuthorizationRefused(ILogger logger, ValidationStep step, string reason);
    }
}
