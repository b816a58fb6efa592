using GenomeNode.Beacon.Api;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Tests;

/// <summary>Populations from configuration and individuals' documents, and the frequencies a record gives for each.</summary>
public sealed class PopulationFrequenciesTests
{
    private const string Female = """{"id": "F", "sex": {"id": "NCIT:C16576", "label": "female"}}""";
    private const string Male = """{"id": "M", "sex": {"id": "NCIT:C20197", "label": "male"}}""";

    private static readonly IReadOnlyList<PopulationDefinition> Defaults = new PopulationOptions().Definitions();

    /// <summary>Individuals by sample index from documents (null: a VCF sample without a document).</summary>
    private static List<Entry?> Individuals(params string?[] documents) =>
        [.. documents.Select((document, i) => Entry.Of(EntryType.Individual, $"S{i}", i, null, null, document))];

    /// <summary>One VCF holding samples 0..n-1.</summary>
    private static VariantFileSamples[] OneFile(int samples) => [new VariantFileSamples(samples, [.. Enumerable.Range(0, samples)])];

    private static StoredVariant Variant(int alleleCount, int alleleNumber, int[] het, int[] hom, int[]? hemi = null) =>
        new("d", "GRCh38", "17", 100, 101, "G", "A", "SNP", null, alleleCount, alleleNumber, het, hom, hemi ?? [], [], [], [], [], []);

    private static Dictionary<string, PopulationFrequency> ByPopulation(IReadOnlyList<PopulationFrequency> frequencies) =>
        frequencies.ToDictionary(f => f.Population, StringComparer.Ordinal);

    // Samples 0-2 female, 3-4 male, 5 without a document.
    private static DatasetPopulations SixSamples() =>
        DatasetPopulations.Build(Defaults, Individuals(Female, Female, Female, Male, Male, null), OneFile(6));

    [Fact]
    public void By_default_the_populations_are_the_country_its_males_and_its_females()
    {
        var definitions = new PopulationOptions { Country = "SE" }.Definitions();

        Assert.Equal(["SE", "SE_M", "SE_F"], definitions.Select(d => d.Id));
        Assert.True(definitions[0].Condition.IsEveryone);
        Assert.Equal("sex.id=NCIT:C20197", definitions[1].Condition.Text);
        Assert.Equal("sex.id=NCIT:C16576", definitions[2].Condition.Text);
    }

    [Fact]
    public void A_condition_matches_a_term_anywhere_in_the_document_or_a_value_at_a_field_path_and_all_clauses_must_hold()
    {
        var facts = EntryFacts.From(System.Text.Json.JsonDocument.Parse("""
            {"id": "P1", "sex": {"id": "NCIT:C16576"}, "geographicOrigin": {"id": "GAZ:00002937", "label": "Finland"},
             "diseases": [{"diseaseCode": {"id": "NCIT:C4872"}}, {"diseaseCode": {"id": "NCIT:C4908"}}]}
            """).RootElement);

        Assert.True(PopulationCondition.Parse("NCIT:C4908").Matches(facts));
        Assert.True(PopulationCondition.Parse("diseases.diseaseCode.id=NCIT:C4872").Matches(facts));
        Assert.True(PopulationCondition.Parse(" sex.id = NCIT:C16576 & geographicOrigin.id=GAZ:00002937 ").Matches(facts));
        Assert.False(PopulationCondition.Parse("sex.id=NCIT:C16576 & geographicOrigin.id=GAZ:00002650").Matches(facts));
        Assert.False(PopulationCondition.Parse("sex=NCIT:C16576").Matches(facts));
        Assert.False(PopulationCondition.Parse("NCIT:C20197").Matches(facts));
        Assert.True(PopulationCondition.Parse(null).Matches(EntryFacts.None));
        Assert.True(PopulationCondition.Parse("  ").IsEveryone);
    }

    [Theory]
    [InlineData("sex.id", "'sex.id' is neither an ontology term")]
    [InlineData("female", "'female' is neither an ontology term")]
    [InlineData("sex.id=", "'sex.id=' is not field=value")]
    [InlineData("sex..id=NCIT:C16576", "is not field=value")]
    [InlineData("=NCIT:C16576", "is not field=value")]
    [InlineData("NCIT:C16576 && sex.id=NCIT:C16576", "has an empty clause")]
    [InlineData("http://purl.obolibrary.org/obo/NCIT_C16576", "is neither an ontology term")]
    public void A_malformed_condition_is_refused_saying_why(string text, string reason)
    {
        Assert.False(PopulationCondition.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_and_a_valid_list_of_populations_pass_validation()
    {
        var validator = new PopulationOptionsValidator();

        Assert.True(validator.Validate(null, new PopulationOptions()).Succeeded);
        Assert.True(validator.Validate(null, new PopulationOptions
        {
            Populations = [new() { Id = "FI" }, new() { Id = "FI_F", Filter = "sex.id=NCIT:C16576" }, new() { Id = "breast-cancer", Filter = "NCIT:C4872" }],
        }).Succeeded);
    }

    [Fact]
    public void Validation_names_the_key_of_each_bad_setting()
    {
        var result = new PopulationOptionsValidator().Validate(null, new PopulationOptions
        {
            Country = "fin",
            Populations =
            [
                new() { Id = "FI_F", Filter = "sex.id" },
                new() { Id = " ", Filter = "NCIT:C20197" },
                new() { Id = "fi_f" },
                new() { Id = "FI F" },
            ],
        });

        Assert.Equal(
        [
            "Beacon:Country must be an ISO 3166-1 alpha-2 code in capitals, such as FI (got 'fin')",
            "Beacon:Populations:0:Filter 'sex.id' is neither an ontology term (a CURIE such as NCIT:C16576) nor field=value (such as sex.id=NCIT:C16576)",
            "Beacon:Populations:1:Id must not be empty: it is the population's label in records (such as FI_F)",
            "Beacon:Populations:2:Id 'fi_f' repeats Beacon:Populations:0:Id (labels compare ignoring letter case)",
            "Beacon:Populations:3:Id 'FI F' may hold only letters, digits, '_', '-' and '.' (at most 64)",
        ], result.Failures);
    }

    [Fact]
    public void Members_are_the_genotyped_individuals_the_condition_holds_for()
    {
        var populations = SixSamples();

        Assert.Equal(6, populations.Genotyped);
        Assert.Equal([6, 2, 3], populations.Populations.Select(p => p.MemberCount));
        Assert.True(populations.Populations[2].Contains(0));
        Assert.False(populations.Populations[2].Contains(5));
    }

    [Fact]
    public void Individuals_without_a_sample_in_the_VCFs_are_not_members()
    {
        // Samples 0 and 1 genotyped; 2 and 3 imported (documents only).
        var populations = DatasetPopulations.Build(Defaults, Individuals(Female, Male, Female, Female), [new VariantFileSamples(2, [1, 0])]);

        Assert.Equal(2, populations.Genotyped);
        Assert.Equal([2, 1, 1], populations.Populations.Select(p => p.MemberCount));
    }

    [Fact]
    public void Who_was_genotyped_is_known_when_every_VCF_holds_the_same_samples()
    {
        var individuals = Individuals(Female, Male, Female);

        Assert.Equal(3, DatasetPopulations.Build(Defaults, individuals, [new(3, [0, 1, 2]), new(3, [2, 1, 0])]).Genotyped);
        Assert.Null(DatasetPopulations.Build(Defaults, individuals, [new(2, [0, 1]), new(2, [1, 2])]).Genotyped);
        // A VCF ingested before samples were recorded holds every individual when it has as many samples.
        Assert.Equal(3, DatasetPopulations.Build(Defaults, individuals, [new(3, null)]).Genotyped);
        Assert.Null(DatasetPopulations.Build(Defaults, individuals, [new(2, null)]).Genotyped);
        Assert.Equal(0, DatasetPopulations.Build(Defaults, individuals, [new(0, [])]).Genotyped);
        Assert.Null(DatasetPopulations.Build(Defaults, individuals, [new(0, []), new(3, [0, 1, 2])]).Genotyped);
    }

    [Fact]
    public void When_every_sample_is_called_diploid_each_population_gets_its_members_counts()
    {
        // Heterozygous: 0 (F), 3 (M), 5 (no document); homozygous: 1 (F).
        var frequencies = ByPopulation(PopulationFrequencies.Of(Variant(5, 12, [0, 3, 5], [1]), SixSamples()));

        Assert.Equal(new PopulationFrequency("FI", Math.Round(5 / 12.0, 6), 5, 12, 1, 3, 0), frequencies["FI"]);
        Assert.Equal(new PopulationFrequency("FI_M", 0.25, 1, 4, 0, 1, 0), frequencies["FI_M"]);
        Assert.Equal(new PopulationFrequency("FI_F", 0.5, 3, 6, 1, 1, 0), frequencies["FI_F"]);
    }

    [Fact]
    public void A_population_without_a_carrier_gets_a_frequency_of_zero()
    {
        var frequencies = ByPopulation(PopulationFrequencies.Of(Variant(1, 12, [3], []), SixSamples()));

        Assert.Equal(new PopulationFrequency("FI_F", 0, 0, 6, 0, 0, 0), frequencies["FI_F"]);
    }

    [Fact]
    public void A_missing_call_leaves_the_subpopulations_out_as_their_allele_number_is_not_known()
    {
        var frequencies = PopulationFrequencies.Of(Variant(2, 10, [0, 3], []), SixSamples());

        var everyone = Assert.Single(frequencies);
        Assert.Equal(new PopulationFrequency("FI", 0.2, 2, 10, 0, 2, 0), everyone);
    }

    [Fact]
    public void A_haploid_call_leaves_the_subpopulations_out()
    {
        // A haploid call means not every sample was called diploid, whatever the allele number adds up to.
        var frequencies = PopulationFrequencies.Of(Variant(2, 12, [0], [], [3]), SixSamples());

        Assert.Equal(["FI"], frequencies.Select(f => f.Population));
        Assert.Equal(1, frequencies[0].AlleleCountHemizygous);
    }

    [Fact]
    public void A_population_of_every_genotyped_sample_gets_the_records_counts_even_with_a_missing_call()
    {
        var populations = DatasetPopulations.Build(
            [new("everyone", PopulationCondition.Everyone), new("women", PopulationCondition.Parse("NCIT:C16576"))],
            Individuals(Female, Female, Male),
            [new VariantFileSamples(2, [0, 1])]);

        var frequencies = PopulationFrequencies.Of(Variant(1, 3, [1], []), populations);

        Assert.Equal([("everyone", 1L, 3L), ("women", 1L, 3L)], frequencies.Select(f => (f.Population, f.AlleleCount, f.AlleleNumber)));
    }

    [Fact]
    public void A_sites_only_record_gives_only_everyone_without_zygosity_counts()
    {
        var populations = DatasetPopulations.Build(Defaults, Individuals(Female, Male), [new VariantFileSamples(0, [])]);

        var frequency = Assert.Single(PopulationFrequencies.Of(Variant(67, 156, [], []), populations));

        Assert.Equal(new PopulationFrequency("FI", Math.Round(67 / 156.0, 6), 67, 156, null, null, null), frequency);
    }

    [Fact]
    public void A_record_without_a_called_allele_gives_no_frequency()
    {
        Assert.Empty(PopulationFrequencies.Of(Variant(0, 0, [], []), SixSamples()));
    }

    [Fact]
    public void When_the_records_samples_are_not_known_only_everyone_is_given()
    {
        var populations = DatasetPopulations.Build(Defaults, Individuals(Female, Male, Female), [new(2, [0, 1]), new(2, [1, 2])]);

        Assert.Equal(["FI"], PopulationFrequencies.Of(Variant(1, 4, [0], []), populations).Select(f => f.Population));
    }

    [Fact]
    public void Populations_below_the_minimum_are_left_out_and_everyone_stays()
    {
        var populations = SixSamples();

        Assert.Equal(["FI", "FI_M", "FI_F"], populations.ShownTo(0).Populations.Select(p => p.Id));
        Assert.Equal(["FI", "FI_F"], populations.ShownTo(3).Populations.Select(p => p.Id));
        Assert.Equal(["FI"], populations.ShownTo(7).Populations.Select(p => p.Id));
    }

    [Fact]
    public void The_minimum_population_is_the_datasets_minimum_count_for_callers_without_the_grant_and_none_for_granted_ones()
    {
        var registered = DatasetPrivacy.DefaultFor(AccessTier.Registered);

        Assert.Equal(5, registered.SmallestPopulation(CallerStanding.Anonymous));
        Assert.Equal(5, registered.SmallestPopulation(CallerStanding.Registered));
        Assert.Equal(0, registered.SmallestPopulation(CallerStanding.Granted));
        Assert.Equal(0, DatasetPrivacy.DefaultFor(AccessTier.Public).SmallestPopulation(CallerStanding.Anonymous));
    }

    [Fact]
    public void A_population_whose_difference_from_a_larger_one_shown_is_below_the_minimum_is_left_out()
    {
        // Five women and one man: with a minimum of 2, everyone minus the women would give the man's counts.
        var populations = DatasetPopulations.Build(Defaults, Individuals(Female, Female, Female, Female, Female, Male), OneFile(6));
        Assert.Equal(["FI", "FI_M", "FI_F"], populations.ShownTo(1).Populations.Select(p => p.Id));
        Assert.Equal(["FI"], populations.ShownTo(2).Populations.Select(p => p.Id));

        // Everyone women: the same group, nothing to subtract.
        var women = DatasetPopulations.Build(Defaults, Individuals(Female, Female, Female), OneFile(3));
        Assert.Equal(["FI", "FI_F"], women.ShownTo(3).Populations.Select(p => p.Id));
    }
}
