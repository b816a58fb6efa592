using System.Net.Http.Headers;
using System.Text.Json;
using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Tokens;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Clearinghouse;

/// <summary>
/// Turns a broker's access token into the caller's passport: by token exchange at the broker's token endpoint
/// (AAI 1.2, <c>requested_token_type=urn:ga4gh:params:oauth:token-type:passport</c>) or, failing a token endpoint, by
/// its UserInfo endpoint (AAI 1.0, the visas in <c>ga4gh_passport_v1</c>). The token goes only to the broker that
/// issued it, never to another, and only within the bounds of <see cref="BrokerCallLimiter"/>.
/// </summary>
public sealed class BrokerPassports(
    IHttpClientFactory httpClients, PassportValidator validator, BrokerCallLimiter limiter, IOptionsMonitor<PassportOptions> options, TimeProvider time)
{
    /// <summary>The named HttpClient brokers are called with (no redirects).</summary>
    public const string HttpClientName = "passport-broker";

    public const string PassportTokenType = "urn:ga4gh:params:oauth:token-type:passport";
    private const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const int MaxResponseBytes = 1024 * 1024;

    /// <param name="client">who sent the token (see <see cref="Access.RequestAccess.ClientKey"/>), for the per-client bound</param>
    public Task<PassportValidation> FromAccessTokenAsync(string accessToken, SignedToken? decoded, string? client, CancellationToken cancellationToken) =>
        FromAccessTokenAsync(accessToken, decoded, client, null, cancellationToken);

    /// <param name="accessToken">the bearer token</param>
    /// <param name="decoded">the token when it is a JWT</param>
    /// <param name="client">who sent the token, for the per-client bound</param>
    /// <param name="self">this node as an issuer when its own visas are trusted (they may come in a broker's passport), else null</param>
    /// <param name="cancellationToken">the call's</param>
    public async Task<PassportValidation> FromAccessTokenAsync(string accessToken, SignedToken? decoded, string? client, NodeIssuer? self, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var (broker, expiresAt, problem) = await AttributeAsync(decoded, settings, cancellationToken);
        if (problem is not null)
        {
            return new(null, problem);
        }

        using var call = limiter.Enter(client);
        if (call.Refusal is { } busy)
        {
            return new(null, busy);
        }

        try
        {
            return broker!.TokenEndpoint is { Length: > 0 }
                ? await ExchangeAsync(broker, accessToken, decoded?.Subject, self, cancellationToken)
                : await UserinfoAsync(broker, accessToken, decoded?.Subject, expiresAt ?? time.GetUtcNow().AddSeconds(settings.ValidationCacheSeconds), settings, self, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return PassportValidation.Rejected(ValidationStep.Broker, $"the broker {broker!.Issuer} could not be asked for the passport: {ex.Message}", retryable: true);
        }
    }

    /// <summary>
    /// Which trusted broker issued the token: a JWT names it in <c>iss</c> and is checked against the broker's keys and
    /// its lifetime before the broker is called; an opaque token is attributed only when one broker can take it.
    /// </summary>
    private async Task<(TrustedBrokerOptions? Broker, DateTimeOffset? ExpiresAt, Rejection? Problem)> AttributeAsync(
        SignedToken? decoded, PassportOptions settings, CancellationToken cancellationToken)
    {
        var capable = settings.TrustedBrokers.Where(b => b.TokenEndpoint is { Length: > 0 } || b.UserinfoEndpoint is { Length: > 0 }).ToList();
        if (decoded is null)
        {
            return capable.Count == 1
                ? (capable[0], null, null)
                : (null, null, new Rejection(ValidationStep.Decode, capable.Count == 0
                    ? "the token is not a passport JWT, and no trusted broker is configured to exchange access tokens"
                    : "the token is neither a passport nor a JWT access token naming its broker (an opaque token cannot be attributed to one of several brokers)"));
        }

        var broker = capable.FirstOrDefault(b => string.Equals(b.Issuer, decoded.Issuer, StringComparison.Ordinal));
        if (broker is null)
        {
            return (null, null, new Rejection(ValidationStep.TrustedIssuer, settings.TrustedBrokers.Any(b => string.Equals(b.Issuer, decoded.Issuer, StringComparison.Ordinal))
                ? $"the token holds no {PassportValidator.PassportClaim}, and its broker '{PassportValidator.Shorten(decoded.Issuer)}' has no token or userinfo endpoint configured"
                : $"the token's issuer '{PassportValidator.Shorten(decoded.Issuer)}' is not a trusted broker"));
        }

        var header = PassportValidator.CheckAlgorithm(decoded) ?? PassportValidator.CheckKeyId(decoded)
            ?? await validator.CheckSignatureAsync(decoded, broker.JwksUri, null, cancellationToken)
            ?? PassportValidator.CheckLifetime(decoded, time.GetUtcNow(), settings.ClockSkew, "the access token");
        if (header is not null)
        {
            return (null, null, header);
        }

        decoded.TryGetSeconds("exp", out var exp);
        return (broker, DateTimeOffset.FromUnixTimeSeconds(exp), null);
    }

    private async Task<PassportValidation> ExchangeAsync(TrustedBrokerOptions broker, string accessToken, string? tokenSubject, NodeIssuer? self, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, broker.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = TokenExchangeGrant,
                ["subject_token"] = accessToken,
                ["subject_token_type"] = AccessTokenType,
                ["requested_token_type"] = PassportTokenType,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(broker.ClientId!)}:{Uri.EscapeDataString(broker.ClientSecret ?? "")}")));
        using var document = await SendAsync(request, cancellationToken);
        if (document.Status is not null)
        {
            return PassportValidation.Rejected(ValidationStep.Broker, $"the broker {broker.Issuer} refused to exchange the access token ({document.Status})", document.Retryable);
        }

        var root = document.Json!.RootElement;
        if (!root.TryGetProperty("access_token", out var passport) || passport.ValueKind != JsonValueKind.String
            || (root.TryGetProperty("issued_token_type", out var issued) && issued.ValueKind == JsonValueKind.String && issued.GetString() != PassportTokenType))
        {
            return PassportValidation.Rejected(ValidationStep.Broker, $"the broker {broker.Issuer} answered the token exchange without a passport");
        }

        var validation = await validator.ValidateAsync(passport.GetString()!, self, cancellationToken);
        if (validation.Passport is not { } valid)
        {
            return validation;
        }

        if (!string.Equals(valid.Issuer, broker.Issuer, StringComparison.Ordinal))
        {
            return PassportValidation.Rejected(ValidationStep.Broker, $"the broker {broker.Issuer} answered a passport of another broker");
        }

        // A JWT access token names its user; the passport it is exchanged for must be that user's.
        return tokenSubject is not null && !string.Equals(valid.Subject, tokenSubject, StringComparison.Ordinal)
            ? PassportValidation.Rejected(ValidationStep.Broker, $"the broker {broker.Issuer} answered a passport of another subject than the access token's")
            : validation;
    }

    private async Task<PassportValidation> UserinfoAsync(
        TrustedBrokerOptions broker, string accessToken, string? tokenSubject, DateTimeOffset expiresAt, PassportOptions settings, NodeIssuer? self,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, broker.UserinfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var document = await SendAsync(request, cancellationToken);
        if (document.Status is not null)
        {
            return PassportValidation.Rejected(ValidationStep.Broker, $"the broker {broker.Issuer} refused the access token at its userinfo endpoint ({document.Status})", document.Retryable);
        }

        var root = document.Json!.RootElement;
        var subject = root.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
        if (string.IsNullOrEmpty(subject) || (tokenSubject is not null && !string.Equals(subject, tokenSubject, StringComparison.Ordinal)))
        {
            return PassportValidation.Rejected(ValidationStep.Broker, $"the broker {broker.Issuer} answered userinfo without the token's sub");
        }

        var visas = new List<string>();
        if (root.TryGetProperty(PassportValidator.PassportClaim, out var list))
        {
            if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            {
                return PassportValidation.Rejected(ValidationStep.PassportClaims, $"the broker's userinfo {PassportValidator.PassportClaim} is not an array of visa JWTs");
            }

            if (list.GetArrayLength() > settings.MaxVisas)
            {
                return PassportValidation.Rejected(ValidationStep.PassportClaims, $"the broker's userinfo holds more than {settings.MaxVisas} visas (Passport:MaxVisas)");
            }

            visas.AddRange(list.EnumerateArray().Select(v => v.GetString()!));
        }

        return PassportValidation.Accepted(await validator.ValidateVisasAsync(broker.Issuer, subject, expiresAt, visas, self, cancellationToken));
    }

    /// <summary>Sends a request to a broker: the JSON answer, or the refusal as "HTTP status error".</summary>
    private async Task<BrokerAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var bytes = await LimitedContent.ReadAsync(response.Content, MaxResponseBytes, "the broker's answer", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // An OAuth error body names the error; its description is the broker's text, not the caller's token.
            string? error = null;
            try
            {
                using var body = JsonDocument.Parse(bytes);
                error = body.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            }
            catch (JsonException)
            {
            }

            // A 4xx refuses the token; a 5xx, a timeout (408) or throttling (429) is the broker's state, not the token's.
            var status = (int)response.StatusCode;
            return new BrokerAnswer(null, $"HTTP {status}{(error is null ? "" : " " + PassportValidator.Shorten(error))}",
                Retryable: status is >= 500 or 408 or 429);
        }

        return new BrokerAnswer(JsonDocument.Parse(bytes), null);
    }

    private sealed record BrokerAnswer(JsonDocument? Json, string? Status, bool Retryable = false) : IDisposable
    {
        public void Dispose() => Json?.Dispose();
    }
}
