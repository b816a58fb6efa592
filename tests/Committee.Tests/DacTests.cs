using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Committee.Tests;

/// <summary>The committee's API: who may decide, the DUO match, concurrent decisions, grants as visas, and the audit of every change.</summary>
public sealed class DacTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private CommitteeNode Node => fixture.Node;

    [Fact]
    public async Task A_member_sees_the_application_with_the_DUO_match_of_its_purpose()
    {
        var matching = await Node.SubmittedAsync("duo-user-1", purpose: "DUO:0000007 MONDO:0007254");
        var (status, json) = await Node.DacAsync(HttpMethod.Get, $"/dac/applications/{matching}", "member-1");
        Assert.Equal(200, status);
        var match = json!["match"]![0]!;
        Assert.Equal(CommitteeNode.Brca, match["datasetId"]!.GetValue<string>());
        Assert.Equal("APPROVE", match["decision"]!.GetValue<string>());
        Assert.NotEmpty(match["reasons"]!.AsArray());

        // General research does not fit a disease-specific dataset.
        var general = await Node.SubmittedAsync("duo-user-2", purpose: "DUO:0000042");
        (_, json) = await Node.DacAsync(HttpMethod.Get, $"/dac/applications/{general}", "member-1");
        Assert.Equal("DENY", json!["match"]![0]!["decision"]!.GetValue<string>());

        var (_, list) = await Node.DacAsync(HttpMethod.Get, "/dac/applications?state=submitted", "member-1");
        Assert.Contains(list!.AsArray(), a => a!["id"]!.GetValue<long>() == general);
        (status, _) = await Node.DacAsync(HttpMethod.Get, "/dac/applications?state=bogus", "member-1");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task A_caller_outside_the_committee_is_refused()
    {
        var id = await Node.SubmittedAsync("auth-user");
        var (status, json) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "other-member", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(403, status);
        Assert.Contains("not a member", json!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "random-user", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(403, status);
        (status, _) = await Node.DacAsync(HttpMethod.Get, $"/dac/applications/{id}", "other-member");
        Assert.Equal(404, status);
        var (_, others) = await Node.DacAsync(HttpMethod.Get, "/dac/applications", "other-member");
        Assert.DoesNotContain(others!.AsArray(), a => a!["id"]!.GetValue<long>() == id);

        // The portal's key names users on the REMS API; it may not name a committee member on /dac.
        (status, json) = await Node.JsonAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1",
            new JsonObject { ["end"] = CommitteeNode.FutureEnd }, key: Node.ServiceKey);
        Assert.Equal(403, status);
        Assert.Contains("role dac", json!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // No key and no token: 401, in JSON.
        using var anonymous = await Node.Http.GetAsync(new Uri("/dac/applications", UriKind.Relative));
        Assert.Equal(401, (int)anonymous.StatusCode);
        Assert.Contains("\"error\"", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_draft_is_its_applicants_own_until_submitted()
    {
        var id = await Node.DraftAsync("draft-owner");
        var (status, _) = await Node.DacAsync(HttpMethod.Get, $"/dac/applications/{id}", "member-1");
        Assert.Equal(404, status);
        (status, _) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "member-1");
        Assert.Equal(404, status);
        var (_, list) = await Node.DacAsync(HttpMethod.Get, "/dac/applications", "member-1");
        Assert.DoesNotContain(list!.AsArray(), a => a!["id"]!.GetValue<long>() == id);
        (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(409, status);

        await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/submit", "draft-owner", new JsonObject { ["application-id"] = id });
        (status, _) = await Node.DacAsync(HttpMethod.Get, $"/dac/applications/{id}", "member-1");
        Assert.Equal(200, status);
        (status, var json) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "member-1");
        Assert.Equal(200, status);
        Assert.Contains(json!["application/permissions"]!.AsArray(), p => p!.GetValue<string>() == "application.command/approve");
    }

    [Fact]
    public async Task A_member_cannot_approve_their_own_request()
    {
        var id = await Node.SubmittedAsync("member-2");
        var (status, json) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-2", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(403, status);
        Assert.Contains("may not decide", json!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Approval_needs_a_future_end_and_rejection_a_reason()
    {
        var id = await Node.SubmittedAsync("end-user");
        var (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject());
        Assert.Equal(400, status);
        (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = "2001-01-01" });
        Assert.Equal(400, status);
        (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/reject", "member-1", new JsonObject());
        Assert.Equal(400, status);
        (status, var json) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/reject", "member-1", new JsonObject { ["reason"] = "out of scope" });
        Assert.Equal(200, status);
        Assert.Equal("rejected", json!["state"]!.GetValue<string>());
        (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(409, status);
        (status, _) = await Node.DacAsync(HttpMethod.Post, "/dac/applications/987654/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task Two_decisions_at_once_give_exactly_one_grant()
    {
        var id = await Node.SubmittedAsync("race-user");
        var approve = Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        var again = Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-2", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        var reject = Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/reject", "member-2", new JsonObject { ["reason"] = "no" });
        var results = await Task.WhenAll(approve, again, reject);

        Assert.Equal(1, results.Count(result => result.Status == 200));
        Assert.All(results.Where(result => result.Status != 200), result => Assert.Equal(409, result.Status));
        var grants = Convert.ToInt64(Database.Scalar(Node, $"SELECT count(*) FROM committee.grants WHERE application_id = {id}"), System.Globalization.CultureInfo.InvariantCulture);
        var state = (string)Database.Scalar(Node, $"SELECT state FROM committee.applications WHERE id = {id}")!;
        Assert.Equal(state == "approved" ? 1 : 0, grants);
        var decisions = Convert.ToInt64(Database.Scalar(Node,
            $"SELECT count(*) FROM committee.events WHERE application_id = {id} AND type IN ('application.event/approved', 'application.event/rejected')"),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, decisions);
    }

    [Fact]
    public async Task Permissions_answer_REMS_visas_until_the_grant_is_revoked()
    {
        var id = await Node.SubmittedAsync("visa-user");
        await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd });

        var (status, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/permissions/visa-user?expired=false", "visa-user");
        Assert.Equal(200, status);
        var visa = Assert.Single(json!["ga4gh_passport_v1"]!.AsArray())!.GetValue<string>();
        var parts = visa.Split('.');
        var header = JsonNode.Parse(Decode(parts[0]))!;
        var claims = JsonNode.Parse(Decode(parts[1]))!;
        Assert.Equal("https://node.example.org/rems/api/jwk", header["jku"]!.GetValue<string>());
        Assert.Equal("https://node.example.org/", claims["iss"]!.GetValue<string>());
        Assert.Equal("visa-user", claims["sub"]!.GetValue<string>());
        Assert.Equal("ControlledAccessGrants", claims["ga4gh_visa_v1"]!["type"]!.GetValue<string>());
        Assert.Equal("urn:node:brca", claims["ga4gh_visa_v1"]!["value"]!.GetValue<string>());
        Assert.Equal(CommitteeNode.BrcaCommittee, claims["ga4gh_visa_v1"]!["source"]!.GetValue<string>());
        Assert.Equal("dac", claims["ga4gh_visa_v1"]!["by"]!.GetValue<string>());

        // Another user reads them only with a reporter key; the JWKS is public.
        (status, _) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/permissions/visa-user", "someone-else");
        Assert.Equal(403, status);
        (status, _) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/permissions/visa-user", "broker", key: Node.ReporterKey);
        Assert.Equal(200, status);
        using (var jwk = await Node.Http.GetAsync(new Uri("/rems/api/jwk", UriKind.Relative)))
        {
            Assert.Equal(200, (int)jwk.StatusCode);
            // The visa verifies with an independent validator against the published keys alone.
            var validated = await new JsonWebTokenHandler().ValidateTokenAsync(visa, new TokenValidationParameters
            {
                ValidIssuer = "https://node.example.org/",
                ValidateAudience = false,
                IssuerSigningKeys = new JsonWebKeySet(await jwk.Content.ReadAsStringAsync()).GetSigningKeys(),
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                RequireSignedTokens = true,
                RequireExpirationTime = true,
            });
            Assert.True(validated.IsValid, validated.Exception?.Message);
        }

        // The broker's source of visas says the same.
        var issued = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<GenomeNode.Passport.Issuing.IIssuedVisas>(Node.Services);
        Assert.Single(await issued.ForSubjectAsync("visa-user", "https://node.example.org/", CancellationToken.None));

        var (revoked, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/revoke", "member-1", new JsonObject { ["reason"] = "ended early" });
        Assert.Equal(200, revoked);
        (_, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/permissions/visa-user", "visa-user");
        Assert.Empty(json!["ga4gh_passport_v1"]!.AsArray());
        Assert.Empty(await issued.ForSubjectAsync("visa-user", "https://node.example.org/", CancellationToken.None));
        // Asked for expired ones too, the revoked grant's visa ends when it was revoked.
        (_, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/permissions/visa-user?expired=true", "visa-user");
        var ended = JsonNode.Parse(Decode(Assert.Single(json!["ga4gh_passport_v1"]!.AsArray())!.GetValue<string>().Split('.')[1]))!;
        Assert.True(ended["exp"]!.GetValue<long>() <= DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var (_, grants) = await Node.DacAsync(HttpMethod.Get, "/dac/grants?all=true", "member-1");
        Assert.Contains(grants!.AsArray(), g => g!["applicationId"]!.GetValue<long>() == id && g["revokeReason"]!.GetValue<string>() == "ended early");
    }

    [Fact]
    public async Task Every_change_is_an_event_with_its_actor()
    {
        var id = await Node.SubmittedAsync("event-user");
        await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd, ["comment"] = "fine" });
        await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/revoke", "member-2", new JsonObject { ["reason"] = "misuse" });
        var (status, json) = await Node.DacAsync(HttpMethod.Get, $"/dac/applications/{id}/events", "member-1");
        Assert.Equal(200, status);
        var events = json!.AsArray().Select(e => (e!["type"]!.GetValue<string>(), e["actor"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [
                ("application.event/created", "event-user"), ("application.event/draft-saved", "event-user"),
                ("application.event/licenses-accepted", "event-user"), ("application.event/submitted", "event-user"),
                ("application.event/approved", "member-1"), ("application.event/revoked", "member-2"),
            ],
            events);
    }

    private static string Decode(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }
}
