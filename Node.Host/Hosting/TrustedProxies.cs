using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace GenomeNode.Host.Hosting;

/// <summary>
/// <c>Privacy:TrustedProxies</c>: the reverse proxies (addresses, or networks in CIDR notation) whose
/// <c>X-Forwarded-For</c> names the client and <c>X-Forwarded-Proto</c> the scheme. The client a request is audited and
/// budgeted as is then the address the nearest untrusted hop gave; with none configured (the default) the headers are
/// ignored, so no caller can pose as another client, or as a TLS connection, by sending them.
/// </summary>
internal static class TrustedProxies
{
    public const string Key = "Privacy:TrustedProxies";

    public static IReadOnlyList<string> Read(IConfiguration configuration) =>
        [.. configuration.GetSection(Key).GetChildren().Select(child => child.Value).OfType<string>().Where(value => value.Trim().Length > 0)];

    /// <summary>ASP.NET Core's forwarded-headers handling, trusting exactly the configured proxies.</summary>
    public static void Configure(ForwardedHeadersOptions options, IReadOnlyList<string> proxies)
    {
        // The scheme too: a proxy that terminates TLS forwards https requests as http.
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // The defaults trust loopback: only what the operator names is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        // Through a chain of trusted proxies to the first hop that is not one.
        options.ForwardLimit = null;
        foreach (var proxy in proxies)
        {
            var text = proxy.Trim();
            if (text.Contains('/', StringComparison.Ordinal))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(text));
            }
            else
            {
                options.KnownProxies.Add(IPAddress.Parse(text));
            }
        }
    }

    /// <summary>Why the configured proxies cannot start the node, one line per entry that is no address or network.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<string> proxies) =>
        [.. proxies.Where(proxy => !(proxy.Contains('/', StringComparison.Ordinal)
                ? System.Net.IPNetwork.TryParse(proxy.Trim(), out _)
                : IPAddress.TryParse(proxy.Trim(), out _)))
            .Select(proxy => $"{Key} holds '{proxy}', which is neither an IP address nor a network in CIDR notation (10.0.0.0/8)")];
}
