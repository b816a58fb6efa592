using GenomeNode.Passport.Access;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>Beacon's part of the visibility rule: a dataset whose ceiling for the caller is <c>none</c> is hidden.</summary>
internal sealed class BeaconDisclosure(IOptions<BeaconOptions> options) : IDatasetDisclosure
{
    public bool MayRevealExistence(Dataset dataset, bool granted)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return options.Value.Ceiling(dataset.Id, dataset.Tier, granted) is not null;
    }
}
