using System.Collections.Concurrent;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Privacy;

/// <summary>
/// Each dataset's rules, resolved from the configuration (read once, at start) on first use and kept: every query
/// asks for the rules of every dataset it reaches.
/// </summary>
public sealed class PrivacyRules(IOptions<PrivacyOptions> options)
{
    private readonly ConcurrentDictionary<(string Id, AccessTier Tier), DatasetPrivacy> resolved = new();

    public DatasetPrivacy For(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return resolved.GetOrAdd((dataset.Id, dataset.Tier), key => DatasetPrivacy.Resolve(options.Value, key.Id, key.Tier));
    }
}
