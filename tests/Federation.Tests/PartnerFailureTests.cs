using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Tests;
using GenomeNode.Tests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Federation.Tests;

/// <summary>
/// One node with eight WireMock partners: healthy (v2.1, counts), slow beyond its timeout, HTTP 500, malformed JSON,
/// schema-invalid, a v2.0 beacon, one that requires this node's client-credentials token, and one trusted with callers'
/// passports.
/// </summary>
public sealed class PartnerFixture : IAsyncLifetime
{
    public const string Subject = "researcher@example.org";

    public WireMockServer Partners { get; private set; } = null!;

    public NetworkNode Node { get; private set; } = null!;

    public TestTokenIssuer Broker { get; private set; } = null!;

    public static readonly string[] Ids = ["healthy", "slow", "e500", "malformed", "invalid", "v20", "token", "trusted"];

    public Task InitializeAsync()
    {
        Partners = WireMockServer.Start();
        Broker = new TestTokenIssuer($"{Partners.Url}/broker", $"{Partners.Url}/broker/jwks");
        Partners.Given(Request.Create().WithPath("/broker/jwks").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(Broker.Jwks()));
        foreach (var id in Ids)
        {
            PartnerStubs.Metadata(Partners, $"/{id}", $"org.partner.{id}", id == "v20" ? "v2.0.0" : "v2.1.1");
        }

        foreach (var path in (string[])["g_variants", "individuals"])
        {
            PartnerStubs.Json(Partners, $"/healthy/{path}", PartnerStubs.Count("org.partner.healthy", 3));
            PartnerStubs.Json(Partners, $"/trusted/{path}", PartnerStubs.Count("org.partner.trusted", 2));
            PartnerStubs.Json(Partners, $"/slow/{path}", PartnerStubs.Count("org.partner.slow", 5), delay: TimeSpan.FromSeconds(4));
            PartnerStubs.Json(Partners, $"/e500/{path}", """{"error":{"errorCode":500,"errorMessage":"database down"}}""", status: 500);
            PartnerStubs.Json(Partners, $"/malformed/{path}", """{"meta": {"beaconId": "org.partner.malformed", """);
            PartnerStubs.Json(Partners, $"/invalid/{path}", """{"meta":{"beaconId":"org.partner.invalid"},"responseSummary":{"exists":"yes"}}""");
            PartnerStubs.Json(Partners, $"/v20/{path}", PartnerStubs.V20Records("org.partner.v20"));
            // Without this node's token the partner refuses; with it, it answers.
            Partners.Given(Request.Create().WithPath($"/token/{path}").WithHeader("Authorization", "Bearer cc-token-1"))
                .AtPriority(1)
                .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(PartnerStubs.Count("org.partner.token", 4)));
            Partners.Given(Request.Create().WithPath($"/token/{path}")).AtPriority(5)
                .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                    .WithBody("""{"error":{"errorCode":401,"errorMessage":"token required"}}"""));
        }

        PartnerStubs.Json(Partners, "/healthy/datasets", PartnerStubs.Collections("org.partner.healthy", "se-cohort"));
        PartnerStubs.Json(Partners, "/v20/datasets", PartnerStubs.Collections("org.partner.v20", "es-cohort"));
        Partners.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(body => body!.Contains("grant_type=client_credentials", StringComparison.Ordinal)
                && body.Contains("client_id=genome-node-fi", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody("""{"access_token":"cc-token-1","token_type":"Bearer","expires_in":300}"""));

        var settings = new Dictionary<string, string>
        {
            ["Passport:AllowLoopbackHttp"] = "true",
            ["Passport:TrustedBrokers:0:Issuer"] = Broker.Issuer,
            ["Passport:TrustedBrokers:0:JwksUri"] = Broker.JwksUrl,
            ["Federation:DefaultTimeoutSeconds"] = "2",
        };
        for (var i = 0; i < Ids.Length; i++)
        {
            settings[$"Federation:Partners:{i}:Id"] = Ids[i];
            settings[$"Federation:Partners:{i}:BaseUrl"] = $"{Partners.Url}/{Ids[i]}";
        }

        var slow = Array.IndexOf(Ids, "slow");
        settings[$"Federation:Partners:{slow}:TimeoutSeconds"] = "1";
        var token = Array.IndexOf(Ids, "token");
        settings[$"Federation:Partners:{token}:Authentication:Mode"] = "ClientCredentials";
        settings[$"Federation:Partners:{token}:Authentication:TokenUrl"] = $"{Partners.Url}/oauth/token";
        settings[$"Federation:Partners:{token}:Authentication:ClientId"] = "genome-node-fi";
        settings[$"Federation:Partners:{token}:Authentication:ClientSecret"] = "s3cret";
        var trusted = Array.IndexOf(Ids, "trusted");
        settings[$"Federation:Partners:{trusted}:Authentication:Mode"] = "Passport";
        settings[$"Federation:Partners:{trusted}:TrustedForPassports"] = "true";
        Node = new NetworkNode(settings);
        return Task.CompletedTask;
    }

    /// <summary>Waits until the partners' metadata (fetched at start) is known.</summary>
    public async Task<HttpClient> ClientAsync()
    {
        var client = Node.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonNode? info = null;
        while (DateTime.UtcNow < deadline)
        {
            info = JsonNode.Parse(await client.GetStringAsync(new Uri("/network/api/info", UriKind.Relative)))!;
            var partners = info["response"]!["info"]!["network"]!["partners"]!.AsArray();
            if (partners.Count(p => p!["apiVersion"] is not null) >= Ids.Length - 1)
            {
                return client;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the partners' metadata was not fetched: {info?.ToJsonString()}");
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Partners.Stop();
        Partners.Dispose();
        Broker.Dispose();
    }
}

public sealed class PartnerFailureTests(PartnerFixture fixture) : IClassFixture<PartnerFixture>
{
    private const string Variant = "referenceName=17&start=43045711&referenceBases=G&alternateBases=A";

    private static JsonObject Beacon(JsonNode answer, string partner) =>
        answer["info"]!["network"]!["beacons"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["partner"] == partner);

    [Fact]
    public async Task A_query_the_node_refuses_is_answered_with_its_own_error_while_partners_are_still_being_asked()
    {
        // The node's own part refuses at once; the slow partner is still being asked and is called off, never a 500.
        using var client = await fixture.ClientAsync();
        using var response = await client.GetAsync(new Uri("/network/api/g_variants?referenceName=17&start=not-a-number", UriKind.Relative));
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        BeaconSchemas.AssertValid(json, BeaconSchemas.ErrorResponse);
    }

    [Fact]
    public async Task Every_kind_of_partner_gives_one_merged_schema_valid_answer_with_the_failures_reported()
    {
        using var client = await fixture.ClientAsync();
        using var response = await client.GetAsync(new Uri($"/network/api/g_variants?{Variant}&requestedGranularity=count", UriKind.Relative));
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(json)!;
        BeaconSchemas.AssertValid(json, BeaconSchemas.ForGranularity((string)answer["meta"]!["returnedGranularity"]!));
        Assert.True((bool)answer["responseSummary"]!["exists"]!);
        Assert.Equal(NetworkNode.BeaconId, (string?)answer["meta"]!["beaconId"]);

        Assert.Equal("ok", (string?)Beacon(answer, "healthy")["status"]);
        Assert.Equal(3, (long)Beacon(answer, "healthy")["numTotalResults"]!);
        Assert.Equal("org.partner.healthy", (string?)Beacon(answer, "healthy")["beaconId"]);
        Assert.Equal("timeout", (string?)Beacon(answer, "slow")["status"]);
        Assert.Equal("error", (string?)Beacon(answer, "e500")["status"]);
        Assert.Contains("HTTP 500: database down", (string?)Beacon(answer, "e500")["problem"], StringComparison.Ordinal);
        Assert.Equal("invalidJson", (string?)Beacon(answer, "malformed")["status"]);
        Assert.Equal("invalidResponse", (string?)Beacon(answer, "invalid")["status"]);
        Assert.Contains("responseSummary.exists", (string?)Beacon(answer, "invalid")["problem"], StringComparison.Ordinal);
        Assert.Equal("ok", (string?)Beacon(answer, "v20")["status"]);
        Assert.Equal("v2.0.0", (string?)Beacon(answer, "v20")["apiVersion"]);
        Assert.Equal("ok", (string?)Beacon(answer, "token")["status"]);
        Assert.Equal(4, (long)Beacon(answer, "token")["numTotalResults"]!);
        Assert.Equal(4, (int)answer["info"]!["network"]!["failed"]!);

        // The node's own part is exactly what its /api gives this caller.
        var own = JsonNode.Parse(await client.GetStringAsync(new Uri($"/api/g_variants?{Variant}&requestedGranularity=count", UriKind.Relative)))!;
        var local = answer["info"]!["network"]!["beacons"]!.AsArray().OfType<JsonObject>().Single(b => b["local"] is not null);
        Assert.Equal((string?)own["meta"]!["returnedGranularity"], (string?)local["returnedGranularity"]);
        if (own["responseSummary"]!["numTotalResults"] is { } count)
        {
            // Counts are summed only where every part has one: here every answer that merged does.
            Assert.Equal((long)count + 3 + 2 + 4 + 1, (long)answer["responseSummary"]!["numTotalResults"]!);
        }
        else
        {
            Assert.Null(answer["responseSummary"]!["numTotalResults"]);
        }
    }

    [Fact]
    public async Task Collections_of_every_partner_are_listed_with_their_beacon_id()
    {
        using var client = await fixture.ClientAsync();
        var json = await client.GetStringAsync(new Uri("/network/api/datasets", UriKind.Relative));
        var answer = JsonNode.Parse(json)!;

        BeaconSchemas.AssertValid(json, BeaconSchemas.CollectionsResponse);
        var collections = answer["response"]!["collections"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Contains(collections, c => (string?)c["id"] == "demo" && (string?)c["beaconId"] == NetworkNode.BeaconId);
        Assert.Contains(collections, c => (string?)c["id"] == "se-cohort" && (string?)c["beaconId"] == "org.partner.healthy");
        Assert.Contains(collections, c => (string?)c["id"] == "es-cohort" && (string?)c["beaconId"] == "org.partner.v20");
    }

    [Fact]
    public async Task The_callers_passport_reaches_only_the_partner_trusted_for_it()
    {
        using var client = await fixture.ClientAsync();
        var passport = fixture.Broker.Passport(PartnerFixture.Subject, []);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/network/api/individuals", UriKind.Relative))
        {
            Content = new StringContent($$$"""{"meta":{"apiVersion":"v2.1.1"},"query":{"filters":[{"id":"{{{PartnerStubs.KnownTerm}}}"},{"id":"UNKNOWN:42"}],"requestedGranularity":"count"}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", passport);
        var started = DateTime.UtcNow;
        using var response = await client.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        var answer = JsonNode.Parse(json)!;
        BeaconSchemas.AssertValid(json, BeaconSchemas.ForGranularity((string)answer["meta"]!["returnedGranularity"]!));
        var sent = fixture.Partners.LogEntries
            .Where(entry => entry.RequestMessage.Path.EndsWith("/individuals", StringComparison.Ordinal) && entry.RequestMessage.DateTime >= started.AddSeconds(-1))
            .ToList();
        Assert.NotEmpty(sent);
        foreach (var entry in sent)
        {
            var headers = entry.RequestMessage.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>();
            var authorization = headers.TryGetValue("Authorization", out var values) ? string.Join(",", values) : null;
            if (entry.RequestMessage.Path.StartsWith("/trusted/", StringComparison.Ordinal))
            {
                Assert.Equal($"Bearer {passport}", authorization);
            }
            else
            {
                Assert.DoesNotContain(passport, authorization ?? "", StringComparison.Ordinal);
                Assert.Equal(entry.RequestMessage.Path.StartsWith("/token/", StringComparison.Ordinal) ? "Bearer cc-token-1" : null, authorization);
            }

            Assert.True(headers.ContainsKey("X-Beacon-Network-Hop"));
        }

        Assert.Contains(sent, entry => entry.RequestMessage.Path == "/trusted/individuals");
        // A POST is never sent twice: the partner answering 500 got it once.
        Assert.Single(sent, entry => entry.RequestMessage.Path == "/e500/individuals");
        // Filters a partner's filtering terms do not list are reported for that partner.
        Assert.Equal(["UNKNOWN:42"], Beacon(answer, "healthy")["unknownFilters"]!.AsArray().Select(id => (string)id!));
    }

    [Fact]
    public async Task The_network_map_points_at_the_network_and_info_names_the_partners()
    {
        using var client = await fixture.ClientAsync();
        var map = await client.GetStringAsync(new Uri("/network/api/map", UriKind.Relative));
        Assert.Contains("/network/api/g_variants", map, StringComparison.Ordinal);
        Assert.DoesNotContain("\"http://localhost/api/", map, StringComparison.Ordinal);

        var info = JsonNode.Parse(await client.GetStringAsync(new Uri("/network/api/info", UriKind.Relative)))!;
        var partners = info["response"]!["info"]!["network"]!["partners"]!.AsArray();
        Assert.Equal(PartnerFixture.Ids.Length, partners.Count);
        Assert.Contains(partners, p => (string?)p!["beaconId"] == "org.partner.v20" && (string?)p["apiVersion"] == "v2.0.0");
    }
}
