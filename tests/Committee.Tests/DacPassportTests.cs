using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Tests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Committee.Tests;

/// <summary>A committee member calling /dac with a passport from a trusted broker: its <c>sub</c> is the member id.</summary>
public sealed class DacPassportTests : IAsyncLifetime, IDisposable
{
    private readonly WireMockServer trust = WireMockServer.Start();
    private TestTokenIssuer broker = null!;
    private TestTokenIssuer stranger = null!;
    private CommitteeNode node = null!;

    public async Task InitializeAsync()
    {
        broker = new TestTokenIssuer($"{trust.Url}/broker", $"{trust.Url}/broker/jwks");
        stranger = new TestTokenIssuer($"{trust.Url}/stranger", $"{trust.Url}/stranger/jwks");
        trust.Given(Request.Create().WithPath("/broker/jwks").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(broker.Jwks()));
        node = await CommitteeNode.StartAsync(new Dictionary<string, string?>
        {
            ["Passport:AllowLoopbackHttp"] = "true",
            ["Passport:TrustedBrokers:0:Issuer"] = broker.Issuer,
            ["Passport:TrustedBrokers:0:JwksUri"] = broker.JwksUrl,
        });
    }

    public async Task DisposeAsync() => await node.DisposeAsync();

    public void Dispose()
    {
        broker?.Dispose();
        stranger?.Dispose();
        trust.Dispose();
    }

    private async Task<(int Status, string Body)> ApproveAsync(long id, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/dac/applications/{id}/approve")
        {
            Content = new StringContent(new JsonObject { ["end"] = CommitteeNode.FutureEnd }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await node.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_passports_subject_decides_as_the_member_it_names()
    {
        var id = await node.SubmittedAsync("passport-applicant");

        var (status, body) = await ApproveAsync(id, stranger.Passport("member-1", []));
        Assert.Equal(401, status);
        Assert.Contains("\"error\"", body, StringComparison.Ordinal);

        (status, _) = await ApproveAsync(id, broker.Passport("passport-applicant", []));
        Assert.Equal(403, status);

        (status, body) = await ApproveAsync(id, broker.Passport("member-1", []));
        Assert.Equal(200, status);
        Assert.Equal("approved", JsonNode.Parse(body)!["state"]!.GetValue<string>());
        Assert.Equal("member-1", (string)Database.Scalar(node, $"SELECT approved_by FROM committee.grants WHERE application_id = {id}")!);
    }
}
