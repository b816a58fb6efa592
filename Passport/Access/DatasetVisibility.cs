using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Passport.Access;

/// <summary>
/// How much a module that answers about datasets lets a caller learn of one: Beacon says so from its granularity
/// ceilings (<c>none</c> hides a dataset). Registered by that module; <see cref="DatasetVisibility"/> asks every one.
/// </summary>
public interface IDatasetDisclosure
{
    /// <summary>False when a caller, holding the dataset's grant or not, may not even learn that it exists.</summary>
    bool MayRevealExistence(Dataset dataset, bool granted);
}

/// <summary>
/// The node's one rule for which datasets a caller may learn exist, used by every endpoint that names a dataset: a
/// dataset is visible unless a disclosure policy hides it from this caller (from callers without its grant, usually).
/// A hidden dataset is answered exactly as an unknown id, so that the answer does not tell them apart.
/// </summary>
/// <param name="catalog">the catalog held in memory; without it every lookup reads the database</param>
public sealed class DatasetVisibility(IEnumerable<IDatasetDisclosure> disclosures, CatalogSnapshot? catalog = null)
{
    private readonly IDatasetDisclosure[] disclosures = [.. disclosures];

    public bool IsVisible(Dataset dataset, AccessDecision decision)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(decision);
        foreach (var disclosure in disclosures)
        {
            if (!disclosure.MayRevealExistence(dataset, decision.Granted))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether an anonymous caller may learn that the dataset exists (what a public catalogue such as the FAIR Data
    /// Point may list): public datasets are everyone's, others are held by no anonymous caller.
    /// </summary>
    public bool IsVisibleToAnonymous(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var grant = dataset.Tier == AccessTier.Public ? AccessGrant.Public : AccessGrant.None;
        return IsVisible(dataset, new AccessDecision(dataset.Id, grant, "anonymous"));
    }

    /// <summary>
    /// The dataset named <paramref name="datasetId"/> with the caller's access decision, or null when no dataset has
    /// the id or it is hidden from this caller (a refused token counts as no grant).
    /// </summary>
    public async Task<(Dataset Dataset, AccessDecision Decision)?> FindVisibleAsync(
        RequestAccess access, Func<DatasetCatalog> open, string datasetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(open);
        var found = catalog is null ? await open().FindAsync(datasetId, cancellationToken) : await catalog.FindAsync(open, datasetId, cancellationToken);
        if (found is not { } dataset)
        {
            return null;
        }

        var caller = await access.CallerAsync(cancellationToken);
        var decision = access.Decide(caller.Rejection is null ? caller : Caller.Anonymous, dataset);
        return IsVisible(dataset, decision) ? (dataset, decision) : null;
    }
}
