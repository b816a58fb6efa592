using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Federation.Tests;

/// <summary>Beacon partners played by WireMock, each under its own path: what each answers to /info, /map, /filtering_terms and queries.</summary>
internal static class PartnerStubs
{
    public const string KnownTerm = "NCIT:C16576";

    private static readonly string[] Sets = ["genomicVariant:g_variants", "individual:individuals", "dataset:datasets"];

    public static void Metadata(WireMockServer server, string prefix, string beaconId, string apiVersion)
    {
        Json(server, $"{prefix}/info", $$$"""
            {"meta":{"beaconId":"{{{beaconId}}}","apiVersion":"{{{apiVersion}}}","returnedSchemas":[]},
             "response":{"id":"{{{beaconId}}}","name":"Partner {{{beaconId}}}","apiVersion":"{{{apiVersion}}}","environment":"test",
                         "organization":{"id":"org","name":"Partner organisation"} } }
            """);
        var sets = string.Join(",", Sets.Select(pair =>
        {
            var (type, path) = (pair.Split(':')[0], pair.Split(':')[1]);
            return $$$"""
                "{{{type}}}":{"entryType":"{{{type}}}","rootUrl":"{{{server.Url}}}{{{prefix}}}/{{{path}}}"}
                """;
        }));
        Json(server, $"{prefix}/map", $$$"""
            {"meta":{"beaconId":"{{{beaconId}}}","apiVersion":"{{{apiVersion}}}","returnedSchemas":[]},"response":{"endpointSets":{ {{{sets}}} } } }
            """);
        Json(server, $"{prefix}/filtering_terms", $$$"""
            {"meta":{"beaconId":"{{{beaconId}}}","apiVersion":"{{{apiVersion}}}","returnedSchemas":[]},
             "response":{"filteringTerms":[{"id":"{{{KnownTerm}}}","type":"ontologyTerm","label":"female"},{"id":"{{{beaconId}}}:own-term","type":"alphanumeric"}]}}
            """);
    }

    /// <summary>A v2.1 count answer.</summary>
    public static string Count(string beaconId, long count) => $$$"""
        {"meta":{"beaconId":"{{{beaconId}}}","apiVersion":"v2.1.1","returnedGranularity":"count",
                 "receivedRequestSummary":{"apiVersion":"v2.1.1","requestedSchemas":[],"pagination":{"skip":0,"limit":10},"requestedGranularity":"count"},
                 "returnedSchemas":[]},
         "responseSummary":{"exists":{{{(count > 0 ? "true" : "false")}}},"numTotalResults":{{{count}}}},
         "info":{"note":"from {{{beaconId}}}"}}
        """;

    /// <summary>A v2.0-style record answer: no setType, no returnedGranularity.</summary>
    public static string V20Records(string beaconId) => $$$"""
        {"meta":{"beaconId":"{{{beaconId}}}","apiVersion":"v2.0.0",
                 "receivedRequestSummary":{"apiVersion":"v2.0.0","requestedSchemas":[],"pagination":{"skip":0,"limit":10}},
                 "returnedSchemas":[]},
         "responseSummary":{"exists":true,"numTotalResults":1},
         "response":{"resultSets":[{"id":"v20-dataset","exists":true,"resultsCount":1,"results":[{"variantInternalId":"v20-variant-1"}]}]}}
        """;

    public static string Collections(string beaconId, string datasetId) => $$$"""
        {"meta":{"beaconId":"{{{beaconId}}}","apiVersion":"v2.1.1","returnedGranularity":"record",
                 "receivedRequestSummary":{"apiVersion":"v2.1.1","requestedSchemas":[],"pagination":{"skip":0,"limit":10},"requestedGranularity":"record"},
                 "returnedSchemas":[]},
         "responseSummary":{"exists":true,"numTotalResults":1},
         "response":{"collections":[{"id":"{{{datasetId}}}","name":"{{{datasetId}}}"}]}}
        """;

    public static void Json(WireMockServer server, string path, string body, int status = 200, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (delay is { } wait)
        {
            response = response.WithDelay(wait);
        }

        server.Given(Request.Create().WithPath(path)).RespondWith(response);
    }

    public static string Minify(string json) => JsonNode.Parse(json)!.ToJsonString();
}
