using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The README's access walk, over a real <c>genome-node serve</c> in the Demo environment (appsettings.Demo.json): a
/// researcher files a request through the REMS-compatible API as the GDI access management service does, the demo
/// committee's member sees the DUO match and approves, the researcher's passport from the node's broker carries the
/// visa, Beacon answers records and samtools streams the controlled BAM through htsget; after a revocation a new
/// passport lacks the visa and htsget refuses it.
/// </summary>
public sealed class AccessWalkEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Researcher = "demo-researcher";
    private const string Member = "demo-dac-member";
    private const string Dataset = "demo-controlled";
    private const string PortalKey = "demo-access-management-service-key";
    private const string Variant = "/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A&requestedGranularity=record&datasetIds=" + Dataset;

    private readonly TemporaryDirectory data = new("access-walk");
    private ServingNode node = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        node = await ServingNode.StartAsync(data.Path, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Demo" });
        client = new HttpClient { BaseAddress = node.BaseAddress };
    }

    public async Task DisposeAsync() => await node.DisposeAsync();

    public void Dispose()
    {
        client.Dispose();
        data.Dispose();
    }

    [Fact]
    public async Task A_request_filed_through_rems_approved_by_the_committee_grants_records_and_reads_until_revoked()
    {
        var anonymous = await BeaconAsync(null);
        Assert.Equal("boolean", anonymous["meta"]!["returnedGranularity"]!.GetValue<string>());

        // The researcher's side, as the access management service calls REMS.
        await RemsAsync("/rems/api/users/create", new JsonObject { ["userid"] = Researcher, ["name"] = "Demo Researcher", ["email"] = "researcher@example.org" });
        var items = JsonNode.Parse(await RemsGetAsync($"/rems/api/catalogue-items?resource={Dataset}"))!.AsArray();
        var itemId = Assert.Single(items)!["id"]!.GetValue<long>();
        var created = await RemsAsync("/rems/api/applications/create", new JsonObject { ["catalogue-item-ids"] = new JsonArray(itemId) });
        var applicationId = created["application-id"]!.GetValue<long>();
        await RemsAsync("/rems/api/applications/save-draft", new JsonObject
        {
            ["application-id"] = applicationId,
            ["field-values"] = new JsonArray(
                new JsonObject { ["form"] = 1, ["field"] = "title", ["value"] = "BRCA1 penetrance" },
                new JsonObject { ["form"] = 1, ["field"] = "description", ["value"] = "Carriers of BRCA1 variants in Finland" },
                new JsonObject { ["form"] = 1, ["field"] = "purpose", ["value"] = "DUO:0000006" }),
        });
        await RemsAsync("/rems/api/applications/accept-licenses", new JsonObject { ["application-id"] = applicationId, ["accepted-licenses"] = new JsonArray(1) });
        await RemsAsync("/rems/api/applications/submit", new JsonObject { ["application-id"] = applicationId });

        // The committee member signs in at the node's broker and reviews on /dac with that access token.
        var memberToken = await AccessTokenAsync(Member, "demo-dac-member-password");
        var pending = JsonNode.Parse(await DacAsync(HttpMethod.Get, "/dac/applications?state=submitted", memberToken))!;
        Assert.Contains(ApplicationsOf(pending), application => application!["id"]!.GetValue<long>() == applicationId);
        var review = JsonNode.Parse(await DacAsync(HttpMethod.Get, $"/dac/applications/{applicationId}", memberToken))!;
        var match = Assert.Single(review["match"]!.AsArray())!;
        Assert.Equal(Dataset, match["datasetId"]!.GetValue<string>());
        Assert.Equal("APPROVE", match["decision"]!.GetValue<string>());
        await DacAsync(HttpMethod.Post, $"/dac/applications/{applicationId}/approve", memberToken,
            new JsonObject { ["end"] = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });

        // The researcher's passport now holds the committee's visa; Beacon and htsget honour it.
        var researcherToken = await AccessTokenAsync(Researcher, "demo-researcher-password");
        var passport = await PassportAsync(researcherToken);
        Assert.Contains(Dataset, GrantedValues(passport));
        var granted = await BeaconAsync(passport);
        Assert.Equal("record", granted["meta"]!["returnedGranularity"]!.GetValue<string>());
        Assert.Contains(granted["response"]!["resultSets"]!.AsArray(), set => set!["id"]!.GetValue<string>() == Dataset
            && set["results"]!.AsArray().Count > 0);
        var streamed = Samtools(passport);
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        var local = ExternalTools.Run("samtools", "view", Path.Combine(data.Path, "demo", "demo.bam"), "chr17");
        Assert.NotEmpty(local);
        Assert.Equal(local, Encoding.UTF8.GetString(streamed.Output));

        await DacAsync(HttpMethod.Post, $"/dac/applications/{applicationId}/revoke", memberToken, new JsonObject { ["reason"] = "the project ended" });

        var after = await PassportAsync(await AccessTokenAsync(Researcher, "demo-researcher-password"));
        Assert.DoesNotContain(Dataset, GrantedValues(after));
        using var ticket = new HttpRequestMessage(HttpMethod.Get, "/htsget/reads/demo-controlled-reads?referenceName=chr17");
        ticket.Headers.Authorization = new AuthenticationHeaderValue("Bearer", after);
        using var refused = await client.SendAsync(ticket);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("PermissionDenied", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["htsget"]!["error"]!.GetValue<string>());
        Assert.NotEqual(0, Samtools(after).ExitCode);
    }

    private static JsonArray ApplicationsOf(JsonNode answer) =>
        answer is JsonArray array ? array : answer["applications"]!.AsArray();

    private (int ExitCode, byte[] Output, string Error) Samtools(string passport)
    {
        var tokenFile = Path.Combine(data.Path, $"token-{Guid.NewGuid():N}");
        File.WriteAllText(tokenFile, passport);
        var url = new Uri(node.BaseAddress, "/htsget/reads/demo-controlled-reads?referenceName=chr17").ToString();
        // htslib sends the token over plain http (the test node's loopback Kestrel) only when told it may.
        return ExternalTools.RunWithExitCode("samtools", new Dictionary<string, string>
        {
            ["HTS_AUTH_LOCATION"] = tokenFile,
            ["HTS_ALLOW_UNENCRYPTED_AUTHORIZATION_HEADER"] = "I understand the risks",
        }, "view", url);
    }

    private async Task<JsonNode> BeaconAsync(string? passport)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Variant);
        if (passport is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", passport);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    private async Task<JsonNode> RemsAsync(string path, JsonObject body)
    {
        using var request = RemsRequest(HttpMethod.Post, path);
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {text}");
        var answer = JsonNode.Parse(text)!;
        Assert.True(answer["success"]!.GetValue<bool>(), $"{path}: {text}");
        return answer;
    }

    private async Task<string> RemsGetAsync(string path)
    {
        using var request = RemsRequest(HttpMethod.Get, path);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {text}");
        return text;
    }

    private static HttpRequestMessage RemsRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-rems-api-key", PortalKey);
        request.Headers.Add("x-rems-user-id", Researcher);
        return request;
    }

    private async Task<string> DacAsync(HttpMethod method, string path, string accessToken, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    private Task<string> AccessTokenAsync(string user, string password) => TokenAsync(new Dictionary<string, string>
    {
        ["grant_type"] = "password",
        ["username"] = user,
        ["password"] = password,
        ["scope"] = "openid ga4gh_passport_v1",
    });

    private Task<string> PassportAsync(string accessToken) => TokenAsync(new Dictionary<string, string>
    {
        ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
        ["subject_token"] = accessToken,
        ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
        ["requested_token_type"] = "urn:ga4gh:params:oauth:token-type:passport",
    });

    private async Task<string> TokenAsync(Dictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("demo-cli:demo-cli-secret")));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token {form["grant_type"]}: {text}");
        return JsonNode.Parse(text)!["access_token"]!.GetValue<string>();
    }

    /// <summary>The values of the ControlledAccessGrants visas a passport carries (payloads read without checking: the node checks them).</summary>
    private static List<string> GrantedValues(string passport) =>
        Payload(passport)["ga4gh_passport_v1"]!.AsArray()
            .Select(visa => Payload(visa!.GetValue<string>())["ga4gh_visa_v1"]!)
            .Where(visa => visa["type"]!.GetValue<string>() == "ControlledAccessGrants")
            .Select(visa => visa["value"]!.GetValue<string>())
            .ToList();

    private static JsonNode Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')))!;
    }
}
