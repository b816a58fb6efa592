using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Access;

/// <summary>What Beacon and htsget endpoints need of the clearinghouse for one request.</summary>
public static class PassportHttp
{
    public const string Realm = "genome-node";
    private static readonly object CallerKey = new();

    /// <summary>The caller of this request (validated once per request; accepted tokens are cached across requests).</summary>
    public static async ValueTask<Caller> CallerAsync(this HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(CallerKey, out var known) && known is Caller caller)
        {
            return caller;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var connection = context.Features.Get<IConnectionItemsFeature>()?.Items;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (authorization.Length > 0 && connection is not null && connection.TryGetValue(CallerKey, out var previous)
            && previous is ConnectionCaller last && now < last.Until
            && (ReferenceEquals(last.Authorization, authorization) || string.Equals(last.Authorization, authorization, StringComparison.Ordinal)))
        {
            // The same passport again on a keep-alive connection (Kestrel even reuses the header's string): no hash.
            caller = last.Caller;
        }
        else
        {
            caller = await context.RequestServices.GetRequiredService<PassportAuthenticator>()
                .AuthenticateAsync(authorization, ClientKey(context.Connection.RemoteIpAddress), cancellationToken);
            if (caller.Passport is { } passport && connection is not null)
            {
                var until = now + ConnectionReuse;
                connection[CallerKey] = new ConnectionCaller(authorization, caller, passport.ExpiresAt < until ? passport.ExpiresAt : until);
            }
        }

        context.Items[CallerKey] = caller;
        return caller;
    }

    /// <summary>
    /// Who a request comes from, for per-client bounds: an IPv4 address (also when mapped into IPv6), or the /64 prefix
    /// of an IPv6 address (one host usually holds a whole /64, so single addresses would let it pose as many clients).
    /// Behind a reverse proxy this is the proxy's address unless the host applies forwarded headers.
    /// </summary>
    public static string? ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var prefix = address.GetAddressBytes();
        Array.Clear(prefix, 8, 8);
        return $"{new IPAddress(prefix)}/64";
    }

    /// <summary>How long one connection reuses its last accepted passport without looking it up again.</summary>
    private static readonly TimeSpan ConnectionReuse = TimeSpan.FromSeconds(30);

    private sealed record ConnectionCaller(string Authorization, Caller Caller, DateTimeOffset Until);

    /// <summary>Decides access to <paramref name="dataset"/> for <paramref name="caller"/> now, under the node's policy.</summary>
    public static AccessDecision Decide(this HttpContext context, Caller caller, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(caller);
        var services = context.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var policy = services.GetRequiredService<IOptionsMonitor<PassportOptions>>().CurrentValue;
        if (caller.Passport is not { } passport)
        {
            return AccessDecider.Decide(dataset, null, now, policy);
        }

        // A cached passport asks the same question on every request: its answer holds until a visa it used expires
        // (a denial, until the passport does: visas only ever drop out). The dataset record is part of the key, so a
        // changed catalog entry is decided afresh.
        var memo = Decisions.GetOrCreateValue(passport);
        if (memo.TryGetValue(dataset, out var known) && now < known.ValidUntil && ReferenceEquals(known.Policy, policy))
        {
            return known.Decision;
        }

        var decision = AccessDecider.Decide(dataset, passport, now, policy);
        var validUntil = decision.Granted ? (decision.Until ?? passport.ExpiresAt) + policy.ClockSkew : passport.ExpiresAt + policy.ClockSkew;
        memo[dataset] = new MemoizedDecision(decision, validUntil, policy);
        return decision;
    }

    private static readonly ConditionalWeakTable<ValidatedPassport, ConcurrentDictionary<Dataset, MemoizedDecision>> Decisions = new();

    private sealed record MemoizedDecision(AccessDecision Decision, DateTimeOffset ValidUntil, PassportOptions Policy);

    /// <summary>
    /// Sends a decision to the audit table, with the request's client address; completes once it is durable, and throws
    /// <see cref="AuditUnavailableException"/> when it cannot be recorded in time (the request is then refused).
    /// </summary>
    public static Task AuditAsync(
        this HttpContext context, Caller caller, string resource, AccessDecision decision, bool allowed, string access, string? ticket = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<AccessAudit>()
            .RecordAsync(caller, context.Connection.RemoteIpAddress?.ToString(), resource, decision, allowed, access, ticket, context.RequestAborted);
    }

    /// <summary>
    /// The <c>WWW-Authenticate</c> challenge (RFC 6750): the realm, and for a refused token <c>invalid_token</c> with the
    /// reason (quotes and backslashes dropped, as the header's quoted-string needs).
    /// </summary>
    public static string Challenge(Rejection? rejection)
    {
        if (rejection is null)
        {
            return $"Bearer realm=\"{Realm}\"";
        }

        var description = new StringBuilder();
        foreach (var c in rejection.Reason)
        {
            description.Append(c is '"' or '\\' || char.IsControl(c) || c > '~' ? '\'' : c);
        }

        return $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{description}\"";
    }
}
