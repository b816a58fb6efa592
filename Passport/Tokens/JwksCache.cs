using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using GenomeNode.Passport.Clearinghouse;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Tokens;

/// <summary>The outcome of looking up a key: the key, or why there is none.</summary>
public readonly record struct KeyLookup(SigningKey? Key, string? Problem);

/// <summary>
/// JWKS documents by URL, fetched on first use, kept for <see cref="PassportOptions.JwksLifetimeSeconds"/> and fetched
/// again early (at most once per <see cref="PassportOptions.JwksRefreshIntervalSeconds"/>) when a token names a key
/// the cached set lacks, as after a key rotation. Callers pass only allow-listed URLs; this class fetches what it is
/// given.
/// </summary>
public sealed partial class JwksCache(
    IHttpClientFactory httpClients, IOptionsMonitor<PassportOptions> options, TimeProvider time, ILogger<JwksCache> logger)
{
    /// <summary>The named HttpClient JWKS are fetched with (no redirects: a redirect could leave the allow-list).</summary>
    public const string HttpClientName = "passport-jwks";

    private const int MaxDocumentBytes = 512 * 1024;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async Task<KeyLookup> FindAsync(string jwksUrl, string keyId, CancellationToken cancellationToken)
    {
        var entry = entries.GetOrAdd(jwksUrl, static _ => new Entry());
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        var keys = entry.Keys;
        if (keys is null || now - entry.FetchedAt > TimeSpan.FromSeconds(settings.JwksLifetimeSeconds))
        {
            keys = await RefreshAsync(entry, jwksUrl, now, force: false, cancellationToken);
        }

        if (keys is not null && keys.TryGetValue(keyId, out var key))
        {
            return new KeyLookup(key, null);
        }

        if (now - entry.AttemptedAt >= TimeSpan.FromSeconds(settings.JwksRefreshIntervalSeconds))
        {
            keys = await RefreshAsync(entry, jwksUrl, now, force: true, cancellationToken);
            if (keys is not null && keys.TryGetValue(keyId, out key))
            {
                return new KeyLookup(key, null);
            }
        }

        return keys is null
            ? new KeyLookup(null, entry.LastProblem ?? $"the JWKS at {jwksUrl} could not be fetched")
            : new KeyLookup(null, $"the JWKS at {jwksUrl} has no usable key with kid '{Clearinghouse.PassportValidator.Shorten(keyId)}'");
    }

    private async Task<IReadOnlyDictionary<string, SigningKey>?> RefreshAsync(
        Entry entry, string jwksUrl, DateTimeOffset now, bool force, CancellationToken cancellationToken)
    {
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have fetched while this one waited; and whatever happened, one URL is fetched at
            // most once per refresh interval, so a failing issuer or a stream of unknown kids cannot make this node
            // hammer it.
            var settings = options.CurrentValue;
            var fresh = entry.Keys is not null && entry.FetchedAt >= now - TimeSpan.FromSeconds(settings.JwksLifetimeSeconds);
            if ((fresh && !force) || now - entry.AttemptedAt < TimeSpan.FromSeconds(settings.JwksRefreshIntervalSeconds))
            {
                return entry.Keys;
            }

            entry.AttemptedAt = time.GetUtcNow();
            try
            {
                var keys = await FetchAsync(jwksUrl, cancellationToken);
                entry.Keys = keys;
                entry.FetchedAt = entry.AttemptedAt;
                entry.LastProblem = null;
                Log.JwksFetched(logger, jwksUrl, keys.Count);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                entry.LastProblem = $"the JWKS at {jwksUrl} could not be fetched: {ex.Message}";
                Log.JwksFetchFailed(logger, jwksUrl, ex.Message);
                // Keys fetched earlier stay in use: an issuer's outage should not lock everyone out at once.
            }

            return entry.Keys;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, SigningKey>> FetchAsync(string jwksUrl, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, jwksUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
        }

        var bytes = await LimitedContent.ReadAsync(response.Content, MaxDocumentBytes, "the document", cancellationToken);
        using var document = JsonDocument.Parse(bytes);
        var skipped = new List<string>();
        var keys = SigningKey.ReadSet(document.RootElement, skipped);
        foreach (var reason in skipped)
        {
            Log.JwksKeySkipped(logger, jwksUrl, reason);
        }

        var byId = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            byId.TryAdd(key.KeyId, key); // a repeated kid keeps its first key
        }

        return byId;
    }


    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public volatile IReadOnlyDictionary<string, SigningKey>? Keys;

        public DateTimeOffset FetchedAt;

        public DateTimeOffset AttemptedAt = DateTimeOffset.MinValue;

        public string? LastProblem;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Fetched JWKS {Url}: {Count} signing keys")]
        public static partial void JwksFetched(ILogger logger, string url, int count);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Could not fetch JWKS {Url}: {Problem}")]
        public static partial void JwksFetchFailed(ILogger logger, string url, string problem);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "JWKS {Url}: skipped {Reason}")]
        public static partial void JwksKeySkipped(ILogger logger, string url, string reason);
    }
}
