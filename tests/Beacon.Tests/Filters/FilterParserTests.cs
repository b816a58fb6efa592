using System.Text.Json;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;
using GenomeNode.Beacon.Requests;

namespace GenomeNode.Beacon.Tests.Filters;

public sealed class FilterParserTests
{
    private static IReadOnlyList<Filter> Json(string filters)
    {
        using var document = JsonDocument.Parse(filters);
        return FilterParser.FromJson(document.RootElement);
    }

    private static BeaconRequestException Refused(string filters) => Assert.Throws<BeaconRequestException>(() => Json(filters));

    [Fact]
    public void A_query_string_lists_ids_a_curie_being_an_ontology_filter_and_anything_else_custom()
    {
        var filters = FilterParser.FromQueryString("NCIT:C16576,HP:0001250, ,libraryStrategy:WGS ,ownsIPhone");

        Assert.Equal(
            [
                new OntologyFilter("NCIT:C16576", null), new OntologyFilter("HP:0001250", null),
                new OntologyFilter("libraryStrategy:WGS", null), new CustomFilter("ownsIPhone", null),
            ],
            filters);
        Assert.All(filters.OfType<OntologyFilter>(), filter => Assert.True(filter.IncludeDescendantTerms));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void An_empty_query_string_is_no_filter(string? text) => Assert.Empty(FilterParser.FromQueryString(text));

    [Fact]
    public void A_body_takes_objects_and_bare_id_strings()
    {
        var filters = Json("""
            [
              "NCIT:C20197",
              {"id": "HP:0001250", "includeDescendantTerms": false, "scope": "individuals", "similarity": "exact"},
              {"id": "diseases.ageOfOnset.iso8601duration", "operator": "<=", "value": "P50Y", "scope": "individual"},
              {"id": "measures.measurementValue.value", "operator": ">", "value": 55.5},
              {"id": "karyotypicSex:XX", "scope": "biosample"}
            ]
            """);

        Assert.Equal(
            [
                new OntologyFilter("NCIT:C20197", null),
                new OntologyFilter("HP:0001250", EntryType.Individual, IncludeDescendantTerms: false),
                new AlphanumericFilter("diseases.ageOfOnset.iso8601duration", EntryType.Individual, FilterOperator.LessOrEqual, "P50Y"),
                new AlphanumericFilter("measures.measurementValue.value", null, FilterOperator.Greater, "55.5"),
                new OntologyFilter("karyotypicSex:XX", EntryType.Biosample),
            ],
            filters);
    }

    [Fact]
    public void Null_members_as_portals_send_them_are_the_filters_defaults()
    {
        var filters = Json("""
            [
              {"id": "NCIT:C16576", "operator": null, "value": null, "includeDescendantTerms": null, "scope": null, "similarity": null},
              {"id": "diseases.ageOfOnset.iso8601duration", "operator": null, "value": "P45Y"},
              {"id": "NCIT:C20197", "operator": "=", "value": null, "scope": "individual"},
              {"id": "ownsIPhone", "operator": "=", "value": null}
            ]
            """);

        Assert.Equal(
            [
                new OntologyFilter("NCIT:C16576", null, IncludeDescendantTerms: true),
                new AlphanumericFilter("diseases.ageOfOnset.iso8601duration", null, FilterOperator.Equal, "P45Y"),
                new OntologyFilter("NCIT:C20197", EntryType.Individual),
                new CustomFilter("ownsIPhone", null),
            ],
            filters);
    }

    [Theory]
    [InlineData("=", FilterOperator.Equal)]
    [InlineData("!", FilterOperator.NotEqual)]
    [InlineData("<", FilterOperator.Less)]
    [InlineData(">", FilterOperator.Greater)]
    [InlineData("<=", FilterOperator.LessOrEqual)]
    [InlineData(">=", FilterOperator.GreaterOrEqual)]
    public void Every_operator_of_the_framework_is_read(string symbol, FilterOperator expected)
    {
        var filter = Assert.IsType<AlphanumericFilter>(Assert.Single(Json($$"""[{"id": "sex.label", "operator": "{{symbol}}", "value": "female"}]""")));

        Assert.Equal(expected, filter.Operator);
        Assert.Equal(symbol, filter.Operator.Symbol());
    }

    [Theory]
    [InlineData("""[{"id": "a.b", "operator": "~", "value": "x"}]""", "filters[0].operator")]
    [InlineData("""["NCIT:C1", {"id": "a.b", "operator": "==", "value": "x"}]""", "filters[1].operator")]
    [InlineData("""[{"id": "a.b", "operator": 1, "value": "x"}]""", "filters[0].operator")]
    [InlineData("""["NCIT:C1", "HP:1", {"id": "NCIT:C16576", "scope": "patients"}]""", "filters[2].scope")]
    [InlineData("""[{"id": "NCIT:C16576", "scope": 3}]""", "filters[0].scope")]
    [InlineData("""[{"id": 16576}]""", "filters[0].id")]
    [InlineData("""[{"id": ["ordo:Orphanet_730"]}]""", "filters[0].id")]
    [InlineData("""[{"id": null}]""", "filters[0].id")]
    [InlineData("""[{"operator": "=", "value": "x"}]""", "filters[0].id")]
    [InlineData("""[{"id": "  "}]""", "filters[0].id")]
    [InlineData("""[""]""", "filters[0].id")]
    [InlineData("""[{"id": "NCIT:C28421", "operator": "=", "value": ["NCIT_C16576"]}]""", "filters[0].value")]
    [InlineData("""[{"id": "NCIT:C16576", "includeDescendantTerms": "yes"}]""", "filters[0].includeDescendantTerms")]
    [InlineData("""[{"id": "NCIT:C16576", "similarity": "fuzzy"}]""", "filters[0].similarity")]
    [InlineData("""[42]""", "filters[0]")]
    [InlineData("""[null]""", "filters[0]")]
    [InlineData("""{"id": "NCIT:C16576"}""", "filters")]
    [InlineData("\"NCIT:C16576\"", "filters")]
    public void A_filter_the_beacon_cannot_read_is_refused_naming_its_member(string filters, string member) =>
        Assert.Equal(member, Refused(filters).Parameter);

    [Fact]
    public void An_unknown_operator_is_named_in_the_message()
    {
        var refusal = Refused("""[{"id": "a.b", "operator": "~", "value": "x"}]""");

        Assert.Equal("operator must be one of =, !, <, >, <=, >=, not '~'", refusal.Message);
    }

    [Fact]
    public void Absent_or_null_filters_are_none()
    {
        Assert.Empty(Json("null"));
        Assert.Empty(Json("[]"));
        Assert.Empty(FilterParser.FromJson(default));
    }

    [Fact]
    public void More_filters_than_the_beacon_evaluates_are_refused()
    {
        var many = string.Join(',', Enumerable.Range(0, FilterParser.MaxFilters + 1).Select(i => $"HP:{i:D7}"));

        Assert.Equal(FilterParser.MaxFilters, FilterParser.FromQueryString(string.Join(',', many.Split(',').Skip(1))).Count);
        Assert.Equal("filters", Assert.Throws<BeaconRequestException>(() => FilterParser.FromQueryString(many)).Parameter);
        Assert.Equal("filters", Refused("[" + string.Join(',', many.Split(',').Select(id => $"\"{id}\"")) + "]").Parameter);
    }

    [Fact]
    public void Text_that_is_not_unicode_is_refused()
    {
        Assert.Equal("filters[0].id", Refused("""["NCIT:\ud800"]""").Parameter);
        Assert.Equal("filters[0].value", Refused("""[{"id": "a", "value": "\udc00"}]""").Parameter);
        Assert.Equal("filters", Assert.Throws<BeaconRequestException>(() => FilterParser.FromQueryString("HP:\ud800")).Parameter);
    }
}
