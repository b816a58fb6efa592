using System.Text.Json.Nodes;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Visas;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>
/// <c>aud</c>: with <c>Passport:Audiences</c> set, a passport (or visa) that names audiences must name this node; one
/// without <c>aud</c> is accepted (optional in the AAI profile); without <c>Audiences</c> any <c>aud</c> passes.
/// </summary>
public sealed class AudienceTests
{
    private const string Subject = "researcher-1@broker.test.example";
    private const string Grant = "https://dac.test.example/datasets/EGAD00000000001";
    private const string ThisNode = "https://genome-node.test.example";
    private const string OtherService = "https://other-service.test.example";
    private const string ClientId = "genome-node-client";

    private static readonly Dataset ControlledSet = new("ds-controlled", "Controlled", null, AccessTier.Controlled, false, DateTimeOffset.UnixEpoch, Grant);

    private static TestClearinghouse NodeWithAudience() => new((_, settings) => settings["Passport:Audiences:0"] = ThisNode);

    public static TheoryData<string, bool> Audiences() => new()
    {
        { "\"https://genome-node.test.example\"", true },
        { "[\"https://other-service.test.example\", \"https://genome-node.test.example\"]", true },
        { "\"https://other-service.test.example\"", false },
        { "[\"https://other-service.test.example\"]", false },
        { "[]", false },
        { "42", false },
        { "{\"aud\": \"https://genome-node.test.example\"}", false },
        { "[42, \"https://genome-node.test.example/\"]", false },
    };

    [Theory]
    [MemberData(nameof(Audiences))]
    public async Task A_passport_aud_as_a_string_or_an_array_must_name_this_node(string aud, bool accepted)
    {
        using var node = NodeWithAudience();
        var token = node.Broker.Passport(Subject, [], payload: p => p["aud"] = JsonNode.Parse(aud));

        var caller = await node.AuthenticateAsync(token);

        if (accepted)
        {
            Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
        }
        else
        {
            Assert.Null(caller.Passport);
            Assert.Equal(ValidationStep.Audience, caller.Rejection!.Step);
            Assert.Contains("the passport's aud does not name this node (Passport:Audiences)", caller.Rejection.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_passport_without_aud_is_accepted_as_the_aai_profile_makes_aud_optional()
    {
        using var node = NodeWithAudience();

        var caller = await node.AuthenticateAsync(node.Broker.Passport(Subject, []));

        Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
    }

    [Fact]
    public async Task Without_configured_audiences_a_passport_minted_for_another_service_is_accepted()
    {
        // The default this node's documentation warns about: nothing to compare aud with, so any aud passes.
        using var node = new TestClearinghouse();
        Assert.Empty(node.Options.Audiences);

        var caller = await node.AuthenticateAsync(node.Broker.Passport(Subject, [], payload: p => p["aud"] = OtherService));

        Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
    }

    [Fact]
    public async Task A_passport_the_broker_issued_to_this_nodes_client_id_by_token_exchange_names_this_node()
    {
        using var node = new TestClearinghouse((fixture, settings) =>
        {
            settings["Passport:Audiences:0"] = ThisNode;
            settings["Passport:TrustedBrokers:0:TokenEndpoint"] = fixture.Url("/broker/token");
            settings["Passport:TrustedBrokers:0:ClientId"] = ClientId;
            settings["Passport:TrustedBrokers:0:ClientSecret"] = "secret";
        });
        var passport = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)], payload: p => p["aud"] = new JsonArray(ClientId));
        node.Server.Given(Request.Create().WithPath("/broker/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(new JsonObject
            {
                ["access_token"] = passport,
                ["issued_token_type"] = BrokerPassports.PassportTokenType,
                ["token_type"] = "Bearer",
            }.ToJsonString()));

        var caller = await node.AuthenticateAsync(node.Broker.AccessToken(Subject));

        Assert.True(caller.Rejection is null, $"refused: {caller.Rejection}");
        Assert.True(AccessDecider.Decide(ControlledSet, caller.Passport!, node.Now, node.Options).Granted);

        // Another broker's client id is not this node at that broker.
        var ecPassport = node.Ec.Passport(Subject, [], payload: p => p["aud"] = ClientId);
        Assert.Equal(ValidationStep.Audience, (await node.AuthenticateAsync(ecPassport)).Rejection?.Step);
    }

    [Fact]
    public async Task A_visa_whose_aud_names_another_service_is_ignored_when_audiences_are_set()
    {
        using var node = NodeWithAudience();
        var elsewhere = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant, payload: p => p["aud"] = OtherService);
        var here = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant, payload: p => p["aud"] = new JsonArray(ThisNode));
        var unaddressed = node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant);

        var caller = await node.AuthenticateAsync(node.Broker.Passport(Subject, [elsewhere, here, unaddressed]));

        var passport = caller.Passport!;
        Assert.Equal(2, passport.Visas.Count);
        var ignored = Assert.Single(passport.Ignored);
        Assert.Equal(0, ignored.Index);
        Assert.Equal(ValidationStep.Audience, ignored.Rejection.Step);
        Assert.Contains("the visa's aud does not name this node", ignored.Rejection.Reason, StringComparison.Ordinal);
    }
}
