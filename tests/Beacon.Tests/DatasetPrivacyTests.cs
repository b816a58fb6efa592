using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Requests;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Tests;

/// <summary>The privacy rules as pure functions: defaults per tier, overrides, and what they make of a count.</summary>
public sealed class DatasetPrivacyTests
{
    private static readonly VariantNarrowing None = VariantNarrowing.None;

    [Fact]
    public void Every_query_shape_has_a_kind_and_a_sequence_query_without_alternate_bases_is_a_range()
    {
        Assert.Equal(QueryKind.Sequence, QueryKinds.Of(new SequenceQuery(null, "1", 10, 11, "A", "G", null)));
        Assert.Equal(QueryKind.Sequence, QueryKinds.Of(new SequenceQuery(null, "1", 10, 11, null, "G", null)));
        Assert.Equal(QueryKind.Sequence, QueryKinds.Of(new VariantIdQuery(null, "1", 10, "A", "G")));
        Assert.Equal(QueryKind.Range, QueryKinds.Of(new SequenceQuery(null, "1", 10, 11, null, null, null)));
        Assert.Equal(QueryKind.Range, QueryKinds.Of(new SequenceQuery(null, "1", 10, 11, "A", null, ["SNP"])));
        Assert.Equal(QueryKind.Hgvs, QueryKinds.Of(new GenomicAlleleQuery(null, "1", 10, 12, null, "DEL", null)));
        Assert.Equal(QueryKind.Range, QueryKinds.Of(new RangeQuery(null, "1", 0, 100, null, None)));
        Assert.Equal(QueryKind.Bracket, QueryKinds.Of(new BracketQuery(null, "1", 0, 10, 20, 30, null, None)));
        Assert.Equal(QueryKind.Gene, QueryKinds.Of(new GeneQuery(null, "BRCA1", None)));
    }

    [Theory]
    [InlineData(AccessTier.Registered)]
    [InlineData(AccessTier.Controlled)]
    public void By_default_callers_without_the_grant_run_exact_allele_queries_only_on_registered_and_controlled_datasets(AccessTier tier)
    {
        var rules = DatasetPrivacy.Resolve(new PrivacyOptions(), "d", tier);
        foreach (var kind in QueryKinds.All)
        {
            Assert.Equal(kind == QueryKind.Sequence, rules.Allows(CallerStanding.Anonymous, kind));
            Assert.Equal(kind == QueryKind.Sequence, rules.Allows(CallerStanding.Registered, kind));
            Assert.True(rules.Allows(CallerStanding.Granted, kind));
        }

        Assert.Equal(5, rules.HiddenBelow(CallerStanding.Anonymous));
        Assert.Equal(0, rules.HiddenBelow(CallerStanding.Granted));
        Assert.Contains("range queries are not answered on dataset 'd'", rules.Refusal(CallerStanding.Anonymous, QueryKind.Range, "d", tier), StringComparison.Ordinal);
        Assert.Contains("sequence queries only", rules.Refusal(CallerStanding.Anonymous, QueryKind.Range, "d", tier), StringComparison.Ordinal);
    }

    [Fact]
    public void Public_datasets_answer_every_shape_exactly()
    {
        var rules = DatasetPrivacy.Resolve(new PrivacyOptions(), "d", AccessTier.Public);
        Assert.All(QueryKinds.All, kind => Assert.True(rules.Allows(CallerStanding.Anonymous, kind)));
        Assert.Equal(new CountAnswer(3, false, null, CountPrecision.Exact), rules.Answer(CallerStanding.Anonymous, 3, 1));
        Assert.Empty(rules.Statements(CallerStanding.Anonymous));
    }

    [Fact]
    public void A_dataset_setting_overrides_its_tier_and_the_tier_its_default()
    {
        var options = new PrivacyOptions
        {
            Controlled = new PrivacyRuleOptions { MinimumCount = 10, AnonymousQueries = ["sequence", "gene"] },
            Datasets = new(StringComparer.OrdinalIgnoreCase) { ["open"] = new PrivacyRuleOptions { AnonymousQueries = ["range"], RoundCountsTo = 5 } },
        };
        var tier = DatasetPrivacy.Resolve(options, "other", AccessTier.Controlled);
        Assert.True(tier.Allows(CallerStanding.Anonymous, QueryKind.Gene));
        Assert.Equal(10, tier.MinimumCount);
        Assert.Equal(RareAlleleAnswer.Hide, tier.RareAlleles);

        var dataset = DatasetPrivacy.Resolve(options, "OPEN", AccessTier.Controlled);
        Assert.True(dataset.Allows(CallerStanding.Anonymous, QueryKind.Range));
        Assert.False(dataset.Allows(CallerStanding.Anonymous, QueryKind.Gene));
        Assert.Equal(10, dataset.MinimumCount);
        Assert.Equal(5, dataset.RoundCountsTo);
    }

    [Fact]
    public void Counts_below_k_are_answered_as_zero_or_as_fewer_than_k_and_granted_callers_get_them_exactly()
    {
        var zero = DatasetPrivacy.DefaultFor(AccessTier.Controlled) with { RareAlleles = RareAlleleAnswer.Show };
        Assert.Equal(new CountAnswer(0, false, "count 4 (< 5) answered as 0", CountPrecision.Imprecise), zero.Answer(CallerStanding.Anonymous, 4, 30));
        Assert.Equal(new CountAnswer(5, false, null, CountPrecision.Exact), zero.Answer(CallerStanding.Anonymous, 5, 30));
        Assert.Equal(new CountAnswer(4, false, null, CountPrecision.Exact), zero.Answer(CallerStanding.Granted, 4, 1));

        var fewer = zero with { SmallCounts = SmallCountAnswer.FewerThan };
        var answer = fewer.Answer(CallerStanding.Registered, 2, 30);
        Assert.True(answer.BooleanOnly);
        Assert.Equal("count 2 (< 5) answered as fewer than 5", answer.Adjustment);
    }

    [Fact]
    public void Rounding_goes_to_the_nearest_multiple_and_never_turns_a_hit_into_zero()
    {
        var rules = DatasetPrivacy.DefaultFor(AccessTier.Controlled) with { MinimumCount = 0, RoundCountsTo = 10 };
        Assert.Equal(10, rules.Answer(CallerStanding.Anonymous, 1, 30).Count);
        Assert.Equal(10, rules.Answer(CallerStanding.Anonymous, 14, 30).Count);
        Assert.Equal(20, rules.Answer(CallerStanding.Anonymous, 15, 30).Count);
        Assert.Equal(CountPrecision.Rounded, rules.Answer(CallerStanding.Anonymous, 15, 30).Precision);
        Assert.Equal("count 15 rounded to 20", rules.Answer(CallerStanding.Anonymous, 15, 30).Adjustment);
        Assert.Equal(0, rules.Answer(CallerStanding.Anonymous, 0, 0).Count);
    }

    [Fact]
    public void An_allele_seen_in_fewer_than_k_individuals_can_be_answered_as_a_boolean()
    {
        var rules = DatasetPrivacy.DefaultFor(AccessTier.Controlled) with { RareAlleles = RareAlleleAnswer.Boolean };
        Assert.Equal(0, rules.HiddenBelow(CallerStanding.Anonymous));
        Assert.True(rules.Answer(CallerStanding.Anonymous, 12, 3).BooleanOnly);
        Assert.False(rules.Answer(CallerStanding.Anonymous, 12, 5).BooleanOnly);
        Assert.Contains("alleles seen in fewer than 5 individuals are answered as booleans", rules.Statements(CallerStanding.Anonymous));
    }

    [Fact]
    public void What_a_response_says_of_the_rules_does_not_depend_on_whether_they_changed_it()
    {
        var rules = DatasetPrivacy.DefaultFor(AccessTier.Controlled);
        var statements = rules.Statements(CallerStanding.Anonymous);
        Assert.Equal(["counts below 5 are answered as 0", "alleles seen in fewer than 5 individuals are answered as absent"], statements);
        Assert.Empty(rules.Statements(CallerStanding.Granted));
        Assert.Equal(CountPrecision.Imprecise, rules.Precision(CallerStanding.Anonymous));
        Assert.Equal(CountPrecision.Exact, rules.Precision(CallerStanding.Granted));
    }
}
