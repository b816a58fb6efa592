using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Htsget.Access;

/// <summary>Whether a caller may have tickets for an object.</summary>
public enum HtsgetAccessDecision
{
    Granted,

    /// <summary>Credentials are needed (or those given are not accepted): 401 InvalidAuthentication.</summary>
    Unauthenticated,

    /// <summary>The caller is known but holds no grant for the object's dataset: 403 PermissionDenied.</summary>
    Forbidden,

    /// <summary>The object's dataset is hidden from this caller: answered exactly as an unknown id (404 NotFound).</summary>
    Hidden,
}

/// <summary>
/// A decision with the message the htsget error carries, for 401 the <c>WWW-Authenticate</c> challenge, and what the
/// audit records of it (<see cref="Audited"/>, null when no decision could be made).
/// </summary>
public sealed record HtsgetAccess(HtsgetAccessDecision Decision, string Message, string? Challenge = null)
{
    public static HtsgetAccess Granted { get; } = new(HtsgetAccessDecision.Granted, "granted");

    /// <summary>The caller and the decision as the audit row names them; the ticket's service records it with what it answered.</summary>
    public HtsgetAuditedAccess? Audited { get; init; }
}

/// <summary>Who asked for which object, and the access decision as the audit records it.</summary>
public sealed record HtsgetAuditedAccess(Caller Caller, string Resource, AuditedDecision Decision);

/// <summary>Decides who may have tickets for an object; the ticket's service audits each decision with what it answered.</summary>
public interface IHtsgetAccessPolicy
{
    /// <param name="registered">The object asked for.</param>
    /// <param name="dataset">The object's dataset as the catalog has it; null when it is no longer there.</param>
    /// <param name="access">The request's caller and decisions.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    Task<HtsgetAccess> DecideAsync(RegisteredObject registered, Dataset? dataset, RequestAccess access, CancellationToken cancellationToken);
}

/// <summary>
/// The node's rule for reads and variants: the object's dataset decides (public: everyone; registered: Registered
/// Access visas; controlled: a ControlledAccessGrants visa for it). No token for a non-public dataset is 401, a refused
/// token is 401 with the reason, a valid passport without the grant is 403. Every decision carries its audit row.
/// </summary>
public sealed class PassportAccessPolicy(DatasetVisibility visibility) : IHtsgetAccessPolicy
{
    public async Task<HtsgetAccess> DecideAsync(RegisteredObject registered, Dataset? dataset, RequestAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(access);
        var caller = await access.CallerAsync(cancellationToken);
        var resource = $"htsget:{(registered.Kind == HtsgetKind.Reads ? "reads" : "variants")}/{registered.ObjectId}";
        if (caller.Rejection is { } rejection)
        {
            var refused = new HtsgetAuditedAccess(caller, resource,
                new AuditedDecision(new AccessDecision(registered.DatasetId, AccessGrant.None, $"token refused: {rejection}"), false, "none"));
            // A refused token must not tell a hidden object from an unknown one either.
            return (dataset is not null && !visibility.IsVisible(dataset, access.Decide(Caller.Anonymous, dataset))
                ? Hidden
                : new HtsgetAccess(HtsgetAccessDecision.Unauthenticated, $"The bearer token was not accepted ({rejection}).", RequestAccess.Challenge(rejection)))
                with { Audited = refused };
        }

        if (dataset is null)
        {
            return new HtsgetAccess(HtsgetAccessDecision.Forbidden, $"The dataset of object '{registered.ObjectId}' is no longer in the catalog.");
        }

        var decision = access.Decide(caller, dataset);
        var audited = new HtsgetAuditedAccess(caller, resource, new AuditedDecision(decision, decision.Granted, decision.Granted ? "stream" : "none"));
        return Decide(registered, dataset, caller, decision) with { Audited = audited };
    }

    private HtsgetAccess Decide(RegisteredObject registered, Dataset dataset, Caller caller, AccessDecision decision)
    {
        if (!visibility.IsVisible(dataset, decision))
        {
            return Hidden;
        }

        if (decision.Granted)
        {
            return HtsgetAccess.Granted;
        }

        return caller.IsAnonymous
            ? new HtsgetAccess(HtsgetAccessDecision.Unauthenticated,
                $"Object '{registered.ObjectId}' belongs to a {dataset.Tier.ToName()} dataset: send a GA4GH passport (or an access token of a trusted broker) as a Bearer token.",
                RequestAccess.Challenge(null))
            : new HtsgetAccess(HtsgetAccessDecision.Forbidden, $"No grant for the dataset of object '{registered.ObjectId}': {decision.Reason}.");
    }

    private static HtsgetAccess Hidden { get; } = new(HtsgetAccessDecision.Hidden, "hidden");
}
