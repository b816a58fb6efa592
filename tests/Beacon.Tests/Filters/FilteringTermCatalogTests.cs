using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;

namespace GenomeNode.Beacon.Tests.Filters;

public sealed class FilteringTermCatalogTests
{
    private static readonly DatasetEntries Dataset = new EntriesBuilder()
        .Individual("ind-1", """
            {"id": "ind-1", "sex": {"id": "NCIT:C16576", "label": "female"}, "karyotypicSex": "XX",
             "diseases": [{"diseaseCode": {"id": "NCIT:C4872", "label": "Breast Carcinoma"}, "ageOfOnset": {"age": {"iso8601duration": "P45Y"}},
                           "familyHistory": true, "notes": "sister affected at 40"}]}
            """)
        .Individual("ind-2", """{"id": "ind-2", "sex": {"id": "NCIT:C20197"}, "karyotypicSex": "XY", "diseases": [{"ageOfOnset": {"iso8601duration": "P3Y"}}]}""")
        .Individual("vcf-sample", null)
        .Add(EntryType.Biosample, "bs-1", """{"id": "bs-1", "individualId": "ind-1", "collectionDate": "2021-03-04", "sampleOriginType": {"id": "UBERON:0000178", "label": "blood"}}""", "ind-1")
        .Add(EntryType.Run, "run-1", """{"id": "run-1", "biosampleId": "bs-1", "individualId": "ind-1", "libraryStrategy": "WGS", "platformModel": {"id": "OBI:0002630", "label": "Illumina NovaSeq 6000"}}""", "ind-1", "bs-1")
        .Add(EntryType.Cohort, "cohort-1", """{"id": "cohort-1", "cohortType": "study-defined", "cohortSize": 2, "inclusionCriteria": {"genders": [{"id": "NCIT:C16576", "label": "female"}]}}""")
        .Build();

    private static ListedTerm Find(IReadOnlyList<ListedTerm> terms, FilteringTermKind kind, string id) => Assert.Single(terms, t => t.Kind == kind && t.Id == id);

    [Fact]
    public void Ontology_terms_of_every_entry_type_are_listed_with_their_documents_labels_and_scopes()
    {
        var terms = FilteringTermCatalog.Of(Dataset);

        var female = Find(terms, FilteringTermKind.OntologyTerm, "NCIT:C16576");
        Assert.Equal("female", female.Label);
        Assert.Equal([EntryType.Individual, EntryType.Cohort], female.Scopes.Order());
        Assert.Null(Find(terms, FilteringTermKind.OntologyTerm, "NCIT:C20197").Label);
        Assert.Equal([EntryType.Biosample], Find(terms, FilteringTermKind.OntologyTerm, "UBERON:0000178").Scopes);
        Assert.Equal([EntryType.Run], Find(terms, FilteringTermKind.OntologyTerm, "OBI:0002630").Scopes);
        Assert.DoesNotContain(terms, t => t.Id is "ind-1" or "bs-1" or "cohort-1");
    }

    [Fact]
    public void Fields_holding_numbers_or_durations_are_alphanumeric_terms_named_as_beacon_writes_them()
    {
        var terms = FilteringTermCatalog.Of(Dataset);

        var age = Find(terms, FilteringTermKind.Alphanumeric, "diseases.ageOfOnset.iso8601duration");
        Assert.Equal("diseases.ageOfOnset.iso8601duration (ISO 8601 duration)", age.Label);
        Assert.Equal([EntryType.Individual], age.Scopes);
        Assert.Equal("cohortSize (number)", Find(terms, FilteringTermKind.Alphanumeric, "cohortSize").Label);
        Assert.DoesNotContain(terms, t => t.Id == "diseases.ageOfOnset.age.iso8601duration");
    }

    [Fact]
    public void Enumeration_values_are_custom_terms_but_identifiers_free_text_and_dates_are_not()
    {
        var custom = FilteringTermCatalog.Of(Dataset).Where(t => t.Kind == FilteringTermKind.Custom).Select(t => t.Id).ToList();

        Assert.Equal(
            ["cohortType:study-defined", "diseases.familyHistory:true", "karyotypicSex:XX", "karyotypicSex:XY", "libraryStrategy:WGS"],
            custom);
    }

    [Fact]
    public void A_text_field_of_many_values_is_free_text_and_lists_none()
    {
        var builder = new EntriesBuilder();
        for (var i = 0; i <= FilteringTermCatalog.MaxCustomValuesPerField; i++)
        {
            builder.Individual($"p{i}", $$"""{"id": "p{{i}}", "nickname": "n{{i}}", "karyotypicSex": "{{(i % 2 == 0 ? "XX" : "XY")}}"}""");
        }

        var custom = FilteringTermCatalog.Of(builder.Build()).Where(t => t.Kind == FilteringTermKind.Custom).Select(t => t.Id).ToList();

        Assert.Equal(["karyotypicSex:XX", "karyotypicSex:XY"], custom);
    }

    [Fact]
    public void Merged_datasets_join_scopes_and_take_the_loaded_ontologys_label()
    {
        var other = new EntriesBuilder()
            .Individual("x", """{"id": "x"}""")
            .Add(EntryType.Biosample, "b", """{"id": "b", "phenotypicFeatures": [{"featureType": {"id": "NCIT:C16576", "label": "woman"}}]}""", "x")
            .Build();

        var merged = FilteringTermCatalog.Merge([FilteringTermCatalog.Of(Dataset), FilteringTermCatalog.Of(other)], new ParsedOntologies("ncit_sex.obo"));

        var female = Find(merged, FilteringTermKind.OntologyTerm, "NCIT:C16576");
        Assert.Equal("Female", female.Label);
        Assert.Equal([EntryType.Individual, EntryType.Biosample, EntryType.Cohort], female.Scopes.Order());
        Assert.Equal("Male", Find(merged, FilteringTermKind.OntologyTerm, "NCIT:C20197").Label);
        Assert.Equal("Breast Carcinoma", Find(merged, FilteringTermKind.OntologyTerm, "NCIT:C4872").Label);
        Assert.Equal(merged.Select(t => t.Id).Order(StringComparer.Ordinal), merged.Select(t => t.Id));
    }
}
