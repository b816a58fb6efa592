using System.Net;
using Microsoft.AspNetCore.HostFiltering;

namespace GenomeNode.Host.Hosting;

/// <summary>
/// Which Host headers the node answers. Without <c>Node:PublicUrl</c>, absolute URLs are built from the request's
/// Host, so ASP.NET Core's host filtering must accept only the node's own names: <c>AllowedHosts</c> when configured,
/// else the hosts of the listening URLs when they are specific addresses or names. A wildcard binding with neither
/// setting leaves the Host header trusted, which the node warns about at start.
/// </summary>
internal static class HostHeaderPolicy
{
    public const string AllowedHostsKey = "AllowedHosts";

    private static readonly HashSet<string> Wildcards = new(StringComparer.Ordinal) { "*", "+", "0.0.0.0", "[::]", "", "unix" };

    /// <summary>What the node does with Host headers under <paramref name="configuration"/>.</summary>
    public static HostHeaderDecision Decide(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.IsNullOrWhiteSpace(configuration[$"{NodeOptions.Section}:PublicUrl"]))
        {
            return new HostHeaderDecision(null, TrustsAnyHost: false);
        }

        var configured = Split(configuration[AllowedHostsKey]);
        if (configured.Count > 0)
        {
            return new HostHeaderDecision(null, TrustsAnyHost: configured.Contains("*"));
        }

        var hosts = new List<string>();
        foreach (var url in ListeningUrls(configuration))
        {
            var host = HostOf(url);
            if (Wildcards.Contains(host))
            {
                return new HostHeaderDecision(null, TrustsAnyHost: true);
            }

            hosts.AddRange(NamesOf(host));
        }

        return hosts.Count == 0
            ? new HostHeaderDecision(null, TrustsAnyHost: true)
            : new HostHeaderDecision([.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)], TrustsAnyHost: false);
    }

    /// <summary>Host filtering as <see cref="Decide"/> says, on top of ASP.NET Core's own reading of AllowedHosts.</summary>
    public static void Configure(HostFilteringOptions options, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[$"{NodeOptions.Section}:PublicUrl"]))
        {
            return;
        }

        if (Decide(configuration).DefaultAllowedHosts is { } hosts)
        {
            options.AllowedHosts = [.. hosts];
        }

        // An HTTP/1.0 request without Host would otherwise get URLs with no host at all.
        options.AllowEmptyHosts = false;
    }

    /// <summary>The URLs Kestrel listens on: its configured endpoints if any, else <c>urls</c> (ASPNETCORE_URLS, --urls).</summary>
    public static IReadOnlyList<string> ListeningUrls(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"])
            .OfType<string>()
            .ToList();
        return endpoints.Count > 0 ? endpoints : Split(configuration["urls"]);
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The host part of a Kestrel URL such as <c>http://127.0.0.1:8080</c>, <c>http://[::1]:0</c> or <c>http://*:80</c>.</summary>
    private static string HostOf(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var authority = schemeEnd < 0 ? url : url[(schemeEnd + 3)..];
        var pathStart = authority.IndexOf('/', StringComparison.Ordinal);
        if (pathStart >= 0)
        {
            authority = authority[..pathStart];
        }

        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? authority : authority[..(close + 1)];
        }

        var portStart = authority.LastIndexOf(':');
        return (portStart < 0 ? authority : authority[..portStart]).ToLowerInvariant();
    }

    /// <summary>The names a client may use for a specific listening host: a loopback address is also "localhost".</summary>
    private static IEnumerable<string> NamesOf(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return ["localhost", "127.0.0.1", "[::1]"];
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)
            ? [host, "localhost"]
            : [host];
    }
}

/// <param name="DefaultAllowedHosts">the allow-list the node sets because none is configured, or null</param>
/// <param name="TrustsAnyHost">every Host header is accepted and URLs may be built from it</param>
internal sealed record HostHeaderDecision(IReadOnlyList<string>? DefaultAllowedHosts, bool TrustsAnyHost);
