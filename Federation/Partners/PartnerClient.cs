using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Federation.Merging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace GenomeNode.Federation.Partners;

/// <summary>A network query as it is sent to partners: the path below their base, the query string or the body, the filters asked.</summary>
public sealed record PartnerQuery(HttpMethod Method, string Path, IDictionary<string, string> Query, byte[]? Body, IReadOnlyList<string> FilterIds);

/// <summary>
/// Calls partners through their typed Refit clients (one named HttpClient per partner: its timeout, retries and
/// circuit breaker, then its credentials) and turns whatever comes back into a <see cref="BeaconPart"/>: an answer
/// never throws, a failure is a part that says why.
/// </summary>
public sealed partial class PartnerClient(IHttpClientFactory clients, IOptions<FederationOptions> options, TimeProvider time, ILogger<PartnerClient> logger)
{
    public static string HttpClientName(string partnerId) => "federation:" + partnerId;

    private IBeaconPartnerApi Api(PartnerState partner) =>
        RestService.For<IBeaconPartnerApi>(clients.CreateClient(HttpClientName(partner.Id)));

    /// <summary>Sends a query to one partner; the passport only when <paramref name="passport"/> is given and the partner is trusted for it.</summary>
    public async Task<BeaconPart> QueryAsync(PartnerState partner, PartnerQuery query, AnswerKind kind, string? passport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(query);
        var unknownFilters = UnknownFilters(partner, query.FilterIds);
        if (partner.Metadata?.ServedPaths is { } served && !served.Contains(query.Path.Split('/')[0]))
        {
            return new BeaconPart(partner.BeaconId, partner.Id, PartStatus.NotServed, Problem: $"its map lists no {query.Path.Split('/')[0]} endpoint",
                ApiVersion: partner.Metadata.ApiVersion);
        }

        // The caller's passport is only ever handed to a partner trusted with it (its handler checks again).
        var forwarded = partner.Options is { TrustedForPassports: true, Authentication.Mode: PartnerAuthenticationMode.Passport } ? passport : null;
        var (status, body, problem) = await SendAsync(partner, api => query.Method == HttpMethod.Post
            ? api.PostAsync(query.Path, Json(query.Body), forwarded, cancellationToken)
            : api.GetAsync(query.Path, query.Query, forwarded, cancellationToken), cancellationToken);
        if (body is null)
        {
            return new BeaconPart(partner.BeaconId, partner.Id, status, Problem: problem, UnknownFilters: unknownFilters, ApiVersion: partner.Metadata?.ApiVersion);
        }

        var part = PartCheck.Read(partner.BeaconId, partner.Id, body, kind, unknownFilters);
        if (part.Status != PartStatus.Ok)
        {
            LogInvalidAnswer(logger, partner.Id, part.Problem);
        }

        return part with { ApiVersion = part.ApiVersion ?? partner.Metadata?.ApiVersion };
    }

    /// <summary>Fetches a partner's /info, /map and /filtering_terms; its metadata is replaced only by an /info that answered.</summary>
    public async Task RefreshMetadataAsync(PartnerState partner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        var (_, info, problem) = await SendAsync(partner, api => api.InfoAsync(cancellationToken), cancellationToken);
        var infoJson = Object(info);
        if (infoJson is null)
        {
            LogMetadataFailed(logger, partner.Id, problem ?? "its /info is not a JSON object");
            return;
        }

        var (_, map, _) = await SendAsync(partner, api => api.MapAsync(cancellationToken), cancellationToken);
        var (_, terms, _) = await SendAsync(partner, api => api.FilteringTermsAsync(cancellationToken), cancellationToken);
        var termsJson = (Object(terms)?["response"] as JsonObject);
        var termList = (termsJson?["filteringTerms"] as JsonArray)?.OfType<JsonObject>().ToList();
        var resources = (termsJson?["resources"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var results = infoJson["response"] as JsonObject;
        partner.Metadata = new PartnerMetadata(
            Text((infoJson["meta"] as JsonObject)?["beaconId"]) ?? Text(results?["id"]),
            Text(results?["name"]),
            Text(results?["apiVersion"]) ?? Text((infoJson["meta"] as JsonObject)?["apiVersion"]),
            PartnerDirectory.ServedPaths(Object(map)),
            termList?.Select(term => Text(term["id"])).OfType<string>().ToFrozenSet(StringComparer.Ordinal),
            termList ?? [],
            resources,
            time.GetUtcNow());
        LogMetadataFetched(logger, partner.Id, partner.Metadata.BeaconId ?? "?", partner.Metadata.ApiVersion ?? "?", termList?.Count ?? 0);
    }

    /// <summary>Asks a partner's /info and records whether it answered.</summary>
    public async Task ProbeAsync(PartnerState partner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        if (partner.Metadata is null)
        {
            await RefreshMetadataAsync(partner, cancellationToken);
            return;
        }

        await SendAsync(partner, api => api.InfoAsync(cancellationToken), cancellationToken);
    }

    private static List<string>? UnknownFilters(PartnerState partner, IReadOnlyList<string> filterIds) =>
        filterIds.Count > 0 && partner.Metadata?.FilteringTermIds is { } known
            ? [.. filterIds.Where(id => !known.Contains(id))]
            : null;

    private static ByteArrayContent Json(byte[]? body)
    {
        var content = new ByteArrayContent(body ?? []);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>One call: the body of a 2xx answer (bounded), or the status that says why there is none. Records reachability.</summary>
    private async Task<(PartStatus Status, byte[]? Body, string? Problem)> SendAsync(
        PartnerState partner, Func<IBeaconPartnerApi, Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxAnswerKilobytes * 1024L;
        (PartStatus, byte[]?, string?) result;
        try
        {
            using var response = await call(Api(partner));
            var body = await ReadAsync(response.Content, limit, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                result = body is null
                    ? (PartStatus.InvalidResponse, null, $"an answer larger than {options.Value.MaxAnswerKilobytes} KB")
                    : (PartStatus.Ok, body, null);
            }
            else
            {
                result = (PartStatus.Error, null, $"HTTP {(int)response.StatusCode}{ErrorMessage(body)}");
            }
        }
        catch (Exception ex) when (Failure(ex, partner, cancellationToken) is { } failure)
        {
            result = failure;
        }

        partner.Reachability = new PartnerReachability(result.Item1 is PartStatus.Ok or PartStatus.Error,
            result.Item1 == PartStatus.Ok ? null : result.Item3, time.GetUtcNow());
        if (result.Item1 != PartStatus.Ok)
        {
            LogPartnerFailed(logger, partner.Id, BeaconPart.StatusName(result.Item1), result.Item3);
        }

        return result;
    }

    /// <summary>
    /// What a failed call means (Refit wraps the pipeline's exceptions): a timeout, an open circuit, an unreachable
    /// partner, or any other failure of this one call (a token endpoint's nonsense, say), which fails the part and never
    /// the network answer; null only for the caller's own cancellation.
    /// </summary>
    private (PartStatus, byte[]?, string?)? Failure(Exception exception, PartnerState partner, CancellationToken cancellationToken)
    {
        var timeout = $"no answer within {options.Value.TimeoutOf(partner.Options).TotalSeconds:0.###} s";
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case TimeoutRejectedException:
                    return (PartStatus.Timeout, null, timeout);
                case BrokenCircuitException:
                    return (PartStatus.Unreachable, null, "not asked: its recent requests failed (circuit open)");
                case OperationCanceledException when cancellationToken.IsCancellationRequested:
                    return null;
                case OperationCanceledException:
                    return (PartStatus.Timeout, null, timeout);
                case HttpRequestException http:
                    return (PartStatus.Unreachable, null, $"not reached: {http.Message}");
            }
        }

        return (PartStatus.Error, null, $"failed: {exception.GetBaseException().Message}");
    }

    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>": message" of a Beacon error response, bounded, or nothing.</summary>
    private static string ErrorMessage(byte[]? body)
    {
        try
        {
            if (body is { Length: > 0 } && JsonNode.Parse(body) is JsonObject error
                && (error["error"] as JsonObject)?["errorMessage"] is JsonValue message && message.TryGetValue<string>(out var text))
            {
                return ": " + (text.Length > 300 ? text[..300] + "…" : text);
            }
        }
        catch (JsonException)
        {
        }

        return "";
    }

    private static JsonObject? Object(byte[]? body)
    {
        if (body is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Partner {Partner}: {Status} ({Problem})")]
    private static partial void LogPartnerFailed(ILogger logger, string partner, string status, string? problem);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Partner {Partner} answered, but not a Beacon response: {Problem}")]
    private static partial void LogInvalidAnswer(ILogger logger, string partner, string? problem);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Partner {Partner} is beacon {BeaconId} (API {ApiVersion}), {Terms} filtering terms")]
    private static partial void LogMetadataFetched(ILogger logger, string partner, string beaconId, string apiVersion, int terms);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Partner {Partner}: its metadata could not be fetched ({Problem})")]
    private static partial void LogMetadataFailed(ILogger logger, string partner, string problem);
}
