using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Tests;
using GenomeNode.Federation.Merging;

namespace GenomeNode.Federation.Tests;

/// <summary>The merge rules, on plain JSON (no HTTP): exists, counts, granularity, result sets tagged with their beacon.</summary>
public sealed class ResponseMergerTests
{
    private static BeaconPart Part(string beaconId, string? partner, string json) =>
        PartCheck.Read(beaconId, partner ?? "", Encoding.UTF8.GetBytes(json), AnswerKind.ResultSets, null) with { PartnerId = partner };

    private static string Records(string beaconId, long count, string extra = "") => $$$"""
        {"meta":{"beaconId":"{{{beaconId}}}","apiVersion":"v2.1.1","returnedGranularity":"record",
          "receivedRequestSummary":{"apiVersion":"v2.1.1","requestedSchemas":[],"pagination":{"skip":0,"limit":10},"requestedGranularity":"record"},
          "returnedSchemas":[]},
         "responseSummary":{"exists":{{{(count > 0 ? "true" : "false")}}},"numTotalResults":{{{count}}}},
         "response":{"resultSets":[{"id":"{{{beaconId}}}-set","setType":"dataset","exists":true,"resultsCount":{{{count}}},"results":[{"id":"r1"}]{{{extra}}}}]}}
        """;

    [Fact]
    public void Records_of_every_beacon_are_listed_tagged_and_v2_0_result_sets_are_completed()
    {
        var local = Part("local.beacon", null, Records("local.beacon", 2));
        var v20 = Part("fallback", "es", PartnerStubs.V20Records("es.beacon"));

        var merged = ResponseMerger.Merge(AnswerKind.ResultSets, local, [v20]);

        BeaconSchemas.AssertValid(merged.ToJsonString(), BeaconSchemas.ResultsetsResponse);
        Assert.Equal("record", (string?)merged["meta"]!["returnedGranularity"]);
        Assert.Equal(3, (long)merged["responseSummary"]!["numTotalResults"]!);
        var sets = merged["response"]!["resultSets"]!.AsArray();
        Assert.Equal(["local.beacon", "es.beacon"], sets.Select(set => (string?)set!["beaconId"]));
        Assert.Equal("dataset", (string?)sets[1]!["setType"]);
    }

    [Fact]
    public void Counts_are_summed_only_when_every_part_gives_one_else_the_answer_is_boolean_and_says_why()
    {
        var local = Part("local.beacon", null, PartnerStubs.Count("local.beacon", 5));
        var counted = Part("x", "se", PartnerStubs.Count("se.beacon", 2));
        var boolean = Part("x", "no", """
            {"meta":{"beaconId":"no.beacon","apiVersion":"v2.1.1","returnedGranularity":"boolean","returnedSchemas":[],
              "receivedRequestSummary":{"apiVersion":"v2.1.1","requestedSchemas":[],"pagination":{"skip":0,"limit":10},"requestedGranularity":"boolean"}},
             "responseSummary":{"exists":false}}
            """);

        var both = ResponseMerger.Merge(AnswerKind.ResultSets, local, [counted]);
        var weaker = ResponseMerger.Merge(AnswerKind.ResultSets, local, [counted, boolean]);

        Assert.Equal(7, (long)both["responseSummary"]!["numTotalResults"]!);
        BeaconSchemas.AssertValid(both.ToJsonString(), BeaconSchemas.CountResponse);
        Assert.Equal("boolean", (string?)weaker["meta"]!["returnedGranularity"]);
        Assert.True((bool)weaker["responseSummary"]!["exists"]!);
        Assert.Null(weaker["responseSummary"]!["numTotalResults"]);
        Assert.Contains(weaker["info"]!["network"]!["notes"]!.AsArray(), note => ((string?)note)!.Contains("no.beacon answered at boolean", StringComparison.Ordinal));
        BeaconSchemas.AssertValid(weaker.ToJsonString(), BeaconSchemas.BooleanResponse);
    }

    [Fact]
    public void A_failed_part_is_reported_and_leaves_the_rest_merged()
    {
        var local = Part("local.beacon", null, PartnerStubs.Count("local.beacon", 1));
        var failed = new BeaconPart("down.beacon", "down", PartStatus.Timeout, Problem: "no answer within 2 s");
        var invalid = Part("bad", "bad", """{"meta":{},"responseSummary":{"exists":true,"numTotalResults":-1}}""");

        var merged = ResponseMerger.Merge(AnswerKind.ResultSets, local, [failed, invalid]);

        Assert.Equal(PartStatus.InvalidResponse, invalid.Status);
        Assert.Equal(1, (long)merged["responseSummary"]!["numTotalResults"]!);
        Assert.Equal(2, (int)merged["info"]!["network"]!["failed"]!);
        var beacons = merged["info"]!["network"]!["beacons"]!.AsArray();
        Assert.Equal(["ok", "timeout", "invalidResponse"], beacons.Select(b => (string?)b!["status"]));
    }
}
