using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tickets;

namespace GenomeNode.Htsget.Tests.Tickets;

/// <summary>GET parameters and POST bodies as htsget 1.3 defines them, and the error type for each malformed one.</summary>
public sealed class HtsgetRequestsTests
{
    [Fact]
    public void A_region_query_reads_reference_start_end_and_format()
    {
        var query = Get(HtsgetKind.Reads, ("format", "bam"), ("referenceName", "chr17"), ("start", "43044000"), ("end", "43046000"));

        Assert.Equal(new HtsgetQuery(HtsgetKind.Reads, "BAM", false, query.Regions), query);
        Assert.Equal(new HtsgetRegion("chr17", 43044000, 43046000), Assert.Single(query.Regions!));
    }

    [Fact]
    public void No_parameters_ask_for_the_whole_file_in_the_objects_format_and_unknown_ones_are_ignored()
    {
        Assert.Equal(new HtsgetQuery(HtsgetKind.Variants), Get(HtsgetKind.Variants));
        Assert.Equal(new HtsgetQuery(HtsgetKind.Variants), Get(HtsgetKind.Variants, ("Referencename", "x"), ("other", "1")));
    }

    [Fact]
    public void Header_class_unplaced_reads_fields_and_tags_are_accepted()
    {
        Assert.True(Get(HtsgetKind.Reads, ("class", "header"), ("format", "CRAM")).HeaderOnly);
        Assert.Equal("*", Get(HtsgetKind.Reads, ("referenceName", "*")).Regions![0].ReferenceName);
        var filtered = Get(HtsgetKind.Reads, ("referenceName", "1"), ("fields", "QNAME,FLAG,POS"), ("tags", "MD,NM"), ("notags", "OQ"));
        Assert.Equal(new HtsgetRegion("1"), filtered.Regions![0]);
        Assert.False(Get(HtsgetKind.Reads, ("tags", ""), ("notags", "OQ")).HeaderOnly);
        Assert.Equal(new HtsgetRegion("chr1", 5, 5), Get(HtsgetKind.Variants, ("referenceName", "chr1"), ("start", "5"), ("end", "5")).Regions![0]);
        Assert.Equal(new HtsgetRegion("chr1", null, 10), Get(HtsgetKind.Variants, ("referenceName", "chr1"), ("end", "10")).Regions![0]);
    }

    [Theory]
    [InlineData("reads", "format=VCF", HtsgetErrorType.UnsupportedFormat)]
    [InlineData("variants", "format=BAM", HtsgetErrorType.UnsupportedFormat)]
    [InlineData("reads", "format=SAM", HtsgetErrorType.UnsupportedFormat)]
    [InlineData("reads", "start=10", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "end=10", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "referenceName=*&start=1", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "referenceName=chr1&start=20&end=10", HtsgetErrorType.InvalidRange)]
    [InlineData("reads", "referenceName=chr1&start=-1", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "referenceName=chr1&start=1.5", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "referenceName=chr1&end=ten", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "referenceName=chr1&start=99999999999999999999", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "referenceName=chr1&start=+5", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "referenceName=chr1&start=1&start=2", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "referenceName=", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "class=body", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "class=header&referenceName=chr1", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "class=header&fields=QNAME", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "fields=QNAME,NOPE", HtsgetErrorType.InvalidInput)]
    [InlineData("reads", "tags=MD,NM&notags=NM", HtsgetErrorType.InvalidInput)]
    public void Malformed_queries_answer_the_specified_error(string kind, string queryString, HtsgetErrorType expected)
    {
        var parameters = queryString.Split('&').Select(pair => pair.Split('=', 2)).Select(pair => (pair[0], pair[1])).ToArray();

        var error = Assert.Throws<HtsgetException>(() => Get(kind == "reads" ? HtsgetKind.Reads : HtsgetKind.Variants, parameters));

        Assert.Equal(expected, error.Type);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_post_body_lists_regions_in_order()
    {
        var body = new HtsgetPostBody("vcf", null, null, ["DP"], ["AF"],
            [new HtsgetPostRegion("chr1", null, null), new HtsgetPostRegion("chr2", 999, 1000), new HtsgetPostRegion("chr2", 2000, 2100)]);

        var query = HtsgetRequests.FromPostBody(HtsgetKind.Variants, body, 1000);

        Assert.Equal("VCF", query.Format);
        Assert.Equal([new HtsgetRegion("chr1"), new HtsgetRegion("chr2", 999, 1000), new HtsgetRegion("chr2", 2000, 2100)], query.Regions);
        Assert.Null(HtsgetRequests.FromPostBody(HtsgetKind.Variants, new HtsgetPostBody(null, null, null, null, null, null), 10).Regions);
    }

    public static TheoryData<HtsgetPostBody?, HtsgetErrorType> BadBodies => new()
    {
        { null, HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody("VCF", null, null, null, null, null), HtsgetErrorType.UnsupportedFormat },
        { new HtsgetPostBody(null, null, null, null, null, []), HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody(null, null, null, null, null, [null]), HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody(null, null, null, null, null, [new HtsgetPostRegion(null, 1, 2)]), HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody(null, null, null, null, null, [new HtsgetPostRegion("chr1", 10, 10)]), HtsgetErrorType.InvalidRange },
        { new HtsgetPostBody(null, null, null, null, null, [new HtsgetPostRegion("chr1", -5, null)]), HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody(null, null, null, null, null, [new HtsgetPostRegion("*", 1, null)]), HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody(null, "header", null, null, null, [new HtsgetPostRegion("chr1", null, null)]), HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody(null, null, ["QNAME", "BOGUS"], null, null, null), HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody(null, null, null, ["RG"], ["RG"], null), HtsgetErrorType.InvalidInput },
        { new HtsgetPostBody(null, null, null, null, null, [.. Enumerable.Repeat(new HtsgetPostRegion("chr1", null, null), 11)]), HtsgetErrorType.PayloadTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void Malformed_post_bodies_answer_the_specified_error(HtsgetPostBody? body, HtsgetErrorType expected)
    {
        var error = Assert.Throws<HtsgetException>(() => HtsgetRequests.FromPostBody(HtsgetKind.Reads, body, maxRegions: 10));

        Assert.Equal(expected, error.Type);
    }

    [Theory]
    [InlineData("referenceName", "chr1", 0xD800)]
    [InlineData("fields", "QNAME", 0xDC00)]
    [InlineData("tags", "NM", 0xD83D)]
    public void A_parameter_with_a_lone_surrogate_is_invalid_input(string name, string text, int surrogate)
    {
        // Built here: attribute arguments are stored as UTF-8, which cannot hold a lone surrogate.
        var value = text + (char)surrogate;

        var error = Assert.Throws<HtsgetException>(() => Get(HtsgetKind.Reads, (name, value)));

        Assert.Equal(HtsgetErrorType.InvalidInput, error.Type);
        Assert.Contains($"'{name}' is not valid Unicode text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_echoed_value_is_cut_between_characters_not_inside_one()
    {
        var format = new string('a', 60) + "\U0001F600" + "bbbb";

        var error = Assert.Throws<HtsgetException>(() => Get(HtsgetKind.Reads, ("format", format)));

        Assert.Contains($"'{new string('a', 60)}...'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsSurrogate);
    }

    [Fact]
    public void Error_types_carry_the_specified_status_codes()
    {
        Assert.Equal(401, HtsgetErrorType.InvalidAuthentication.StatusCode());
        Assert.Equal(403, HtsgetErrorType.PermissionDenied.StatusCode());
        Assert.Equal(404, HtsgetErrorType.NotFound.StatusCode());
        Assert.Equal(413, HtsgetErrorType.PayloadTooLarge.StatusCode());
        Assert.All(new[] { HtsgetErrorType.UnsupportedFormat, HtsgetErrorType.InvalidInput, HtsgetErrorType.InvalidRange },
            type => Assert.Equal(400, type.StatusCode()));
    }

    private static HtsgetQuery Get(HtsgetKind kind, params (string Name, string Value)[] parameters) =>
        HtsgetRequests.FromQueryString(kind, parameters
            .GroupBy(parameter => parameter.Name, StringComparer.Ordinal)
            .Select(group => KeyValuePair.Create(group.Key, (IReadOnlyList<string?>)group.Select(parameter => (string?)parameter.Value).ToList())));
}
