using System.Text.Json.Nodes;

namespace GenomeNode.Beacon.Tests;

/// <summary>Malformed or unsupported requests get a Beacon errorResponse with 400 naming the parameter, never a 500.</summary>
public sealed class MalformedRequestTests(BeaconNode node) : IClassFixture<BeaconNode>
{
    [Theory]
    [InlineData("referenceName=17&start=-1&referenceBases=G&alternateBases=A", "start")]
    [InlineData("referenceName=17&start=abc&referenceBases=G&alternateBases=A", "start")]
    [InlineData("referenceName=17&start=99999999999&referenceBases=G&alternateBases=A", "start")]
    [InlineData("referenceName=17&start=100&end=50", "end")]
    [InlineData("referenceName=17&start=100&end=100", "end")]
    [InlineData("referenceName=17&start=1,2&end=5", "end")]
    [InlineData("referenceName=17&start=1,2,3&end=5,6,7", "start")]
    [InlineData("referenceName=17&start=10,5&end=20,30", "start")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=A&assemblyId=GRCh99", "assemblyId")]
    [InlineData("referenceName=NC_000099.1&start=1&end=5", "referenceName")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=A&colour=blue", "colour")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=A&limit=1000000", "limit")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=A&limit=-1", "limit")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=A&skip=-5", "skip")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=A&requestedGranularity=everything", "requestedGranularity")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=A&includeResultsetResponses=SOME", "includeResultsetResponses")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=A&testMode=maybe", "testMode")]
    [InlineData("referenceName=17&start=1&referenceBases=X1&alternateBases=A", "referenceBases")]
    [InlineData("referenceName=17&start=1&referenceBases=G&alternateBases=G", "alternateBases")]
    [InlineData("referenceName=17&start=1&referenceBases=G", "alternateBases")]
    [InlineData("start=1&referenceBases=G&alternateBases=A", "referenceName")]
    [InlineData("referenceName=17&end=5", "start")]
    [InlineData("", "referenceName")]
    [InlineData("aminoacidChange=V600E", "geneId")]
    [InlineData("geneId=BRCA1&variantMinLength=5&variantMaxLength=2", "variantMaxLength")]
    [InlineData("geneId=BRCA1&variantMinLength=x", "variantMinLength")]
    [InlineData("genomicAlleleShortForm=NC_000017.11:c.123A>G", "genomicAlleleShortForm")]
    [InlineData("genomicAlleleShortForm=NC_000099.9:g.123A>G", "genomicAlleleShortForm")]
    [InlineData("referenceName=17&start=1&end=5&mateName=2", "mateName")]
    [InlineData("referenceName=17&start=1&end=5&datasetIds=nosuchdataset", "datasetIds")]
    [InlineData("referenceName=17&referenceName=22&start=1&end=5", "referenceName")]
    [InlineData("geneId=", "geneId")]
    [InlineData("referenceName=&start=1&end=5", "referenceName")]
    public async Task Malformed_GET_is_a_400_errorResponse_naming_the_parameter(string query, string parameter)
    {
        var (status, json) = await node.GetAsync("/api/g_variants?" + query);

        Assert.True(status == 400, $"{status}: {json}");
        BeaconSchemas.AssertValid(json, BeaconSchemas.ErrorResponse);
        var error = BeaconNode.Parse(json)["error"]!;
        Assert.Equal(400, (int)error["errorCode"]!);
        Assert.StartsWith(parameter + ":", (string?)error["errorMessage"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":"forty","referenceBases":"G","alternateBases":"A"}}}""", "start")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":17,"start":[1],"referenceBases":"G","alternateBases":"A"}}}""", "referenceName")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1.5],"referenceBases":"G","alternateBases":"A"}}}""", "start")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[true]}}}""", "end")]
    [InlineData("""{"query":{"requestParameters":"17:1:G:A"}}""", "requestParameters")]
    [InlineData("""{"query":{"requestParameters":[1,2]}}""", "requestParameters")]
    [InlineData("""{"query":{"requestParameters":{"g_variant":"17"}}}""", "requestParameters.g_variant")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[5]},"pagination":[0,10]}}""", "pagination")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[5]},"pagination":{"skip":0,"limit":"ten"}}}""", "pagination.limit")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[5]},"pagination":{"skip":0,"limit":100000000}}}""", "limit")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[5]},"requestedGranularity":5}}""", "requestedGranularity")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[5]},"testMode":"yes"}}""", "testMode")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[5]},"filters":{"id":"NCIT:C4872"}}}""", "filters")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[5],"unknownThing":1}}}""", "requestParameters.unknownThing")]
    [InlineData("""{"query":{"requestParameters":[{"referenceName":"17"},{"referenceName":"22"}]}}""", "requestParameters.referenceName")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17","start":[1],"end":[5],"datasetIds":[1]}}}""", "datasetIds")]
    [InlineData("""{"meta":"v2","query":{}}""", "meta")]
    [InlineData("""{"query":5}""", "query")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("""{"query":{"requestParameters":{"referenceName":"17",""", "body")]
    [InlineData("", "body")]
    public async Task Malformed_POST_body_is_a_400_errorResponse_naming_the_parameter(string body, string parameter)
    {
        var (status, json) = await node.PostAsync("/api/g_variants", body);

        Assert.True(status == 400, $"{status}: {json}");
        BeaconSchemas.AssertValid(json, BeaconSchemas.ErrorResponse);
        Assert.StartsWith(parameter + ":", (string?)BeaconNode.Parse(json)["error"]!["errorMessage"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("17:abc:G:A")]
    [InlineData("not-an-id")]
    [InlineData("17:1:G")]
    public async Task A_malformed_variant_id_is_a_400_naming_the_id(string id)
    {
        var (status, json) = await node.GetAsync("/api/g_variants/" + Uri.EscapeDataString(id));

        Assert.Equal(400, status);
        BeaconSchemas.AssertValid(json, BeaconSchemas.ErrorResponse);
        Assert.StartsWith("id:", (string?)BeaconNode.Parse(json)["error"]!["errorMessage"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_echoes_what_was_understood_of_the_request()
    {
        var body = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["requestParameters"] = new JsonObject { ["referenceName"] = "17", ["start"] = new JsonArray(100), ["end"] = new JsonArray(50) },
                ["requestedGranularity"] = "count",
            },
        };
        var (status, json) = await node.PostAsync("/api/g_variants", body);

        Assert.Equal(400, status);
        var summary = BeaconNode.Parse(json)["meta"]!["receivedRequestSummary"]!;
        Assert.Equal("count", (string?)summary["requestedGranularity"]);
        Assert.Equal(100, (long)summary["requestParameters"]!["g_variant"]!["start"]![0]!);
    }
}
