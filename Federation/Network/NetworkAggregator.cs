using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Federation.Merging;
using GenomeNode.Federation.Partners;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace GenomeNode.Federation.Network;

/// <summary>
/// A network query: the node's own part (in-process, <see cref="LocalBeacon"/>) and every partner's, at once; merged
/// when the node's own part is an answer. A request the node refuses (bad request, refused token, exhausted budget,
/// audit unavailable) is refused as <c>/api</c> refuses it, whatever the partners said: the network never answers
/// what the node's API would not. A request carrying <see cref="NetworkHop.Header"/> is answered by the node alone.
/// </summary>
public sealed class NetworkAggregator(LocalBeacon local, PartnerDirectory directory, PartnerClient client, IOptions<FederationOptions> options)
{
    /// <summary>The most of a request body read (Beacon request bodies are small; the node's own endpoint reads it again).</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>First path segments whose queries are fanned out, and how their answers merge.</summary>
    private static readonly Dictionary<string, AnswerKind> FannedOut = new(StringComparer.Ordinal)
    {
        ["g_variants"] = AnswerKind.ResultSets,
        ["individuals"] = AnswerKind.ResultSets,
        ["biosamples"] = AnswerKind.ResultSets,
        ["runs"] = AnswerKind.ResultSets,
        ["analyses"] = AnswerKind.ResultSets,
        ["datasets"] = AnswerKind.Collections,
        ["cohorts"] = AnswerKind.Collections,
    };

    public async Task<IResult> QueryAsync(HttpContext http, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        path ??= "";
        var method = http.Request.Method;
        byte[]? body = null;
        if (HttpMethods.IsPost(method))
        {
            body = await BodyAsync(http.Request, cancellationToken);
            if (body is null)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {MaxBodyBytes / 1024} KB");
            }
        }

        var first = path.Split('/')[0];
        if (!FannedOut.TryGetValue(first, out var kind))
        {
            // Informational endpoints (configuration, entry_types, service-info): the node's own.
            var own = await local.SendAsync(http, method, "/" + path, http.Request.QueryString, body);
            return own is null ? NotFound(path) : new LocalAnswerResult(own);
        }

        var forwarded = http.Request.Headers.ContainsKey(NetworkHop.Header);
        using var partners = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var query = new PartnerQuery(HttpMethods.IsPost(method) ? HttpMethod.Post : HttpMethod.Get, path, QueryOf(http.Request.Query), body,
            FilterIds(http.Request.Query, body));
        var passport = Passport(http.Request);
        var asked = forwarded
            ? []
            : directory.Partners.Select(partner => client.QueryAsync(partner, query, kind, passport, partners.Token)).ToArray();

        LocalAnswer? answer;
        try
        {
            answer = await local.SendAsync(http, method, "/" + path, http.Request.QueryString, body);
        }
        catch
        {
            await CallOffAsync(partners, asked);
            throw;
        }

        if (answer is null || !answer.IsSuccess)
        {
            await CallOffAsync(partners, asked);
            return answer is null ? NotFound(path) : new LocalAnswerResult(answer);
        }

        var ownPart = PartCheck.Read(options.Value.LocalBeaconId, "", answer.Body, kind, null) with { PartnerId = null };
        var parts = await Task.WhenAll(asked);
        if (ownPart.Status != PartStatus.Ok)
        {
            // Not expected of the node's own API; its answer is passed on unmerged rather than lost.
            return new LocalAnswerResult(answer);
        }

        return new JsonObjectResult(ResponseMerger.Merge(kind, ownPart, parts, forwarded), StatusCodes.Status200OK);
    }

    /// <summary>
    /// Cancels the partner calls still running and waits for them (none may outlive the request); a call ended by this
    /// cancellation ends in <see cref="OperationCanceledException"/>, which is expected here and not the caller's failure.
    /// </summary>
    private static async Task CallOffAsync(CancellationTokenSource partners, Task<BeaconPart>[] asked)
    {
        await partners.CancelAsync();
        try
        {
            await Task.WhenAll(asked);
        }
        catch (OperationCanceledException) when (partners.IsCancellationRequested)
        {
        }
    }

    /// <summary>The node's /info, with the partners it fans out to (their beacon ids, names and API versions as last fetched).</summary>
    public async Task<IResult> InfoAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var answer = await local.SendAsync(http, HttpMethods.Get, "/info", QueryString.Empty, null);
        if (answer is null || !answer.IsSuccess || Parse(answer.Body) is not JsonObject info)
        {
            return answer is null ? NotFound("info") : new LocalAnswerResult(answer);
        }

        if (info["response"] is JsonObject results)
        {
            var own = results["info"] as JsonObject ?? [];
            own["network"] = new JsonObject
            {
                ["partners"] = new JsonArray([.. directory.Partners.Select(partner => (JsonNode)Describe(partner))]),
            };
            results["info"] = own;
        }

        return new JsonObjectResult(info, StatusCodes.Status200OK);
    }

    /// <summary>The node's /map with its URLs under <c>/network/api</c>: the network serves the node's entry types.</summary>
    public async Task<IResult> MapAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var answer = await local.SendAsync(http, HttpMethods.Get, "/map", QueryString.Empty, null);
        if (answer is null || !answer.IsSuccess || Parse(answer.Body) is not JsonObject map)
        {
            return answer is null ? NotFound("map") : new LocalAnswerResult(answer);
        }

        var text = map.ToJsonString();
        var root = ((map["response"] as JsonObject)?["endpointSets"] as JsonObject)?.Select(set => (set.Value as JsonObject)?["rootUrl"]?.GetValue<string>())
            .FirstOrDefault(url => url is not null && url.Contains(LocalBeacon.Prefix + "/", StringComparison.Ordinal));
        if (root is not null)
        {
            var apiBase = root[..(root.IndexOf(LocalBeacon.Prefix + "/", StringComparison.Ordinal) + LocalBeacon.Prefix.Length)];
            var networkBase = apiBase[..^LocalBeacon.Prefix.Length] + NetworkEndpoints.Prefix;
            text = text.Replace(JsonEncodedText.Encode(apiBase + "/").ToString(), JsonEncodedText.Encode(networkBase + "/").ToString(), StringComparison.Ordinal);
        }

        return new JsonObjectResult((JsonObject)JsonNode.Parse(text)!, StatusCodes.Status200OK);
    }

    /// <summary>The node's filtering terms and every partner's (as last fetched), each term once.</summary>
    public async Task<IResult> FilteringTermsAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var answer = await local.SendAsync(http, HttpMethods.Get, "/filtering_terms", http.Request.QueryString, null);
        if (answer is null || !answer.IsSuccess || Parse(answer.Body) is not JsonObject terms)
        {
            return answer is null ? NotFound("filtering_terms") : new LocalAnswerResult(answer);
        }

        var forwarded = http.Request.Headers.ContainsKey(NetworkHop.Header);
        var partners = forwarded
            ? []
            : directory.Partners.Select(partner => partner.Metadata is { } metadata
                ? (new BeaconPart(partner.BeaconId, partner.Id, PartStatus.Ok, ApiVersion: metadata.ApiVersion), metadata.FilteringTerms, metadata.Resources)
                : (new BeaconPart(partner.BeaconId, partner.Id, PartStatus.Unreachable,
                    Problem: partner.Reachability?.Problem ?? "its filtering terms have not been fetched yet"), (IReadOnlyList<JsonObject>)[], (IReadOnlyList<JsonObject>)[]))
                .ToList();
        return new JsonObjectResult(ResponseMerger.MergeFilteringTerms(terms, partners), StatusCodes.Status200OK);
    }

    private static JsonObject Describe(PartnerState partner)
    {
        var described = new JsonObject { ["partner"] = partner.Id, ["beaconId"] = partner.BeaconId };
        if (partner.Metadata is { } metadata)
        {
            described["name"] = metadata.Name;
            described["apiVersion"] = metadata.ApiVersion;
        }

        if (partner.Reachability is { } reachability)
        {
            described["reachable"] = reachability.Reachable;
            if (reachability.Problem is { } problem)
            {
                described["problem"] = problem;
            }

            described["checkedAt"] = reachability.CheckedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        return described;
    }

    /// <summary>The caller's bearer token, for partners trusted with it.</summary>
    private static string? Passport(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7 ? authorization[7..].Trim() : null;
    }

    private static Dictionary<string, string> QueryOf(IQueryCollection query) =>
        query.ToDictionary(pair => pair.Key, pair => string.Join(',', pair.Value.Where(value => value is not null)), StringComparer.Ordinal);

    /// <summary>The filter ids asked: <c>filters</c> of the query string, or the body's <c>query.filters</c> (ids or objects with an id).</summary>
    public static IReadOnlyList<string> FilterIds(IQueryCollection query, byte[]? body)
    {
        ArgumentNullException.ThrowIfNull(query);
        var ids = new List<string>();
        foreach (var value in query["filters"])
        {
            ids.AddRange((value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (body is { Length: > 0 } && Parse(body) is JsonObject request && (request["query"] as JsonObject)?["filters"] is JsonArray filters)
        {
            foreach (var filter in filters)
            {
                var id = filter switch
                {
                    JsonValue text when text.TryGetValue<string>(out var s) => s,
                    JsonObject item when item["id"] is JsonValue text && text.TryGetValue<string>(out var s) => s,
                    _ => null,
                };
                if (!string.IsNullOrEmpty(id))
                {
                    ids.Add(id);
                }
            }
        }

        return ids.Distinct(StringComparer.Ordinal).ToList();
    }

    private static JsonNode? Parse(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> BodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private JsonObjectResult NotFound(string path) =>
        Error(StatusCodes.Status404NotFound, $"no Beacon network endpoint {NetworkEndpoints.Prefix}/{path}");

    private JsonObjectResult Error(int status, string message) => new(new JsonObject
    {
        ["meta"] = new JsonObject
        {
            ["beaconId"] = options.Value.LocalBeaconId,
            ["apiVersion"] = options.Value.LocalApiVersion,
            ["returnedSchemas"] = new JsonArray(),
        },
        ["error"] = new JsonObject { ["errorCode"] = status, ["errorMessage"] = message },
    }, status);
}

/// <summary>The node's own answer, passed on as it was given (status, body, and the headers a client acts on).</summary>
internal sealed class LocalAnswerResult(LocalAnswer answer) : IResult
{
    private static readonly string[] Passed = ["Content-Type", "WWW-Authenticate", "Retry-After"];

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = answer.Status;
        foreach (var name in Passed)
        {
            if (answer.Headers.TryGetValue(name, out var value))
            {
                httpContext.Response.Headers[name] = value;
            }
        }

        await httpContext.Response.Body.WriteAsync(answer.Body, httpContext.RequestAborted);
    }
}

/// <summary>A merged answer.</summary>
internal sealed class JsonObjectResult(JsonObject value, int status) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(httpContext.Response.Body);
        value.WriteTo(writer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
