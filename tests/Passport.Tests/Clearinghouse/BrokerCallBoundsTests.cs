using System.Net;
using System.Text.Json.Nodes;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Visas;
using Microsoft.AspNetCore.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>
/// Junk bearer tokens must not let an anonymous caller make the node flood its broker: a refused token is remembered
/// (by its SHA-256) and not sent again, broker calls are bounded per client and in flight, and neither a broker outage
/// nor a bound reached is remembered against a token. WireMock plays the broker; its request log counts the calls.
/// </summary>
public sealed class BrokerCallBoundsTests
{
    private const string Subject = "researcher-1@broker.test.example";
    private const string Grant = "https://dac.test.example/datasets/EGAD00000000001";
    private const string TokenPath = "/broker/token";

    private static TestClearinghouse ExchangingNode(params (string Key, string Value)[] more) => new((node, settings) =>
    {
        settings["Passport:TrustedBrokers:0:TokenEndpoint"] = node.Url(TokenPath);
        settings["Passport:TrustedBrokers:0:ClientId"] = "genome-node";
        settings["Passport:TrustedBrokers:0:ClientSecret"] = "secret";
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
    });

    [Fact]
    public async Task The_same_junk_token_sent_again_and_again_reaches_the_broker_once_until_its_refusal_is_forgotten()
    {
        using var node = ExchangingNode();
        RefuseEveryExchange(node);

        var callers = new List<Caller>();
        for (var i = 0; i < 10; i++)
        {
            callers.Add(await node.AuthenticateAsync("junk-0123456789"));
        }

        Assert.Single(node.Requests(TokenPath));
        Assert.All(callers, c => Assert.Contains("refused to exchange the access token (HTTP 400 invalid_grant)", c.Rejection!.Reason, StringComparison.Ordinal));

        node.Clock.Advance(TimeSpan.FromSeconds(node.Options.RefusalCacheSeconds + 1));
        await node.AuthenticateAsync("junk-0123456789");
        Assert.Equal(2, node.Requests(TokenPath).Count);
    }

    [Fact]
    public async Task The_same_junk_token_sent_many_times_at_once_reaches_the_broker_once()
    {
        using var node = ExchangingNode();
        node.Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"error":"invalid_grant"}""").WithDelay(TimeSpan.FromMilliseconds(500)));

        var callers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => node.AuthenticateAsync("junk-at-once", $"192.0.2.{i + 20}")));

        Assert.Single(node.Requests(TokenPath));
        Assert.All(callers, c => Assert.Contains("HTTP 400 invalid_grant", c.Rejection!.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Distinct_junk_tokens_from_one_client_stay_within_its_bound_while_another_clients_valid_token_is_exchanged()
    {
        using var node = ExchangingNode(("Passport:BrokerCallsPerClientPerMinute", "5"));
        RefuseEveryExchange(node);
        var valid = node.Broker.AccessToken(Subject);
        var passport = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);
        node.Server.Given(Request.Create().WithPath(TokenPath).UsingPost().WithBody((string? body) => body?.Contains(valid, StringComparison.Ordinal) == true))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(new JsonObject
            {
                ["access_token"] = passport,
                ["issued_token_type"] = BrokerPassports.PassportTokenType,
                ["token_type"] = "Bearer",
            }.ToJsonString()));

        var junk = Enumerable.Range(0, 20).Select(i => $"junk-{i:D4}-0123456789").ToList();
        var refusals = new List<Rejection>();
        foreach (var token in junk)
        {
            refusals.Add((await node.AuthenticateAsync(token, "203.0.113.7")).Rejection!);
        }

        Assert.Equal(5, node.Requests(TokenPath).Count);
        Assert.Equal(5, refusals.Count(r => r.Reason.Contains("HTTP 400", StringComparison.Ordinal)));
        var limited = refusals.Where(r => r.Reason.Contains("retry later", StringComparison.Ordinal)).ToList();
        Assert.Equal(15, limited.Count);
        Assert.All(limited, r =>
        {
            Assert.Equal(ValidationStep.Broker, r.Step);
            Assert.True(r.Retryable);
            Assert.Contains("this client has caused 5 broker calls within a minute (Passport:BrokerCallsPerClientPerMinute)", r.Reason, StringComparison.Ordinal);
        });

        var other = await node.AuthenticateAsync(valid, "198.51.100.23");
        Assert.True(other.Rejection is null, $"refused: {other.Rejection}");
        Assert.Equal(Subject, other.Passport!.Subject);
        Assert.Equal(6, node.Requests(TokenPath).Count);

        // Refused for the client's bound, not for itself: the same token from elsewhere is asked about.
        await node.AuthenticateAsync(junk[^1], "198.51.100.99");
        Assert.Equal(7, node.Requests(TokenPath).Count);
    }

    [Fact]
    public async Task Broker_calls_in_flight_over_all_clients_are_bounded()
    {
        using var node = ExchangingNode(("Passport:MaxBrokerCallsInFlight", "2"));
        node.Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"error":"invalid_grant"}""").WithDelay(TimeSpan.FromSeconds(2)));

        var callers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => node.AuthenticateAsync($"junk-in-flight-{i}", $"192.0.2.{i + 50}")));

        Assert.Equal(2, node.Requests(TokenPath).Count);
        Assert.Equal(2, callers.Count(c => c.Rejection!.Reason.Contains("HTTP 400", StringComparison.Ordinal)));
        Assert.Equal(4, callers.Count(c => c.Rejection!.Reason.Contains(
            "the node is already waiting on 2 broker calls (Passport:MaxBrokerCallsInFlight); retry later", StringComparison.Ordinal)));

        // Once the broker has answered, calls are made again.
        await node.AuthenticateAsync("junk-in-flight-later", "192.0.2.99");
        Assert.Equal(3, node.Requests(TokenPath).Count);
    }

    [Theory]
    [InlineData(503, "{\"error\":\"temporarily_unavailable\"}")]
    [InlineData(502, "<html>bad gateway</html>")]
    [InlineData(429, "{\"error\":\"slow_down\"}")]
    [InlineData(200, "{ not json")]
    public async Task A_broker_outage_is_not_remembered_as_a_refusal_of_a_token_that_later_works(int status, string body)
    {
        using var node = ExchangingNode();
        node.Server.Given(Request.Create().WithPath(TokenPath).UsingPost()).AtPriority(2)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));
        var accessToken = node.Broker.AccessToken(Subject);

        var during = await node.AuthenticateAsync(accessToken);

        Assert.Equal(ValidationStep.Broker, during.Rejection!.Step);
        Assert.True(during.Rejection.Retryable, during.Rejection.Reason);

        var passport = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);
        node.Server.Given(Request.Create().WithPath(TokenPath).UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(new JsonObject
            {
                ["access_token"] = passport,
                ["issued_token_type"] = BrokerPassports.PassportTokenType,
                ["token_type"] = "Bearer",
            }.ToJsonString()));

        var after = await node.AuthenticateAsync(accessToken);

        Assert.True(after.Rejection is null, $"refused: {after.Rejection}");
        Assert.Equal(2, node.Requests(TokenPath).Count);
    }

    [Fact]
    public async Task A_token_refused_by_the_bound_is_answered_401_invalid_token_saying_to_retry_later()
    {
        using var node = ExchangingNode(("Passport:BrokerCallsPerClientPerMinute", "1"));
        RefuseEveryExchange(node);
        await CallerOverHttpAsync(node, "junk-http-1", IPAddress.Parse("2001:db8:1:2::10"));

        // Another address of the same IPv6 /64 is the same client.
        var caller = await CallerOverHttpAsync(node, "junk-http-2", IPAddress.Parse("2001:db8:1:2:ffff::99"));

        Assert.Single(node.Requests(TokenPath));
        var challenge = RequestAccess.Challenge(caller.Rejection);
        Assert.StartsWith("Bearer realm=\"genome-node\", error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains("retry later", challenge, StringComparison.Ordinal);

        // Another /64, or an IPv4 client, has its own bound.
        await CallerOverHttpAsync(node, "junk-http-3", IPAddress.Parse("2001:db8:1:3::10"));
        await CallerOverHttpAsync(node, "junk-http-4", IPAddress.Parse("::ffff:192.0.2.1"));
        Assert.Equal(3, node.Requests(TokenPath).Count);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void A_client_is_its_ipv4_address_or_its_ipv6_slash_64(string address, string key) =>
        Assert.Equal(key, RequestAccess.ClientKey(IPAddress.Parse(address)));

    [Fact]
    public async Task A_passport_whose_visa_was_left_out_while_its_issuers_keys_were_unreachable_is_validated_again_once_they_can_be_fetched()
    {
        using var node = new TestClearinghouse();
        var outage = Guid.NewGuid();
        node.Server.Given(Request.Create().WithPath("/dac/jwks").UsingGet()).WithGuid(outage).AtPriority(-10)
            .RespondWith(Response.Create().WithStatusCode(503));
        var token = node.Broker.Passport(Subject, [node.Dac.Visa(Subject, VisaTypes.ControlledAccessGrants, Grant)]);

        var during = await node.AuthenticateAsync(token);

        Assert.Empty(during.Passport!.Visas);
        Assert.Equal(ValidationStep.SigningKey, Assert.Single(during.Passport.Ignored).Rejection.Step);

        node.Server.DeleteMapping(outage);
        node.Clock.Advance(TimeSpan.FromSeconds(node.Options.JwksRefreshIntervalSeconds + 1));
        Assert.True(node.Options.JwksRefreshIntervalSeconds + 1 < node.Options.ValidationCacheSeconds);

        var after = await node.AuthenticateAsync(token);

        Assert.Equal(Grant, Assert.Single(after.Passport!.Visas).Visa.Value);
        Assert.Empty(after.Passport.Ignored);
    }

    private static Task<Caller> CallerOverHttpAsync(TestClearinghouse node, string token, IPAddress client)
    {
        var context = new DefaultHttpContext { RequestServices = node.Services };
        context.Connection.RemoteIpAddress = client;
        context.Request.Headers.Authorization = $"Bearer {token}";
        return RequestAccess.For(context).CallerAsync(CancellationToken.None).AsTask();
    }

    private static void RefuseEveryExchange(TestClearinghouse node) =>
        node.Server.Given(Request.Create().WithPath(TokenPath).UsingPost()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":"invalid_grant","error_description":"unknown token"}"""));
}
