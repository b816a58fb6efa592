using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Tokens;
using GenomeNode.Passport.Web;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
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
/// or a trusted broker's access token. Tokens are remembered by their SHA-256 (never the token itself): accepted ones
/// until the passport expires or <see cref="PassportOptions.ValidationCacheSeconds"/> pass, whichever is first; refused
/// ones for <see cref="PassportOptions.RefusalCacheSeconds"/> when the refusal is the token's fault, so that junk is
/// not sent to a broker again. Concurrent requests with one access token share one broker call.
/// </summary>
public sealed partial class PassportAuthenticator : IDisposable
{
    private const int MaxCachedPassports = 20_000;
    private const int MaxRememberedRefusals = 20_000;

    private readonly PassportValidator validator;
    private readonly BrokerPassports brokers;
    private readonly IOptionsMonitor<PassportOptions> options;
    private readonly TimeProvider time;
    private readonly PassportMetrics metrics;
    private readonly ILogger<PassportAuthenticator> logger;
    private readonly PublicBaseUrl publicBaseUrl;
    private readonly IServiceProvider services;
    private readonly MemoryCache accepted;
    private readonly MemoryCache refused;
    private readonly ConcurrentDictionary<string, Task<PassportValidation>> brokerCalls = new(StringComparer.Ordinal);

    /// <param name="validator">checks passports and visas</param>
    /// <param name="brokers">asks trusted brokers about access tokens</param>
    /// <param name="options">whom to trust</param>
    /// <param name="time">the clock</param>
    /// <param name="metrics">counters</param>
    /// <param name="logger">log</param>
    /// <param name="publicBaseUrl">the node's configured public URL, its issuer's base when set</param>
    /// <param name="services">for this node's own broker (<see cref="IOwnBroker"/>), when one is registered</param>
    public PassportAuthenticator(
        PassportValidator validator, BrokerPassports brokers, IOptionsMonitor<PassportOptions> options, TimeProvider time,
        PassportMetrics metrics, ILogger<PassportAuthenticator> logger, PublicBaseUrl publicBaseUrl, IServiceProvider services)
    {
        this.publicBaseUrl = publicBaseUrl;
        this.services = services;
        this.validator = validator;
        this.brokers = brokers;
        this.options = options;
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
        accepted = new MemoryCache(new MemoryCacheOptions { SizeLimit = MaxCachedPassports, Clock = new TimeProviderClock(time) });
        refused = new MemoryCache(new MemoryCacheOptions { SizeLimit = MaxRememberedRefusals, Clock = new TimeProviderClock(time) });
    }

    /// <param name="authorization">the request's <c>Authorization</c> header</param>
    /// <param name="client">who sent it (an address, see <see cref="Access.RequestAccess.ClientKey"/>; null when unknown):
    /// broker calls are bounded per client</param>
    /// <param name="cancellationToken">the request's</param>
    public Task<Caller> AuthenticateAsync(string? authorization, string? client, CancellationToken cancellationToken) =>
        AuthenticateAsync(authorization, client, null, cancellationToken);

    /// <param name="authorization">the request's <c>Authorization</c> header</param>
    /// <param name="client">who sent it (see the other overload)</param>
    /// <param name="requestBaseUrl">the base URL of the request being served (<see cref="PublicBaseUrl.For"/>): the
    /// node's issuer is its configured public URL, else this, plus "/"; null when there is no request</param>
    /// <param name="cancellationToken">the request's</param>
    public async Task<Caller> AuthenticateAsync(string? authorization, string? client, string? requestBaseUrl, CancellationToken cancellationToken)
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

        // The node's own issuer, when trusted; it is part of the cache key, since it may follow the request's host.
        var self = settings.TrustOwnIssuer && (publicBaseUrl.Configured ?? requestBaseUrl?.TrimEnd('/')) is { Length: > 0 } nodeBase
            ? new NodeIssuer(nodeBase, settings.RemsPath)
            : null;
        var key = CacheKey(self is null ? token : $"{self.Issuer} {token}");
        if (accepted.TryGetValue(key, out ValidatedPassport? known) && known!.ExpiresAt + settings.ClockSkew > time.GetUtcNow())
        {
            metrics.CacheHit();
            return new Caller(known, null);
        }

        if (refused.TryGetValue(key, out Rejection? refusal))
        {
            metrics.RefusalCacheHit();
            return new Caller(null, refusal);
        }

        if (!SignedToken.TryDecode(token, out var decoded, out var decodeError) && token.Count(c => c == '.') == 2)
        {
            // Shaped like a JWS but malformed: refused as it is, not handed to a broker as if it were an opaque token.
            return Refused(new Rejection(ValidationStep.Decode, $"the bearer token looks like a JWT but {decodeError}"));
        }

        var validation = decoded is not null && decoded.Has(PassportValidator.PassportClaim)
            ? Remember(key, await validator.ValidateAsync(token, self, cancellationToken), settings)
            : await FromOwnBrokerAsync(key, token, decoded, self, settings, cancellationToken)
                ?? await FromBrokerOnceAsync(key, token, decoded, client, self, settings, cancellationToken);
        return new Caller(validation.Passport, validation.Rejection);
    }

    /// <summary>
    /// Asks this node's own broker, in-process, for the passport of an access token it issued: null when there is no
    /// own broker, it is not trusted, or the token is not one of its tokens (then the trusted brokers are asked).
    /// </summary>
    private async Task<PassportValidation?> FromOwnBrokerAsync(
        string key, string token, SignedToken? decoded, NodeIssuer? self, PassportOptions settings, CancellationToken cancellationToken)
    {
        if (self is null || services.GetService<IOwnBroker>() is not { } ownBroker
            || await ownBroker.PassportForAsync(token, cancellationToken) is not { } passport)
        {
            return null;
        }

        var validation = await validator.ValidateAsync(passport, self, cancellationToken);
        if (validation.Passport is { } valid)
        {
            if (!string.Equals(valid.Issuer, self.Issuer, StringComparison.Ordinal))
            {
                validation = PassportValidation.Rejected(ValidationStep.Broker, "this node's broker answered a passport of another issuer");
            }
            else if (decoded?.Subject is { } subject && !string.Equals(valid.Subject, subject, StringComparison.Ordinal))
            {
                validation = PassportValidation.Rejected(ValidationStep.Broker, "this node's broker answered a passport of another subject than the access token's");
            }
        }

        if (validation.Rejection is { } rejection && logger.IsEnabled(LogLevel.Information))
        {
            var fingerprint = PassportValidator.Fingerprint(token);
            Log.AccessTokenRejected(logger, rejection.Step, rejection.Reason, fingerprint);
        }

        return Remember(key, validation, settings);
    }

    /// <summary>
    /// Asks the broker about an access token, or joins the call already asking about the same token: a token sent many
    /// times at once still reaches the broker once. The call is not cancelled with one request, since others may wait on
    /// it (the broker client's timeout bounds it).
    /// </summary>
    private Task<PassportValidation> FromBrokerOnceAsync(
        string key, string token, SignedToken? decoded, string? client, NodeIssuer? self, PassportOptions settings, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (brokerCalls.TryGetValue(key, out var running))
            {
                return running.WaitAsync(cancellationToken);
            }

            var call = new TaskCompletionSource<PassportValidation>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (brokerCalls.TryAdd(key, call.Task))
            {
                _ = CallBrokerAsync(call, key, token, decoded, client, self, settings);
                return call.Task.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task CallBrokerAsync(
        TaskCompletionSource<PassportValidation> call, string key, string token, SignedToken? decoded, string? client, NodeIssuer? self, PassportOptions settings)
    {
        PassportValidation validation;
        try
        {
            validation = await brokers.FromAccessTokenAsync(token, decoded, client, self, CancellationToken.None);
            if (validation.Rejection is { } rejection && logger.IsEnabled(LogLevel.Information))
            {
                var fingerprint = PassportValidator.Fingerprint(token);
                Log.AccessTokenRejected(logger, rejection.Step, rejection.Reason, fingerprint);
            }

            Remember(key, validation, settings);
        }
        catch (Exception ex)
        {
            brokerCalls.TryRemove(new KeyValuePair<string, Task<PassportValidation>>(key, call.Task));
            call.SetException(ex);
            return;
        }

        // Cached, then no longer joinable, then answered: a request that has seen the answer cannot join this call
        // afterwards, and a later one finds the outcome in a cache (or, after an outage, asks afresh).
        brokerCalls.TryRemove(new KeyValuePair<string, Task<PassportValidation>>(key, call.Task));
        call.SetResult(validation);
    }

    /// <summary>Caches an accepted passport, or a refusal that is the token's fault; returns <paramref name="validation"/>.</summary>
    private PassportValidation Remember(string key, PassportValidation validation, PassportOptions settings)
    {
        var now = time.GetUtcNow();
        if (validation.Passport is { } passport)
        {
            var until = now.AddSeconds(settings.ValidationCacheSeconds);
            if (passport.Ignored.Any(i => i.Rejection.Retryable) && now.AddSeconds(settings.JwksRefreshIntervalSeconds) < until)
            {
                // A visa left out because its issuer's keys could not be fetched may count once they can be fetched
                // again: validate the passport afresh then instead of keeping it without the visa.
                until = now.AddSeconds(settings.JwksRefreshIntervalSeconds);
            }

            accepted.Set(key, passport, new MemoryCacheEntryOptions
            {
                AbsoluteExpiration = passport.ExpiresAt < until ? passport.ExpiresAt : until,
                Size = 1,
            });
        }
        else if (validation.Rejection is { Retryable: false } rejection)
        {
            refused.Set(key, rejection, new MemoryCacheEntryOptions { AbsoluteExpiration = now.AddSeconds(settings.RefusalCacheSeconds), Size = 1 });
        }

        return validation;
    }

    private Caller Refused(Rejection rejection)
    {
        Log.AuthorizationRefused(logger, rejection.Step, rejection.Reason);
        return new Caller(null, rejection);
    }

    private static string CacheKey(string token) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Dispose()
    {
        accepted.Dispose();
        refused.Dispose();
    }

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
