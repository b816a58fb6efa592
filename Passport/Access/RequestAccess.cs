using System.Net;
using System.Net.Sockets;
using System.Text;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Web;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Passport.Access;

/// <summary>
/// What an endpoint needs of the clearinghouse for one request: who calls (validated once per request; accepted tokens
/// are cached across requests), the access decision for a dataset, and the audit of it. Bound per request as a handler
/// parameter (<see cref="BindAsync"/>).
/// </summary>
public sealed class RequestAccess
{
    public const string Realm = "genome-node";
    private static readonly object ConnectionCallerKey = new();

    private readonly HttpContext context;
    private readonly PassportAuthenticator authenticator;
    private readonly AccessDecisions decisions;
    private readonly AccessAudit audit;
    private readonly TimeProvider time;
    private Caller? caller;

    public RequestAccess(HttpContext context, PassportAuthenticator authenticator, AccessDecisions decisions, AccessAudit audit, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.context = context;
        this.authenticator = authenticator;
        this.decisions = decisions;
        this.audit = audit;
        this.time = time;
    }

    /// <summary>Minimal API binding: a handler parameter of this type is the request's access.</summary>
    public static ValueTask<RequestAccess?> BindAsync(HttpContext context) => ValueTask.FromResult<RequestAccess?>(For(context));

    /// <summary>The request's access, made once per request.</summary>
    public static RequestAccess For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(typeof(RequestAccess), out var known) && known is RequestAccess access)
        {
            return access;
        }

        var services = context.RequestServices;
        access = new RequestAccess(context, services.GetRequiredService<PassportAuthenticator>(), services.GetRequiredService<AccessDecisions>(),
            services.GetRequiredService<AccessAudit>(), services.GetRequiredService<TimeProvider>());
        context.Items[typeof(RequestAccess)] = access;
        return access;
    }

    /// <summary>The caller of this request.</summary>
    public async ValueTask<Caller> CallerAsync(CancellationToken cancellationToken)
    {
        if (caller is { } known)
        {
            return known;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var connection = context.Features.Get<IConnectionItemsFeature>()?.Items;
        var now = time.GetUtcNow();
        Caller found;
        if (authorization.Length > 0 && connection is not null && connection.TryGetValue(ConnectionCallerKey, out var previous)
            && previous is ConnectionCaller last && now < last.Until
            && (ReferenceEquals(last.Authorization, authorization) || string.Equals(last.Authorization, authorization, StringComparison.Ordinal)))
        {
            // The same passport again on a keep-alive connection (Kestrel even reuses the header's string): no hash.
            found = last.Caller;
        }
        else
        {
            found = await authenticator.AuthenticateAsync(authorization, ClientKey(context.Connection.RemoteIpAddress),
                context.RequestServices.GetRequiredService<PublicBaseUrl>().For(context.Request), cancellationToken);
            if (found.Passport is { } passport && connection is not null)
            {
                var until = now + ConnectionReuse;
                connection[ConnectionCallerKey] = new ConnectionCaller(authorization, found, passport.ExpiresAt < until ? passport.ExpiresAt : until);
            }
        }

        caller = found;
        return found;
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

    /// <summary>Whose query budget this request spends (<see cref="QueryBudgets.IdentityOf(Caller, IPAddress?)"/>).</summary>
    public string BudgetIdentity(Caller caller) => QueryBudgets.IdentityOf(caller, context.Connection.RemoteIpAddress);

    /// <summary>Decides access to <paramref name="dataset"/> for <paramref name="caller"/> now, under the node's policy.</summary>
    public AccessDecision Decide(Caller caller, Dataset dataset) => decisions.Decide(caller, dataset);

    /// <summary>
    /// The id of this request in the audit table (<c>request_id</c>) and in the node's logs: Kestrel's request id, unique
    /// per process and, since it starts from the clock, across restarts.
    /// </summary>
    public string RequestId => context.TraceIdentifier;

    /// <summary>
    /// Sends a decision to the audit table, with the request's client address and id; completes once it is durable, and
    /// throws <see cref="AuditUnavailableException"/> when it cannot be recorded in time (the request is then refused).
    /// </summary>
    public Task AuditAsync(
        Caller caller, string resource, AccessDecision decision, bool allowed, string access, string? ticket = null, AuditDetails? details = null) =>
        AuditAsync(caller, resource, [new AuditedDecision(decision, allowed, access, details)], ticket);

    /// <summary>
    /// Sends the decisions of this request (one per dataset it considered) to the audit table together: they are written
    /// in one transaction, all or none, in this order. Completes once they are durable; throws
    /// <see cref="AuditUnavailableException"/> when they cannot be recorded in time.
    /// </summary>
    public Task AuditAsync(Caller caller, string resource, IReadOnlyList<AuditedDecision> decisions, string? ticket = null)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        // The answer names its rows, so a caller (or a test) can find them in an export.
        if (!context.Response.HasStarted)
        {
            context.Response.Headers[RequestIdHeader] = RequestId;
        }

        var client = context.Connection.RemoteIpAddress?.ToString();
        var entries = new AuditEntry[decisions.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var (decision, allowed, access, details) = decisions[i];
            entries[i] = audit.Entry(caller, client, resource, decision, allowed, access, ticket, details, RequestId);
        }

        return audit.RecordAsync(entries, context.RequestAborted);
    }

    /// <summary>The response header that carries <see cref="RequestId"/> on every answer that wrote audit rows.</summary>
    public const string RequestIdHeader = "X-Request-Id";

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

/// <summary>One decision of a request for the audit: allowed or not, at what level, and what was asked and answered.</summary>
public sealed record AuditedDecision(AccessDecision Decision, bool Allowed, string Access, AuditDetails? Details = null);
