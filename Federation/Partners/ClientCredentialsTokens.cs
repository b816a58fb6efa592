using System.Text.Json;

namespace GenomeNode.Federation.Partners;

/// <summary>
/// This node's OAuth 2.0 client-credentials token for one partner (RFC 6749 §4.4, client_secret_post), fetched when
/// first needed and again shortly before it expires; concurrent queries share one fetch.
/// </summary>
internal sealed class ClientCredentialsTokens(PartnerAuthenticationOptions options, IHttpClientFactory clients, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "federation-token";

    private readonly SemaphoreSlim gate = new(1, 1);
    private string? token;
    private DateTimeOffset until;

    public void Dispose() => gate.Dispose();

    public async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (token is { } known && time.GetUtcNow() < until)
        {
            return known;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (token is { } fresh && time.GetUtcNow() < until)
            {
                return fresh;
            }

            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = options.ClientId!,
                ["client_secret"] = options.ClientSecret!,
            };
            if (!string.IsNullOrWhiteSpace(options.Scope))
            {
                form["scope"] = options.Scope;
            }

            using var client = clients.CreateClient(HttpClientName);
            using var content = new FormUrlEncodedContent(form);
            using var response = await client.PostAsync(new Uri(options.TokenUrl!), content, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"the token endpoint answered {(int)response.StatusCode}");
            }

            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var accessToken) || accessToken.ValueKind != JsonValueKind.String)
            {
                throw new HttpRequestException("the token endpoint's answer has no access_token");
            }

            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 300;
            token = accessToken.GetString()!;
            // Renewed a little early, so that a token never expires on its way to the partner.
            until = time.GetUtcNow().AddSeconds(Math.Max(lifetime - 30, lifetime / 2));
            return token;
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>Each client-credentials partner's tokens, kept for the node's lifetime (HTTP handlers come and go, the token stays).</summary>
internal sealed class PartnerTokens(IHttpClientFactory clients, TimeProvider time) : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ClientCredentialsTokens> tokens = new(StringComparer.Ordinal);

    public ClientCredentialsTokens For(PartnerOptions partner) =>
        tokens.GetOrAdd(partner.Id, _ => new ClientCredentialsTokens(partner.Authentication, clients, time));

    public void Dispose()
    {
        foreach (var token in tokens.Values)
        {
            token.Dispose();
        }
    }
}
