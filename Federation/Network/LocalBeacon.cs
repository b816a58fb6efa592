using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace GenomeNode.Federation.Network;

/// <summary>The node's own Beacon answer to a request: status, the headers it set, and the body.</summary>
public sealed record LocalAnswer(int Status, IHeaderDictionary Headers, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// Answers the node's part of a network query in-process, by running the node's own <c>/api</c> endpoint for the
/// same path on a request made of the caller's: the same handler, the same request services (so the same
/// <c>RequestAccess</c>: the caller's token, access decisions, privacy rules, budget and audit), the same connection
/// (the caller's address for per-client budgets). No HTTP call to itself, and nothing the caller could not get from
/// <c>/api</c>. The module needs no reference to Beacon: it finds the endpoint by its route.
/// </summary>
public sealed class LocalBeacon(EndpointDataSource endpoints)
{
    /// <summary>The prefix of the node's own Beacon API.</summary>
    public const string Prefix = "/api";

    private IReadOnlyList<(RouteEndpoint Endpoint, TemplateMatcher Matcher, IReadOnlyList<string> Methods)>? routes;

    /// <summary>Runs the node's endpoint for <paramref name="path"/> (below <see cref="Prefix"/>); null when there is none for it.</summary>
    public async Task<LocalAnswer?> SendAsync(HttpContext caller, string method, string path, QueryString query, byte[]? body)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var fullPath = new PathString(Prefix + path);
        var values = new RouteValueDictionary();
        var match = Routes().FirstOrDefault(route =>
            route.Methods.Contains(method, StringComparer.OrdinalIgnoreCase) && route.Matcher.TryMatch(fullPath, values = new RouteValueDictionary()));
        if (match.Endpoint?.RequestDelegate is not { } handler)
        {
            return null;
        }

        var features = new FeatureCollection(caller.Features);
        var headers = new HeaderDictionary();
        foreach (var (name, value) in caller.Request.Headers)
        {
            headers[name] = value;
        }

        headers.ContentLength = body?.Length ?? 0;
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Method = method,
            Protocol = caller.Request.Protocol,
            Scheme = caller.Request.Scheme,
            PathBase = caller.Request.PathBase,
            Path = fullPath,
            QueryString = query.Value ?? "",
            RawTarget = fullPath + query.ToUriComponent(),
            Headers = headers,
            Body = new MemoryStream(body ?? [], writable: false),
        });
        var response = new HttpResponseFeature();
        var output = new MemoryStream();
        var responseBody = new StreamResponseBodyFeature(output);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(responseBody);
        features.Set<IItemsFeature>(new ItemsFeature());
        features.Set<IRouteValuesFeature>(new RouteValuesFeature { RouteValues = values });
        features.Set<IEndpointFeature>(new LocalEndpointFeature(match.Endpoint));
        // Features that read the request must read this one, not the caller's.
        features.Set<IQueryFeature>(new QueryFeature(features));
        var context = new DefaultHttpContext(features);
        features.Set<IRequestBodyPipeFeature>(new RequestBodyPipeFeature(context));
        features.Set<IFormFeature>(new FormFeature(context.Request));
        features.Set<IRequestCookiesFeature>(new RequestCookiesFeature(features));

        await handler(context);
        await responseBody.CompleteAsync();
        return new LocalAnswer(response.StatusCode, response.Headers, output.ToArray());
    }

    private IReadOnlyList<(RouteEndpoint Endpoint, TemplateMatcher Matcher, IReadOnlyList<string> Methods)> Routes() =>
        routes ??= [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText is { } raw
                && (raw.Equals(Prefix, StringComparison.Ordinal) || raw.StartsWith(Prefix + "/", StringComparison.Ordinal)))
            .Where(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
            .OrderBy(endpoint => endpoint.RoutePattern.InboundPrecedence)
            .Select(endpoint => (endpoint,
                new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary(endpoint.RoutePattern.Defaults)),
                endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods))];

    private sealed class LocalEndpointFeature(Endpoint endpoint) : IEndpointFeature
    {
        public Endpoint? Endpoint { get; set; } = endpoint;
    }
}
