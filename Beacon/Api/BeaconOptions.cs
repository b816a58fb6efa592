using GenomeNode.Beacon.Requests;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>The organisation running the beacon (Beacon info's <c>organization</c>).</summary>
public sealed class BeaconOrganizationOptions
{
    public string Id { get; set; } = "org.example";
    public string Name { get; set; } = "Unconfigured Genome Node operator";
    public string? Description { get; set; }
    public string? Address { get; set; }
    public string? WelcomeUrl { get; set; } = "https://example.org";
    public string? ContactUrl { get; set; }
    public string? LogoUrl { get; set; }
}

/// <summary>The most a caller without the dataset's grant may see of it; "none" hides it from such callers.</summary>
public sealed class BeaconTierGranularityOptions
{
    public string Public { get; set; } = "record";
    public string Registered { get; set; } = "boolean";
    public string Controlled { get; set; } = "boolean";

    public string For(AccessTier tier) => tier switch
    {
        AccessTier.Public => Public,
        AccessTier.Registered => Registered,
        _ => Controlled,
    };
}

/// <summary>The most a caller whose passport grants a dataset may see of it, per access tier.</summary>
public sealed class BeaconGrantedGranularityOptions
{
    public string Registered { get; set; } = "record";
    public string Controlled { get; set; } = "record";
}

public sealed class BeaconDatasetOptions
{
    /// <summary>boolean, count, record or none: overrides the tier's anonymous granularity for this dataset.</summary>
    public string? MaxGranularity { get; set; }
}

/// <summary>Configuration section <c>Beacon</c>.</summary>
public sealed class BeaconOptions
{
    public const string Section = "Beacon";
    public const string ApiVersion = "v2.1.1";

    /// <summary>Beacon id: unique, reverse domain notation.</summary>
    public string Id { get; set; } = "org.example.genome-node.beacon";
    public string Name { get; set; } = "Genome Node Beacon";
    public string? Description { get; set; } = "Beacon v2 over the node's DuckDB variant store.";
    public string Environment { get; set; } = "dev";
    public string? WelcomeUrl { get; set; }
    public string? AlternativeUrl { get; set; }
    public BeaconOrganizationOptions Organization { get; set; } = new();

    /// <summary>The most callers without a dataset's grant (anonymous ones included) see of it, per access tier.</summary>
    public BeaconTierGranularityOptions AnonymousGranularity { get; set; } = new();

    /// <summary>The most a caller holding the tier's grant (Registered Access visas, a ControlledAccessGrants visa) sees.</summary>
    public BeaconGrantedGranularityOptions GrantedGranularity { get; set; } = new();

    /// <summary>Per-dataset overrides, by dataset id ignoring letter case, as configuration keys compare.</summary>
    public Dictionary<string, BeaconDatasetOptions> Datasets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Granularity when a request names none.</summary>
    public string DefaultGranularity { get; set; } = "boolean";

    /// <summary>Largest <c>limit</c> accepted; a larger one is refused with 400 (a limit of 0 means this maximum).</summary>
    public int MaxLimit { get; set; } = 1000;

    /// <summary>Memory for the variants record answers returned recently (dropped on every data change); 0 keeps none.</summary>
    public int RecordCacheMegabytes { get; set; } = 64;

    /// <summary>
    /// The largest database (MB) whose variant records the node reads into DuckDB's buffers when it builds its Beacon
    /// index (at start and after each data change), so that no record query waits for its blocks' first read; 0 turns
    /// it off. The buffers count against DuckDB's memory limit, which evicts them when it needs the room.
    /// </summary>
    public int PrewarmMegabytes { get; set; } = 4096;

    /// <summary>The settings a request is read against (<see cref="DefaultGranularity"/> is validated at start).</summary>
    public RequestSettings RequestSettings =>
        new(Granularities.TryParse(DefaultGranularity, out var granularity) ? granularity : Granularity.Boolean, MaxLimit);

    /// <summary>
    /// Maps <c>GET /bench/fixed?size=N</c>, a bare endpoint answering N fixed bytes, the peer bench/beacon.sh compares
    /// g_variants throughput with. Off unless set.
    /// </summary>
    public bool BenchmarkEndpoint { get; set; }

    /// <summary>
    /// What a caller may see of a dataset: the tier's granted ceiling when the caller holds a grant for a registered
    /// or controlled dataset, else its anonymous ceiling; null when the dataset is hidden from the caller.
    /// </summary>
    public Granularity? Ceiling(string datasetId, AccessTier tier, bool granted)
    {
        if (granted && tier != AccessTier.Public)
        {
            return Granularities.TryParse(tier == AccessTier.Registered ? GrantedGranularity.Registered : GrantedGranularity.Controlled, out var g) ? g : null;
        }

        return AnonymousCeiling(datasetId, tier);
    }

    /// <summary>
    /// Why the per-dataset settings cannot start the node: each key that names none of <paramref name="datasets"/> (a
    /// typo would leave the dataset it was meant for without its setting, perhaps visible); empty when all apply.
    /// </summary>
    public IReadOnlyList<string> UnknownDatasetSettings(IEnumerable<Dataset> datasets)
    {
        var known = datasets.Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. Datasets.Keys.Where(id => !known.Contains(id)).Order(StringComparer.Ordinal)
            .Select(id => $"{Section}:Datasets:{id} names no dataset of this node (ids compare ignoring letter case); correct the id or remove the setting")];
    }

    /// <summary>The anonymous ceiling for a dataset, or null when anonymous callers may not query it.</summary>
    public Granularity? AnonymousCeiling(string datasetId, AccessTier tier)
    {
        var text = Datasets.TryGetValue(datasetId, out var dataset) && dataset.MaxGranularity is { } own ? own : AnonymousGranularity.For(tier);
        return Granularities.TryParse(text, out var granularity) ? granularity : null;
    }
}

internal sealed class BeaconOptionsValidator : IValidateOptions<BeaconOptions>
{
    private static readonly string[] Environments = ["prod", "test", "dev", "staging"];

    public ValidateOptionsResult Validate(string? name, BeaconOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Id))
        {
            failures.Add("Beacon:Id must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.Name))
        {
            failures.Add("Beacon:Name must not be empty");
        }

        if (!Environments.Contains(options.Environment))
        {
            failures.Add($"Beacon:Environment must be one of {string.Join(", ", Environments)}, not '{options.Environment}'");
        }

        if (string.IsNullOrWhiteSpace(options.Organization.Id) || string.IsNullOrWhiteSpace(options.Organization.Name))
        {
            failures.Add("Beacon:Organization:Id and Beacon:Organization:Name must not be empty");
        }

        CheckGranularity(failures, "Beacon:AnonymousGranularity:Public", options.AnonymousGranularity.Public);
        CheckGranularity(failures, "Beacon:AnonymousGranularity:Registered", options.AnonymousGranularity.Registered);
        CheckGranularity(failures, "Beacon:AnonymousGranularity:Controlled", options.AnonymousGranularity.Controlled);
        CheckGranularity(failures, "Beacon:GrantedGranularity:Registered", options.GrantedGranularity.Registered);
        CheckGranularity(failures, "Beacon:GrantedGranularity:Controlled", options.GrantedGranularity.Controlled);
        foreach (var (id, dataset) in options.Datasets)
        {
            if (dataset.MaxGranularity is { } value)
            {
                CheckGranularity(failures, $"Beacon:Datasets:{id}:MaxGranularity", value);
            }
        }

        if (!Granularities.TryParse(options.DefaultGranularity, out _))
        {
            failures.Add($"Beacon:DefaultGranularity must be boolean, count or record, not '{options.DefaultGranularity}'");
        }

        if (options.RecordCacheMegabytes is < 0 or > 1024 * 1024)
        {
            failures.Add($"Beacon:RecordCacheMegabytes must be from 0 to {1024 * 1024} (got {options.RecordCacheMegabytes})");
        }

        if (options.PrewarmMegabytes is < 0 or > 1024 * 1024)
        {
            failures.Add($"Beacon:PrewarmMegabytes must be from 0 to {1024 * 1024} (got {options.PrewarmMegabytes})");
        }

        if (options.MaxLimit is < 1 or > 100_000)
        {
            failures.Add("Beacon:MaxLimit must be between 1 and 100000");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckGranularity(List<string> failures, string key, string value)
    {
        if (!Granularities.TryParse(value, out _) && !string.Equals(value, "none", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{key} must be boolean, count, record or none, not '{value}'");
        }
    }
}
