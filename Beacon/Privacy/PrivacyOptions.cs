using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Privacy;

/// <summary>
/// Configuration section <c>Privacy</c>: what Beacon answers may reveal, per access tier and per dataset. Every setting
/// left out takes its tier's safe default (<see cref="DatasetPrivacy.DefaultFor"/>); docs/privacy.md says why each is
/// what it is.
/// </summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    public PrivacyRuleOptions Public { get; set; } = new();
    public PrivacyRuleOptions Registered { get; set; } = new();
    public PrivacyRuleOptions Controlled { get; set; } = new();

    /// <summary>Per-dataset rules, by dataset id ignoring letter case; each setting given overrides its tier's.</summary>
    public Dictionary<string, PrivacyRuleOptions> Datasets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why the per-dataset rules cannot start the node: each key naming none of <paramref name="datasets"/> (a typo would leave its dataset on its tier's rules).</summary>
    public IReadOnlyList<string> UnknownDatasetSettings(IEnumerable<Dataset> datasets)
    {
        var known = datasets.Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. Datasets.Keys.Where(id => !known.Contains(id)).Order(StringComparer.Ordinal)
            .Select(id => $"{Section}:Datasets:{id} names no dataset of this node (ids compare ignoring letter case); correct the id or remove the setting")];
    }

    public PrivacyRuleOptions For(AccessTier tier) => tier switch
    {
        AccessTier.Public => Public,
        AccessTier.Registered => Registered,
        _ => Controlled,
    };
}

/// <summary>
/// One tier's or one dataset's rules; null settings fall back (dataset, then tier, then the tier's default). Lists are
/// nullable rather than pre-filled because configuration binding appends to a filled list instead of replacing it.
/// </summary>
public sealed class PrivacyRuleOptions
{
    /// <summary>Query kinds (<see cref="QueryKind"/> names) callers without a passport may run.</summary>
    public string[]? AnonymousQueries { get; set; }

    /// <summary>Query kinds callers with an accepted passport but without the dataset's grant may run.</summary>
    public string[]? RegisteredQueries { get; set; }

    /// <summary>Query kinds callers holding the dataset's grant may run.</summary>
    public string[]? GrantedQueries { get; set; }

    /// <summary>
    /// k: the least count answered as it is to a caller without the grant. Counts from 1 to k - 1 are answered as
    /// <see cref="SmallCounts"/> says, and with <see cref="RareAlleles"/> an allele seen in fewer than k individuals is
    /// hidden or answered as a boolean. 0 turns both off.
    /// </summary>
    public int? MinimumCount { get; set; }

    /// <summary><c>zero</c>: a count below k is answered as 0 (a miss); <c>fewerThan</c>: as "fewer than k" (a boolean hit).</summary>
    public string? SmallCounts { get; set; }

    /// <summary>Counts are rounded to the nearest multiple of this (a positive count never to 0); 0 or 1 answers them exactly.</summary>
    public int? RoundCountsTo { get; set; }

    /// <summary>
    /// An allele seen in fewer than k individuals: <c>hide</c> (it does not match, as if absent), <c>boolean</c> (a hit
    /// on it is answered as a boolean) or <c>show</c>.
    /// </summary>
    public string? RareAlleles { get; set; }

    /// <summary>Settings in <paramref name="over"/> win; the rest come from this.</summary>
    internal PrivacyRuleOptions OverriddenBy(PrivacyRuleOptions? over) => over is null ? this : new PrivacyRuleOptions
    {
        AnonymousQueries = over.AnonymousQueries ?? AnonymousQueries,
        RegisteredQueries = over.RegisteredQueries ?? RegisteredQueries,
        GrantedQueries = over.GrantedQueries ?? GrantedQueries,
        MinimumCount = over.MinimumCount ?? MinimumCount,
        SmallCounts = over.SmallCounts ?? SmallCounts,
        RoundCountsTo = over.RoundCountsTo ?? RoundCountsTo,
        RareAlleles = over.RareAlleles ?? RareAlleles,
    };
}

internal sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
    {
        var failures = new List<string>();
        foreach (var tier in Enum.GetValues<AccessTier>())
        {
            Check(failures, $"{PrivacyOptions.Section}:{tier}", options.For(tier));
        }

        foreach (var (id, rules) in options.Datasets)
        {
            Check(failures, $"{PrivacyOptions.Section}:Datasets:{id}", rules);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string key, PrivacyRuleOptions rules)
    {
        foreach (var (name, kinds) in new[] { ("AnonymousQueries", rules.AnonymousQueries), ("RegisteredQueries", rules.RegisteredQueries), ("GrantedQueries", rules.GrantedQueries) })
        {
            foreach (var kind in kinds ?? [])
            {
                if (!QueryKinds.TryParse(kind, out _))
                {
                    failures.Add($"{key}:{name} names '{kind}': query kinds are {string.Join(", ", QueryKinds.All.Select(k => k.ToName()))}");
                }
            }
        }

        if (rules.MinimumCount is < 0 or > 1_000_000)
        {
            failures.Add($"{key}:MinimumCount must be from 0 to 1000000 (got {rules.MinimumCount})");
        }

        if (rules.RoundCountsTo is < 0 or > 1_000_000)
        {
            failures.Add($"{key}:RoundCountsTo must be from 0 to 1000000 (got {rules.RoundCountsTo})");
        }

        if (rules.SmallCounts is { } small && !DatasetPrivacy.TryParseSmallCounts(small, out _))
        {
            failures.Add($"{key}:SmallCounts must be zero or fewerThan, not '{small}'");
        }

        if (rules.RareAlleles is { } rare && !DatasetPrivacy.TryParseRareAlleles(rare, out _))
        {
            failures.Add($"{key}:RareAlleles must be hide, boolean or show, not '{rare}'");
        }
    }
}
