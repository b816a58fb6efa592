using System.Text;
using GenomeNode.Beacon.Requests;
using Microsoft.AspNetCore.WebUtilities;

namespace GenomeNode.Beacon.Tests;

/// <summary>g_variants requests read into typed requests without HTTP: query strings and the body shapes clients send.</summary>
public sealed class GVariantRequestParserTests
{
    private static readonly RequestSettings Settings = new(Granularity.Boolean, MaxLimit: 1000);

    private static GVariantRequest Get(string query, string? id = null) => GVariantRequestParser.FromQuery(QueryHelpers.ParseQuery(query), id, Settings);

    private static GVariantRequest Post(string body, string? id = null) => GVariantRequestParser.FromBody(Encoding.UTF8.GetBytes(body), id, Settings);

    private static BeaconRequestException RefusedGet(string query) => Assert.Throws<BeaconRequestException>(() => Get(query));

    private static BeaconRequestException RefusedPost(string body) => Assert.Throws<BeaconRequestException>(() => Post(body));

    [Fact]
    public void A_sequence_query_in_VCF_notation_is_normalised_as_stored_alleles_are_and_answerable_by_the_index()
    {
        var request = Get("referenceName=chr17&start=43045711&referenceBases=GT&alternateBases=G&assemblyId=hg38");

        var sequence = Assert.IsType<SequenceQuery>(request.Query);
        Assert.Equal(new SequenceQuery("GRCh38", "17", 43045712, 43045713, "T", "", null), sequence);
        Assert.True(sequence.IsExactAllele);
        Assert.Equal((Granularity.Boolean, ResultSetResponses.Hit, 0L, 10L, (bool?)null),
            (request.RequestedGranularity, request.IncludeResultsetResponses, request.Skip, request.Limit, request.TestMode));
    }

    [Fact]
    public void A_sequence_query_without_a_reference_base_matches_a_single_base_change_and_goes_to_the_store()
    {
        var sequence = Assert.IsType<SequenceQuery>(Get("referenceName=17&start=100&alternateBases=a").Query);

        Assert.Equal((100L, 101L, (string?)null, "A"), (sequence.Start, sequence.End, sequence.Reference, sequence.Alternate));
        Assert.Equal(["SNP"], sequence.VariantTypes!);
        Assert.False(sequence.IsExactAllele);
    }

    [Theory]
    // Flat, as the Beacon v2 reference implementation documents and the GDI User Portal's discovery service sends it.
    [InlineData("""{"meta":{"apiVersion":"2.0"},"query":{"requestParameters":{"referenceName":"17","start":[43045711],"referenceBases":"G","alternateBases":"A","assemblyId":"GRCh38"},"includeResultsetResponses":"HIT","requestedGranularity":"record","testMode":false,"pagination":{"skip":0,"limit":10},"filters":[]}}""")]
    // Nested per entry type, the only form the v2.1.1 requestParameters schema accepts.
    [InlineData("""{"query":{"requestParameters":{"g_variant":{"referenceName":"17","start":[43045711],"referenceBases":"G","alternateBases":"A","assemblyId":"GRCh38"}},"requestedGranularity":"record","testMode":false}}""")]
    // A list of parameter objects, merged; a parameter repeated with the same value is one.
    [InlineData("""{"query":{"requestParameters":[{"referenceName":"17","start":[43045711]},{"referenceBases":"G","alternateBases":"A","assemblyId":"GRCh38","referenceName":"17"}],"requestedGranularity":"record","testMode":false}}""")]
    // Controls beside query and an explicit null end, as in the GDI User Portal's example requests.
    [InlineData("""{"query":{"requestParameters":{"g_variant":{"referenceName":"17","start":[43045711],"end":null,"referenceBases":"G","alternateBases":"A","assemblyId":"GRCh38"}}},"requestedGranularity":"record","testMode":false}""")]
    // No query section: parameters and controls at the top level, start as a bare integer.
    [InlineData("""{"referenceName":"17","start":43045711,"referenceBases":"G","alternateBases":"A","assemblyId":"GRCh38","requestedGranularity":"record","testMode":false}""")]
    public void Every_body_shape_clients_send_reads_into_the_same_typed_request(string body)
    {
        var request = Post(body);

        Assert.Equal(new SequenceQuery("GRCh38", "17", 43045711, 43045712, "G", "A", null), request.Query);
        Assert.Equal((Granularity.Record, ResultSetResponses.Hit, (bool?)false), (request.RequestedGranularity, request.IncludeResultsetResponses, request.TestMode));
        Assert.Equal([43045711L], request.Parameters.Start!);
    }

    [Fact]
    public void The_EGA_reference_implementation_s_schema_names_and_start_end_lists_are_read()
    {
        var request = Post("""
            {"meta":{"apiVersion":"2.0","requestedSchemas":["ga4gh-beacon-variant-v2.0.0"]},
             "query":{"requestParameters":[{"referenceName":"17","start":[43045700,43045711],"end":[43045712,43045720]}],"requestedGranularity":"count"}}
            """);

        Assert.Equal(new BracketQuery(null, "17", 43045700, 43045711, 43045712, 43045720, null, VariantNarrowing.None), request.Query);
        Assert.Equal(new SchemaReference("genomicVariant", "ga4gh-beacon-variant-v2.0.0"), Assert.Single(request.Meta.RequestedSchemas));
        Assert.Equal("2.0", request.Meta.ApiVersion);
    }

    [Fact]
    public void Range_bracket_and_gene_queries_carry_the_narrowing_parameters_as_one_value()
    {
        var range = Get("referenceName=17&start=100&end=200&variantType=SO:0000159&variantMinLength=2&variantMaxLength=50&geneId=BRCA1&aminoacidChange=p.Arg1831Trp&alternateBases=t");
        var gene = Get("geneId=BRCA1&variantType=SNV&alternateBases=A");

        var rangeQuery = Assert.IsType<RangeQuery>(range.Query);
        Assert.Equal(("17", 100L, 200L, "BRCA1"), (rangeQuery.Chromosome, rangeQuery.Start, rangeQuery.End, rangeQuery.GeneId));
        Assert.Equal(["DEL"], rangeQuery.Narrowing.VariantTypes!);
        Assert.Equal(("T", "R1831W", (int?)2, (int?)50),
            (rangeQuery.Narrowing.AlternateBases, rangeQuery.Narrowing.AminoacidChange, rangeQuery.Narrowing.MinLength, rangeQuery.Narrowing.MaxLength));
        var geneQuery = Assert.IsType<GeneQuery>(gene.Query);
        Assert.Equal(("BRCA1", "A"), (geneQuery.GeneId, geneQuery.Narrowing.AlternateBases));
        Assert.Equal(["SNP"], geneQuery.Narrowing.VariantTypes!);
    }

    [Fact]
    public void A_variant_id_is_read_from_the_path_with_the_dataset_and_assembly_parameters_only()
    {
        Assert.Equal(new VariantIdQuery("GRCh37", "17", 43045711, "G", "A"), Get("assemblyId=GRCh37&datasetIds=demo", "chr17:43045711:g:a").Query);
        Assert.Equal(new VariantIdQuery(null, "17", 43045711, "", "A"), Post("""{"query":{"requestedGranularity":"record"}}""", "17:43045711:-:A").Query);

        var refused = Assert.Throws<BeaconRequestException>(() => Get("referenceName=17", "17:43045711:G:A"));
        Assert.Equal("referenceName", refused.Parameter);
    }

    [Fact]
    public void Controls_are_checked_against_the_beacon_s_settings()
    {
        var request = Get("geneId=BRCA1&limit=0&skip=20&includeResultsetResponses=all&testMode=true&datasetIds=demo,%20syn,&requestedSchema=x");

        Assert.Equal((1000L, 20L, ResultSetResponses.All, (bool?)true), (request.Limit, request.Skip, request.IncludeResultsetResponses, request.TestMode));
        Assert.Equal(["demo", "syn"], request.DatasetIds!);
        Assert.Equal(Granularity.Count, GVariantRequestParser.FromQuery(QueryHelpers.ParseQuery("geneId=BRCA1"), null, Settings with { DefaultGranularity = Granularity.Count }).RequestedGranularity);
        Assert.Equal("limit", RefusedGet("geneId=BRCA1&limit=1001").Parameter);
    }

    [Theory]
    [InlineData("referenceName=17&start=100&end=50", "end", "end 50 must be greater than start 100 (0-based, half-open)")]
    [InlineData("referenceName=17&start=1,2,3&end=5,6,7", "start", "start must hold one or two integers")]
    [InlineData("referenceName=17&start=abc&referenceBases=G&alternateBases=A", "start", "start must be an integer, not 'abc'")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=G", "alternateBases", "alternateBases equals referenceBases: that is no variant")]
    [InlineData("referenceName=17&start=1&alternateBases=AT", "referenceBases", "referenceBases is needed for a multi-base alternateBases")]
    [InlineData("referenceName=17&start=1&end=5&referenceBases=A", "referenceBases", "'referenceBases' is not used by range queries")]
    [InlineData("geneId=BRCA1&referenceName=17", "referenceName", "'referenceName' is not used by geneId")]
    [InlineData("genomicAlleleShortForm=NC_000017.11:g.1A>G&geneId=BRCA1", "geneId", "'geneId' cannot be combined with genomicAlleleShortForm")]
    [InlineData("referenceName=17&start=1&end=5&mateName=2", "mateName", "mateName (fusion queries) is not supported by this beacon")]
    [InlineData("colour=blue", "colour", "unknown parameter 'colour'")]
    [InlineData("geneId=%20", "geneId", "geneId must not be empty")]
    public void A_refused_query_string_names_the_parameter_and_says_why(string query, string parameter, string message)
    {
        var refused = RefusedGet(query);

        Assert.Equal((parameter, message), (refused.Parameter, refused.Message));
    }

    [Theory]
    [InlineData("""{"query":{"requestParameters":{"referenceName":17}}}""", "referenceName", "referenceName must be a string")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1.5]}}}""", "start", "start must be an integer")]
    [InlineData("""{"query":{"requestParameters":[{"geneId":"BRCA1"},{"geneId":"TP53"}]}}""", "requestParameters.geneId", "'geneId' is given twice with different values")]
    [InlineData("""{"query":{"requestParameters":{"g_variant":{"colour":"blue"}}}}""", "requestParameters.g_variant.colour", "unknown parameter 'colour'")]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1","datasetIds":[1]}}}""", "datasetIds", "datasetIds must be a list of dataset ids (strings)")]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1"},"geneId":"TP53"}}""", "geneId", "'geneId' belongs in query.requestParameters")]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1"},"pagination":{"limit":"ten"}}}""", "pagination.limit", "pagination.limit must be an integer")]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1","geneId":"TP53"}}}""", "query.requestParameters.geneId", "the member 'geneId' is given more than once; give each member once")]
    [InlineData("""[1]""", "body", "the request body must be a JSON object")]
    public void A_refused_body_names_the_parameter_and_says_why(string body, string parameter, string message)
    {
        var refused = RefusedPost(body);

        Assert.Equal((parameter, message), (refused.Parameter, refused.Message));
    }

    [Fact]
    public void A_body_that_is_not_JSON_is_refused_as_the_body()
    {
        var refused = RefusedPost("""{"query":""");

        Assert.Equal("body", refused.Parameter);
        Assert.StartsWith("the request body is not valid JSON", refused.Message, StringComparison.Ordinal);
        Assert.Same(ReceivedRequest.Nothing, refused.Received);
    }

    [Fact]
    public void A_refusal_carries_what_was_understood_so_far_and_an_answer_echoes_the_typed_parameters()
    {
        var refused = RefusedPost("""{"query":{"requestParameters":{"referenceName":"17","start":[100],"end":[50]},"requestedGranularity":"count","pagination":{"skip":5,"limit":20}}}""");

        var received = refused.Received!;
        Assert.Equal((Granularity.Count, ResultSetResponses.Hit, 5L, 20L), (received.RequestedGranularity!.Value, received.IncludeResultsetResponses!.Value, received.Skip, received.Limit));
        Assert.Equal(("17", 100L, 50L), (received.Parameters.ReferenceName, Assert.Single(received.Parameters.Start!), Assert.Single(received.Parameters.End!)));

        // Refused while reading the controls: the parameters were read, the limit was not accepted.
        var early = RefusedGet("referenceName=17&start=100&end=200&limit=5000").Received!;
        Assert.Equal((Granularity.Boolean, 10L), (early.RequestedGranularity!.Value, early.Limit));
        Assert.Equal([100L], early.Parameters.Start!);

        var answered = Get("referenceName=17&start=100&end=200&alternateBases=g&variantMinLength=1&datasetIds=demo").Received;
        Assert.Equal(("17", "g", 1L), (answered.Parameters.ReferenceName, answered.Parameters.AlternateBases, answered.Parameters.VariantMinLength));
        Assert.Equal(["referenceName", "start", "end", "alternateBases", "variantMinLength", "datasetIds"], answered.Parameters.Named);
    }
}
