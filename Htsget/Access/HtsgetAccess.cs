using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;
using Microsoft.AspNetCore.Http;

namespace GenomeNode.Htsget.Access;

/// <summary>Whether a caller may have tickets for an object.</summary>
public enum HtsgetAccessDecision
{
    Granted,

    /// <summary>Credentials are needed (or those given are not accepted): 401 InvalidAuthentication.</summary>
    Unauthenticated,

    /// <summary>The caller is known but holds no grant for the object's dataset: 403 PermissionDenied.</summary>
    Forbidden,
}

/// <summary>Decides who may have tickets for an object; the Passport issue replaces the default with visa checks.</summary>
public interface IHtsgetAccessPolicy
{
    Task<HtsgetAccessDecision> DecideAsync(RegisteredObject registered, HttpContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Until passport visas are checked: objects of PUBLIC datasets stream without credentials, all others need
/// credentials this node cannot yet verify.
/// </summary>
public sealed class PublicDatasetsOnly(DatasetCatalog catalog) : IHtsgetAccessPolicy
{
    public async Task<HtsgetAccessDecision> DecideAsync(RegisteredObject registered, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var dataset = await catalog.FindAsync(registered.DatasetId, cancellationToken);
        return Decide(dataset?.Tier);
    }

    /// <summary>The rule itself: PUBLIC is granted, any other tier (or a dataset no longer in the catalog) needs credentials.</summary>
    public static HtsgetAccessDecision Decide(AccessTier? tier) =>
        tier == AccessTier.Public ? HtsgetAccessDecision.Granted : HtsgetAccessDecision.Unauthenticated;
}
