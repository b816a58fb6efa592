using System.Text.Json;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;

namespace GenomeNode.Beacon.Tests.Filters;

/// <summary>
/// Filter semantics (docs/beacon-filters.md) over a small dataset written as Beacon v2 documents, with the shipped NCIt
/// subset for sex and HPO's import module of GO for a deep hierarchy, both read by the node's OBO parser.
/// </summary>
public sealed class FilterMatcherTests
{
    private static readonly ParsedOntologies Ontologies = new("ncit_sex.obo", "go_import.obo");

    private static readonly EntriesBuilder Builder = new EntriesBuilder()
        .Individual("ind-1", """
            {"id": "ind-1", "sex": {"id": "NCIT:C16576", "label": "female"}, "karyotypicSex": "XX",
             "diseases": [{"diseaseCode": {"id": "NCIT:C4872", "label": "Breast Carcinoma"}, "ageOfOnset": {"iso8601duration": "P45Y"}}],
             "phenotypicFeatures": [{"featureType": {"id": "GO:0070227", "label": "lymphocyte apoptotic process"}}],
             "measures": [{"assayCode": {"id": "LOINC:26515-7"}, "measurementValue": {"value": 55345}}]}
            """)
        .Individual("ind-2", """
            {"id": "ind-2", "sex": {"id": "NCIT:C20197", "label": "male"}, "karyotypicSex": "XY",
             "diseases": [{"diseaseCode": {"id": "OMIM:164400"}, "ageOfOnset": {"age": {"iso8601duration": "P3Y6M"}}}],
             "phenotypicFeatures": [{"featureType": {"id": "GO:0070265", "label": "necrotic cell death"}}],
             "measures": [{"assayCode": {"id": "LOINC:26515-7"}, "measurementValue": {"value": 120}}]}
            """)
        .Individual("ind-3", """
            {"id": "ind-3", "sex": {"id": "NCIT:C16576", "label": "female"},
             "diseases": [{"diseaseCode": {"id": "NCIT:C4872"}, "ageOfOnset": {"iso8601duration": "P40Y2M10D"}},
                          {"diseaseCode": {"id": "OMIM:164400"}, "ageOfOnset": {"iso8601duration": "P62Y"}}],
             "phenotypicFeatures": [{"featureType": {"id": "GO:0000002", "label": "mitochondrial genome maintenance"}}]}
            """)
        .Individual("vcf-sample", null)
        .Individual("ind-5", """{"id": "ind-5", "sex": {"id": "NCIT:C46113", "label": "Female Phenotype"}}""")
        .Add(EntryType.Biosample, "bs-1", """{"id": "bs-1", "individualId": "ind-1", "biosampleStatus": {"id": "EFO:0009655", "label": "abnormal sample"}}""", "ind-1")
        .Add(EntryType.Biosample, "bs-2", """{"id": "bs-2", "individualId": "ind-2", "biosampleStatus": {"id": "EFO:0009654", "label": "reference sample"}}""", "ind-2")
        .Add(EntryType.Biosample, "bs-3", """{"id": "bs-3", "individualId": "ind-3", "biosampleStatus": {"id": "EFO:0009655", "label": "abnormal sample"}}""", "ind-3")
        // run-1 names only its biosample: it belongs to ind-1 through bs-1.
        .Add(EntryType.Run, "run-1", """{"id": "run-1", "biosampleId": "bs-1", "libraryStrategy": "WGS", "platform": "Illumina"}""", biosampleId: "bs-1")
        .Add(EntryType.Run, "run-2", """{"id": "run-2", "biosampleId": "bs-2", "individualId": "ind-2", "libraryStrategy": "WES"}""", "ind-2", "bs-2")
        .Add(EntryType.Run, "run-3", """{"id": "run-3", "biosampleId": "bs-3", "individualId": "ind-3", "libraryStrategy": "WGS"}""", "ind-3", "bs-3")
        .Add(EntryType.Analysis, "an-1", """{"id": "an-1", "runId": "run-1", "variantCaller": "GATK4.0"}""", runId: "run-1")
        .Add(EntryType.Analysis, "an-2", """{"id": "an-2", "runId": "run-2", "variantCaller": "DeepVariant"}""", runId: "run-2")
        .Add(EntryType.Analysis, "an-3", """{"id": "an-3", "runId": "run-3", "biosampleId": "bs-3", "variantCaller": "GATK4.0"}""", "ind-3", "bs-3", "run-3")
        .Add(EntryType.Cohort, "cohort-1", """
            {"id": "cohort-1", "cohortType": "study-defined",
             "inclusionCriteria": {"genders": [{"id": "NCIT:C16576", "label": "female"}, {"id": "NCIT:C20197", "label": "male"}]}}
            """);

    private static readonly DatasetEntries Dataset = Builder.Build();

    private static FilterResult Apply(EntryType target, params Filter[] filters) => FilterMatcher.Apply(Dataset, target, filters, Ontologies);

    private static string[] Ids(FilterResult result) => [.. result.Entries!.Select(entry => entry.Id)];

    private static string[] Individuals(EntryType target, params Filter[] filters) => Ids(Apply(target, filters));

    private static int[] Indexes(params string[] individuals) => [.. individuals.Select(Builder.IndexOf).Order()];

    private static OntologyFilter Term(string id, EntryType? scope = null, bool descendants = true) => new(id, scope, descendants);

    private static AlphanumericFilter Field(string id, FilterOperator op, string value, EntryType? scope = null) => new(id, scope, op, value);

    [Fact]
    public void Without_filters_every_entry_of_the_type_is_selected_and_no_individual_restricted()
    {
        var individuals = Apply(EntryType.Individual);
        var variants = Apply(EntryType.GenomicVariation);

        Assert.Equal(["ind-1", "ind-2", "ind-3", "ind-5", "vcf-sample"], Ids(individuals));
        Assert.Null(individuals.Individuals);
        Assert.Null(variants.Entries);
        Assert.Null(variants.Individuals);
    }

    [Fact]
    public void An_ontology_filter_takes_the_terms_descendants_from_the_loaded_ontology()
    {
        // Female Phenotype (Phenopackets' code) is below Female in the shipped subset.
        Assert.Equal(["ind-1", "ind-3", "ind-5"], Individuals(EntryType.Individual, Term("NCIT:C16576")));
        Assert.Equal(["ind-1", "ind-3"], Individuals(EntryType.Individual, Term("NCIT:C16576", descendants: false)));
        Assert.Equal(["ind-1", "ind-2", "ind-3", "ind-5"], Individuals(EntryType.Individual, Term("NCIT:C28421")));
    }

    [Fact]
    public void Descendants_reach_every_level_of_a_real_hierarchy()
    {
        // GO: cell death > programmed cell death > apoptotic process > leukocyte apoptotic process > lymphocyte apoptotic process (ind-1);
        // cell death > necrotic cell death (ind-2); mitochondrial genome maintenance (ind-3) is in another branch.
        Assert.Equal(["ind-1", "ind-2"], Individuals(EntryType.Individual, Term("GO:0008219")));
        Assert.Equal(["ind-1"], Individuals(EntryType.Individual, Term("GO:0006915")));
        Assert.Empty(Individuals(EntryType.Individual, Term("GO:0006915", descendants: false)));
        Assert.Equal(["ind-1"], Individuals(EntryType.Individual, Term("GO:0070227", descendants: false)));
    }

    [Fact]
    public void A_term_no_loaded_ontology_knows_matches_itself_only()
    {
        Assert.Null(Ontologies.SelfAndDescendants("NCIT:C4872"));

        Assert.Equal(["ind-1", "ind-3"], Individuals(EntryType.Individual, Term("NCIT:C4872")));
    }

    [Theory]
    [InlineData(FilterOperator.Less, "P50Y", new[] { "ind-1", "ind-2", "ind-3" })]
    [InlineData(FilterOperator.Greater, "P50Y", new[] { "ind-3" })]
    [InlineData(FilterOperator.GreaterOrEqual, "P45Y", new[] { "ind-1", "ind-3" })]
    [InlineData(FilterOperator.LessOrEqual, "P40Y2M10D", new[] { "ind-2", "ind-3" })]
    [InlineData(FilterOperator.Less, "P40Y2M10D", new[] { "ind-2" })]
    [InlineData(FilterOperator.Equal, "P42M", new[] { "ind-2" })]
    [InlineData(FilterOperator.Equal, "P540M", new[] { "ind-1" })]
    [InlineData(FilterOperator.Greater, "P3Y5M30D", new[] { "ind-1", "ind-2", "ind-3" })]
    public void Ages_compare_as_durations_whether_or_not_the_document_wraps_them_in_age(FilterOperator op, string value, string[] expected) =>
        Assert.Equal(expected, Individuals(EntryType.Individual, Field("diseases.ageOfOnset.iso8601duration", op, value)));

    [Fact]
    public void A_path_naming_the_age_level_finds_ages_written_without_it()
    {
        Assert.Equal(["ind-1", "ind-3"], Individuals(EntryType.Individual, Field("diseases.ageOfOnset.age.iso8601duration", FilterOperator.GreaterOrEqual, "P45Y")));
    }

    [Fact]
    public void Not_equal_selects_entries_none_of_whose_values_equal()
    {
        // ind-3's onsets are P40Y2M10D and P62Y; entries without the field have no value that equals either.
        Assert.Equal(["ind-2", "ind-3", "ind-5", "vcf-sample"], Individuals(EntryType.Individual, Field("diseases.ageOfOnset.iso8601duration", FilterOperator.NotEqual, "P45Y")));
        Assert.Equal(["ind-1", "ind-2", "ind-5", "vcf-sample"], Individuals(EntryType.Individual, Field("diseases.ageOfOnset.iso8601duration", FilterOperator.NotEqual, "P62Y")));
    }

    [Fact]
    public void Numbers_compare_as_numbers_and_text_ignoring_case_with_wildcards()
    {
        Assert.Equal(["ind-1"], Individuals(EntryType.Individual, Field("measures.measurementValue.value", FilterOperator.Greater, "1000")));
        Assert.Equal(["ind-2"], Individuals(EntryType.Individual, Field("measures.measurementValue.value", FilterOperator.Equal, "120.0")));
        Assert.Equal(["ind-2"], Individuals(EntryType.Individual, Field("karyotypicSex", FilterOperator.Equal, "xy")));
        Assert.Equal(["ind-1", "ind-3", "ind-5"], Individuals(EntryType.Individual, Field("sex.label", FilterOperator.Equal, "FEM%")));
        Assert.Equal(["ind-5"], Individuals(EntryType.Individual, Field("sex.label", FilterOperator.Equal, "%phen%")));
        Assert.Equal(["ind-1"], Individuals(EntryType.Individual, Field("karyotypicSex", FilterOperator.Less, "XY")));
    }

    [Fact]
    public void A_duration_never_orders_against_text_that_is_not_one()
    {
        var dataset = new EntriesBuilder()
            .Individual("a", """{"diseases": [{"ageOfOnset": {"iso8601duration": "unknown"}}]}""")
            .Individual("b", """{"diseases": [{"ageOfOnset": {"iso8601duration": "P20Y"}}]}""")
            .Build();

        foreach (var op in new[] { FilterOperator.Less, FilterOperator.Greater })
        {
            var result = FilterMatcher.Apply(dataset, EntryType.Individual, [Field("diseases.ageOfOnset.iso8601duration", op, "P50Y")], Ontologies);
            string[] expected = op == FilterOperator.Less ? ["b"] : [];
            Assert.Equal(expected, Ids(result));
        }
    }

    [Fact]
    public void A_field_that_is_an_ontology_term_compares_its_id_and_label()
    {
        Assert.Equal(["ind-2"], Individuals(EntryType.Individual, Field("sex", FilterOperator.Equal, "male")));
        Assert.Equal(["ind-2"], Individuals(EntryType.Individual, Field("sex", FilterOperator.Equal, "NCIT:C20197")));
    }

    [Fact]
    public void Filters_combine_with_and()
    {
        Assert.Equal(["ind-1", "ind-3"], Individuals(EntryType.Individual, Term("NCIT:C16576"), Field("diseases.ageOfOnset.iso8601duration", FilterOperator.Less, "P50Y")));
        Assert.Equal(["ind-3"], Individuals(EntryType.Individual, Term("NCIT:C16576"), Field("diseases.ageOfOnset.iso8601duration", FilterOperator.Greater, "P50Y"), Term("OMIM:164400")));
        Assert.Empty(Individuals(EntryType.Individual, Term("NCIT:C20197"), Term("NCIT:C16576")));
    }

    [Fact]
    public void A_filter_without_scope_applies_where_its_term_occurs_and_relates_through_the_individual()
    {
        // abnormal sample is a biosample term: individuals with such a biosample.
        Assert.Equal(["ind-1", "ind-3"], Individuals(EntryType.Individual, Term("EFO:0009655")));
        // female is an individual term: biosamples of female individuals.
        Assert.Equal(["bs-1", "bs-3"], Individuals(EntryType.Biosample, Term("NCIT:C16576")));
        // run-1 names no individual, only its biosample.
        Assert.Equal(["run-1", "run-3"], Individuals(EntryType.Run, Term("NCIT:C16576")));
        Assert.Equal(["an-1", "an-3"], Individuals(EntryType.Analysis, Term("NCIT:C16576")));
    }

    [Fact]
    public void Runs_relate_to_biosamples_and_analyses_to_runs_by_their_links()
    {
        Assert.Equal(["an-1", "an-3"], Individuals(EntryType.Analysis, Field("libraryStrategy", FilterOperator.Equal, "WGS")));
        Assert.Equal(["run-1", "run-3"], Individuals(EntryType.Run, Term("EFO:0009655")));
        Assert.Equal(["bs-1", "bs-3"], Individuals(EntryType.Biosample, Field("variantCaller", FilterOperator.Equal, "GATK4.0")));
        Assert.Equal(["run-2"], Individuals(EntryType.Run, Field("variantCaller", FilterOperator.Equal, "deepvariant")));
    }

    [Fact]
    public void Runs_of_one_individual_relate_by_their_biosamples_not_the_individual()
    {
        var dataset = new EntriesBuilder()
            .Individual("p", """{"id": "p"}""")
            .Add(EntryType.Biosample, "tumour", """{"id": "tumour", "biosampleStatus": {"id": "EFO:0009655"}}""", "p")
            .Add(EntryType.Biosample, "blood", """{"id": "blood", "biosampleStatus": {"id": "EFO:0009654"}}""", "p")
            .Add(EntryType.Run, "r-tumour", """{"id": "r-tumour"}""", "p", "tumour")
            .Add(EntryType.Run, "r-blood", """{"id": "r-blood"}""", "p", "blood")
            .Build();

        var result = FilterMatcher.Apply(dataset, EntryType.Run, [Term("EFO:0009655")], Ontologies);

        Assert.Equal(["r-tumour"], Ids(result));
        Assert.Equal([0], result.Individuals!.Order());
    }

    [Fact]
    public void A_scope_given_is_where_the_filter_applies()
    {
        // female occurs in individuals and in the cohort's inclusion criteria; the cohort covers every individual.
        Assert.Equal(["ind-1", "ind-2", "ind-3", "ind-5", "vcf-sample"], Individuals(EntryType.Individual, Term("NCIT:C16576", EntryType.Cohort)));
        Assert.Empty(Individuals(EntryType.Individual, Term("NCIT:C16576", EntryType.Biosample)));
        Assert.Equal(["bs-1", "bs-3"], Individuals(EntryType.Biosample, Term("EFO:0009655", EntryType.Biosample)));
    }

    [Fact]
    public void A_cohort_relates_to_every_individual_of_its_dataset()
    {
        var cohorts = Apply(EntryType.Cohort, Field("karyotypicSex", FilterOperator.Equal, "XY"));

        Assert.Equal(["cohort-1"], Ids(cohorts));
        Assert.Equal(Indexes("ind-1", "ind-2", "ind-3", "vcf-sample", "ind-5"), cohorts.Individuals!.Order());
        Assert.Empty(Ids(Apply(EntryType.Cohort, Field("karyotypicSex", FilterOperator.Equal, "XXY"))));
        // The cohort's own document first: its type is the queried one.
        Assert.Equal(["cohort-1"], Ids(Apply(EntryType.Cohort, new CustomFilter("cohortType:study-defined", null))));
    }

    [Fact]
    public void For_genomic_variations_the_filters_give_the_individuals_carriers_must_be_among()
    {
        var result = Apply(EntryType.GenomicVariation, Term("NCIT:C16576"), Field("libraryStrategy", FilterOperator.Equal, "WGS"));

        Assert.Null(result.Entries);
        Assert.Equal(Indexes("ind-1", "ind-3"), result.Individuals!.Order());
        Assert.Equal(Indexes("ind-1", "ind-3"), Apply(EntryType.GenomicVariation, Term("EFO:0009655")).Individuals!.Order());
    }

    [Fact]
    public void Selected_entries_carry_their_individuals()
    {
        var runs = Apply(EntryType.Run, Field("libraryStrategy", FilterOperator.Equal, "WGS"));

        Assert.Equal(["run-1", "run-3"], Ids(runs));
        Assert.Equal(Indexes("ind-1", "ind-3"), runs.Individuals!.Order());
    }

    [Fact]
    public void A_custom_filter_is_a_field_and_value()
    {
        Assert.Equal(["ind-2"], Individuals(EntryType.Individual, new CustomFilter("karyotypicSex:XY", null)));
        // A CURIE by its form (and so an ontology filter as read), a custom term by meaning.
        Assert.Equal(["ind-1", "ind-3"], Individuals(EntryType.Individual, Term("sex:female")));
        Assert.Equal(["run-1", "run-3"], Individuals(EntryType.Run, Term("libraryStrategy:WGS")));
    }

    [Fact]
    public void A_term_or_field_nobody_knows_matches_nothing_with_a_warning_naming_it()
    {
        var term = Apply(EntryType.Individual, Term("XYZ:1"));
        var field = Apply(EntryType.Individual, Field("diseases.ageAtDiagnosis", FilterOperator.Less, "P50Y"));
        var custom = Apply(EntryType.GenomicVariation, new CustomFilter("ownsIPhone", null), Term("NCIT:C16576"));

        Assert.Empty(Ids(term));
        Assert.Equal(["filter 'XYZ:1' is not a term this beacon knows; see /api/filtering_terms"], term.Warnings);
        Assert.Empty(Ids(field));
        Assert.Equal(["filter 'diseases.ageAtDiagnosis' is not a field this beacon knows; see /api/filtering_terms"], field.Warnings);
        Assert.Empty(custom.Individuals!);
        Assert.Equal(["filter 'ownsIPhone' is not a term this beacon knows; see /api/filtering_terms"], custom.Warnings);
    }

    [Fact]
    public void A_term_a_loaded_ontology_knows_is_no_warning_where_the_data_lacks_it()
    {
        var result = Apply(EntryType.Individual, Term("GO:0010623"));

        Assert.Empty(Ids(result));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Only_what_no_dataset_knows_is_warned_of_across_datasets()
    {
        var other = new EntriesBuilder().Individual("x", """{"id": "x", "diseases": [{"diseaseCode": {"id": "ORPHA:1"}}]}""").Build();
        Filter[] filters = [Term("ORPHA:1"), Term("XYZ:1")];

        var results = new[] { Apply(EntryType.Individual, filters), FilterMatcher.Apply(other, EntryType.Individual, filters, Ontologies) };

        Assert.Equal(2, results[0].Warnings.Count);
        Assert.Equal(["filter 'XYZ:1' is not a term this beacon knows; see /api/filtering_terms"], FilterMatcher.WarningsOfAll(results));
    }

    [Fact]
    public void A_filter_scoped_to_genomic_variations_is_not_applied_silently()
    {
        var result = Apply(EntryType.Individual, Term("NCIT:C16576", EntryType.GenomicVariation));

        Assert.Empty(Ids(result));
        Assert.Contains(result.Warnings, warning => warning.Contains("scope genomicVariation", StringComparison.Ordinal));
    }

    [Fact]
    public void Filters_read_from_a_portals_body_with_null_members_select_as_their_defaults()
    {
        using var body = JsonDocument.Parse("""
            [{"id": "NCIT:C16576", "operator": null, "value": null, "includeDescendantTerms": null, "scope": "individual"},
             {"id": "diseases.ageOfOnset.iso8601duration", "operator": null, "value": "P45Y", "scope": null}]
            """);

        var result = FilterMatcher.Apply(Dataset, EntryType.Individual, FilterParser.FromJson(body.RootElement), Ontologies);

        Assert.Equal(["ind-1"], Ids(result));
        Assert.Empty(result.Warnings);
    }
}
