using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// Input that used to end in a 500: positions past 64 bits, text that is not well-formed Unicode, and bodies that
/// repeat a member. Each is a 400 errorResponse naming the parameter or member.
/// </summary>
public sealed class UntrustedTextTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [Theory]
    [InlineData("NC_000017.11:g.99999999999999999999999A>G")]
    [InlineData("NC_000017.11:g.1_99999999999999999999999del")]
    [InlineData("NC_000017.11:g.\u0664\u0663A>G")]
    public async Task An_HGVS_position_that_is_no_number_of_ours_is_a_400_naming_the_parameter(string hgvs)
    {
        var (status, json) = await node.GetAsync("/api/g_variants?genomicAlleleShortForm=" + Uri.EscapeDataString(hgvs));

        AssertRefused(status, json, "genomicAlleleShortForm");
    }

    [Theory]
    [InlineData("""{"query":{"requestParameters":{"geneId":"\ud800"}}}""", "query.requestParameters.geneId")]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1"},"requestedGranularity":"\ud800"}}""", "query.requestedGranularity")]
    [InlineData("""{"meta":{"apiVersion":"\udc00x"},"query":{"requestParameters":{"geneId":"BRCA1"}}}""", "meta.apiVersion")]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1","datasetIds":["demo","\ud800"]}}}""", "query.requestParameters.datasetIds[1]")]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1","\ud800":1}}}""", "query.requestParameters")]
    public async Task A_lone_surrogate_in_a_body_is_a_400_naming_the_member(string body, string member)
    {
        var (status, json) = await node.PostAsync("/api/g_variants", body);

        AssertRefused(status, json, member);
    }

    [Fact]
    public async Task Invalid_UTF8_inside_a_body_string_is_a_400_naming_the_member()
    {
        var body = Encoding.UTF8.GetBytes("""{"query":{"requestParameters":{"geneId":"BRCA?"}}}""");
        body[Array.IndexOf(body, (byte)'?')] = 0xFF;
        using var client = node.CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync(new Uri("/api/g_variants", UriKind.Relative), content);

        AssertRefused((int)response.StatusCode, await response.Content.ReadAsStringAsync(), "query.requestParameters.geneId");
    }

    [Theory]
    [InlineData("geneId", "BRCA1", 0xD800)]
    [InlineData("requestedSchema", "ga4gh-beacon-variant-v2.1.0", 0xDFFF)]
    public async Task A_lone_surrogate_in_the_query_string_is_a_400_naming_the_parameter(string name, string text, int surrogate)
    {
        // (The surrogate is built here: attribute arguments are stored as UTF-8, which cannot hold one.) HttpClient cannot
        // send such a query string, and Kestrel refuses the invalid UTF-8 it would take; another server in front of the
        // application could still hand one over, so the test server sets it directly.
        var value = text + (char)surrogate;
        var context = await node.Server.SendAsync(request =>
        {
            request.Request.Method = HttpMethods.Get;
            request.Request.Path = "/api/g_variants";
            request.Request.QueryString = new QueryString($"?referenceName=17&start=1&end=5&{name}={value}");
        });
        using var reader = new StreamReader(context.Response.Body);

        AssertRefused(context.Response.StatusCode, await reader.ReadToEndAsync(), name);
    }

    [Theory]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1"}},"query":{"requestParameters":{"geneId":"TP53"}}}""", "query")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"start":[2],"end":[5]}}}""", "query.requestParameters.start")]
    [InlineData("""{"meta":{"apiVersion":"v2.0","apiVersion":"v2.0"},"query":{"requestParameters":{"geneId":"BRCA1"}}}""", "meta.apiVersion")]
    [InlineData("""{"query":{"requestParameters":[{"geneId":"BRCA1"},{"g_variant":{"variantType":"SNP","variantType":"DEL"}}]}}""", "query.requestParameters[1].g_variant.variantType")]
    [InlineData("""{"query":{"requestParameters":{"geneId":"BRCA1"},"pagination":{"skip":0,"limit":1,"limit":100}}}""", "query.pagination.limit")]
    [InlineData("""{"geneId":"BRCA1","geneId":"BRCA2"}""", "geneId")]
    public async Task A_member_given_twice_in_a_body_is_a_400_naming_it(string body, string member)
    {
        var (status, json) = await node.PostAsync("/api/g_variants", body);

        AssertRefused(status, json, member);
        Assert.Contains("more than once", json, StringComparison.Ordinal);
    }

    private static void AssertRefused(int status, string json, string parameter)
    {
        Assert.True(status == 400, $"{status}: {json}");
        BeaconSchemas.AssertValid(json, BeaconSchemas.ErrorResponse);
        var error = BeaconNode.Parse(json)["error"]!;
        Assert.Equal(400, (int)error["errorCode"]!);
        Assert.StartsWith(parameter + ":", (string?)error["errorMessage"], StringComparison.Ordinal);
    }
}
