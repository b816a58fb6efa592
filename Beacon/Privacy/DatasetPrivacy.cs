using System.Globalization;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Privacy;

/// <summary>Who asks, as privacy rules tell callers apart for one dataset.</summary>
public enum CallerStanding
{
    /// <summary>No passport.</summary>
    Anonymous,

    /// <summary>An accepted passport without the dataset's grant.</summary>
    Registered,

    /// <summary>The dataset's grant (its Registered Access visas, or a ControlledAccessGrants visa for it).</summary>
    Granted,
}

public enum SmallCountAnswer
{
    Zero,
    FewerThan,
}

public enum RareAlleleAnswer
{
    Hide,
    Boolean,
    Show,
}

/// <summary>
/// One dataset's privacy rules, resolved (dataset setting, else tier setting, else the tier's default), and what they
/// make of an answer: pure functions, so each rule is tested without a node. Thresholds and rounding apply to callers
/// without the dataset's grant: a granted caller sees records, which state the exact counts anyway.
/// </summary>
public sealed record DatasetPrivacy(
    IReadOnlySet<QueryKind> AnonymousQueries,
    IReadOnlySet<QueryKind> RegisteredQueries,
    IReadOnlySet<QueryKind> GrantedQueries,
    int MinimumCount,
    SmallCountAnswer SmallCounts,
    int RoundCountsTo,
    RareAlleleAnswer RareAlleles)
{
    private static readonly HashSet<QueryKind> Every = [.. QueryKinds.All];
    private static readonly HashSet<QueryKind> ExactAllele = [QueryKind.Sequence];

    /// <summary>
    /// The built-in rules: public datasets answer every query exactly; on registered and controlled datasets callers
    /// without the grant may ask for exact alleles only (range, bracket and gene queries recover a variant list by
    /// bisection), counts below 5 are answered as 0 and alleles seen in fewer than 5 individuals are hidden (the
    /// membership attacks draw their power from rare alleles).
    /// </summary>
    public static DatasetPrivacy DefaultFor(AccessTier tier) => tier == AccessTier.Public
        ? new DatasetPrivacy(Every, Every, Every, 0, SmallCountAnswer.Zero, 0, RareAlleleAnswer.Show)
        : new DatasetPrivacy(ExactAllele, ExactAllele, Every, 5, SmallCountAnswer.Zero, 0, RareAlleleAnswer.Hide);

    /// <summary>The rules of a dataset under <paramref name="options"/> (validated at start).</summary>
    public static DatasetPrivacy Resolve(PrivacyOptions options, string datasetId, AccessTier tier)
    {
        ArgumentNullException.ThrowIfNull(options);
        var given = options.For(tier).OverriddenBy(options.Datasets.GetValueOrDefault(datasetId));
        var defaults = DefaultFor(tier);
        return new DatasetPrivacy(
            Kinds(given.AnonymousQueries) ?? defaults.AnonymousQueries,
            Kinds(given.RegisteredQueries) ?? defaults.RegisteredQueries,
            Kinds(given.GrantedQueries) ?? defaults.GrantedQueries,
            given.MinimumCount ?? defaults.MinimumCount,
            given.SmallCounts is { } small && TryParseSmallCounts(small, out var smallCounts) ? smallCounts : defaults.SmallCounts,
            given.RoundCountsTo ?? defaults.RoundCountsTo,
            given.RareAlleles is { } rare && TryParseRareAlleles(rare, out var rareAlleles) ? rareAlleles : defaults.RareAlleles);
    }

    public bool Allows(CallerStanding caller, QueryKind kind) => caller switch
    {
        CallerStanding.Anonymous => AnonymousQueries.Contains(kind),
        CallerStanding.Registered => RegisteredQueries.Contains(kind),
        _ => GrantedQueries.Contains(kind),
    };

    /// <summary>Why <paramref name="kind"/> is refused to <paramref name="caller"/> on a dataset of <paramref name="tier"/>.</summary>
    public string Refusal(CallerStanding caller, QueryKind kind, string datasetId, AccessTier tier)
    {
        var who = caller switch
        {
            CallerStanding.Anonymous => "callers without a passport",
            CallerStanding.Registered => "callers without its access grant",
            _ => "any caller",
        };
        var allowed = caller switch
        {
            CallerStanding.Anonymous => AnonymousQueries,
            CallerStanding.Registered => RegisteredQueries,
            _ => GrantedQueries,
        };
        var may = allowed.Count == 0 ? "no query" : string.Join(", ", QueryKinds.All.Where(allowed.Contains).Select(k => k.ToName())) + " queries only";
        return $"{kind.ToName()} queries are not answered on dataset '{datasetId}' ({tier.ToString().ToLowerInvariant()} access) for {who}: they may run {may}";
    }

    /// <summary>
    /// The least number of individuals an allele must be seen in to match for <paramref name="caller"/> (0: every
    /// allele matches).
    /// </summary>
    public int HiddenBelow(CallerStanding caller) => caller != CallerStanding.Granted && RareAlleles == RareAlleleAnswer.Hide ? MinimumCount : 0;

    /// <summary>
    /// What a dataset's count of matching alleles (rare ones already left out when hidden) is answered as.
    /// <paramref name="fewestSeenIn"/> is the fewest individuals any matching allele is seen in; thresholds and rounding
    /// apply only when the answer shows counts (<paramref name="countsShown"/>): a boolean shows none.
    /// </summary>
    public CountAnswer Answer(CallerStanding caller, long count, int fewestSeenIn, bool countsShown = true)
    {
        if (caller == CallerStanding.Granted || count == 0 || !countsShown)
        {
            return new CountAnswer(count, false, null, CountPrecision.Exact);
        }

        var k = MinimumCount;
        if (k > 0 && RareAlleles == RareAlleleAnswer.Boolean && fewestSeenIn < k)
        {
            return new CountAnswer(count, true, string.Create(CultureInfo.InvariantCulture, $"an allele seen in {fewestSeenIn} (< {k}) individuals: answered as a boolean"),
                CountPrecision.Imprecise);
        }

        if (k > 0 && count < k)
        {
            return SmallCounts == SmallCountAnswer.Zero
                ? new CountAnswer(0, false, string.Create(CultureInfo.InvariantCulture, $"count {count} (< {k}) answered as 0"), CountPrecision.Imprecise)
                : new CountAnswer(count, true, string.Create(CultureInfo.InvariantCulture, $"count {count} (< {k}) answered as fewer than {k}"), CountPrecision.Imprecise);
        }

        if (RoundCountsTo > 1)
        {
            var rounded = Math.Max(RoundCountsTo, (long)Math.Round((double)count / RoundCountsTo, MidpointRounding.AwayFromZero) * RoundCountsTo);
            return new CountAnswer(rounded, false,
                rounded == count ? null : string.Create(CultureInfo.InvariantCulture, $"count {count} rounded to {rounded}"), CountPrecision.Rounded);
        }

        return new CountAnswer(count, false, null, CountPrecision.Exact);
    }

    /// <summary>
    /// What every answer about this dataset to <paramref name="caller"/> says of these rules, whether or not they
    /// changed this answer: saying it only when they did would tell a rare allele or a small count from none.
    /// </summary>
    public IReadOnlyList<string> Statements(CallerStanding caller, bool countsShown = true)
    {
        if (caller == CallerStanding.Granted)
        {
            return [];
        }

        var statements = new List<string>();
        var k = MinimumCount;
        if (k > 0)
        {
            if (countsShown)
            {
                statements.Add(SmallCounts == SmallCountAnswer.Zero
                    ? $"counts below {k} are answered as 0"
                    : $"counts below {k} are answered as fewer than {k}, as a boolean");
            }

            if (RareAlleles == RareAlleleAnswer.Hide)
            {
                statements.Add($"alleles seen in fewer than {k} individuals are answered as absent");
            }
            else if (RareAlleles == RareAlleleAnswer.Boolean)
            {
                statements.Add($"alleles seen in fewer than {k} individuals are answered as booleans");
            }
        }

        if (RoundCountsTo > 1 && countsShown)
        {
            statements.Add($"counts are rounded to the nearest multiple of {RoundCountsTo}");
        }

        return statements;
    }

    /// <summary>
    /// The fewest individuals a population must hold for <paramref name="caller"/> to be given its frequencies in records
    /// (0: any): smaller groups are left out for callers without the grant, as small counts are.
    /// </summary>
    public int SmallestPopulation(CallerStanding caller) => caller == CallerStanding.Granted ? 0 : MinimumCount;

    /// <summary>How precise the counts this caller is given are (Beacon v2.2's <c>countPrecision</c>).</summary>
    public CountPrecision Precision(CallerStanding caller) =>
        caller == CallerStanding.Granted ? CountPrecision.Exact
        : RoundCountsTo > 1 ? CountPrecision.Rounded
        : MinimumCount > 0 ? CountPrecision.Imprecise
        : CountPrecision.Exact;

    internal static bool TryParseSmallCounts(string text, out SmallCountAnswer answer) =>
        TryParseName(text, out answer, ("zero", SmallCountAnswer.Zero), ("fewerThan", SmallCountAnswer.FewerThan));

    internal static bool TryParseRareAlleles(string text, out RareAlleleAnswer answer) =>
        TryParseName(text, out answer, ("hide", RareAlleleAnswer.Hide), ("boolean", RareAlleleAnswer.Boolean), ("show", RareAlleleAnswer.Show));

    private static bool TryParseName<T>(string text, out T value, params (string Name, T Value)[] names)
    {
        foreach (var (name, candidate) in names)
        {
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default!;
        return false;
    }

    private static HashSet<QueryKind>? Kinds(string[]? names) =>
        names is null ? null : [.. names.Select(name => QueryKinds.TryParse(name, out var kind) ? kind : throw new ArgumentException($"unknown query kind '{name}'"))];
}

/// <summary>Beacon v2.2's <c>countPrecision</c>.</summary>
public enum CountPrecision
{
    Exact,
    Imprecise,
    Rounded,
}

/// <summary>
/// A dataset's count as answered: the count, whether the dataset is answered as a boolean only, what was adjusted (for
/// the audit; null when nothing), and the count's precision.
/// </summary>
public sealed record CountAnswer(long Count, bool BooleanOnly, string? Adjustment, CountPrecision Precision);
