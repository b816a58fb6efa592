using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Visas;
using GenomeNode.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>How the trust lists are configured: environment variables bind, and unsafe URLs are refused.</summary>
public sealed class PassportConfigurationTests
{
    [Fact]
    public async Task Trusted_visa_issuers_bind_from_double_underscore_environment_variables()
    {
        using var server = WireMockServer.Start();
        var jku = $"http://127.0.0.1:{server.Port}/env-dac/jwks";
        using var issuer = new TestTokenIssuer("https://env-dac.test.example", jku);
        server.Given(Request.Create().WithPath("/env-dac/jwks").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(issuer.Jwks()));

        // A prefix of this test's own keeps parallel tests (and the real environment) out of it.
        var prefix = $"GNTEST_{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            [$"{prefix}Passport__AllowLoopbackHttp"] = "true",
            [$"{prefix}Passport__TrustedVisaIssuers__0__Issuer"] = issuer.Issuer,
            [$"{prefix}Passport__TrustedVisaIssuers__0__Jku"] = jku,
            [$"{prefix}Passport__ClockSkewSeconds"] = "45",
        };
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var bound = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build().GetSection(PassportOptions.Section).Get<PassportOptions>();
            var trusted = Assert.Single(bound!.TrustedVisaIssuers);
            Assert.Equal(issuer.Issuer, trusted.Issuer);
            Assert.Equal(jku, trusted.Jku);
            Assert.True(bound.AllowLoopbackHttp);
            Assert.Equal(45, bound.ClockSkewSeconds);

            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddEnvironmentVariables(prefix);
            builder.Logging.ClearProviders();
            builder.AddPassport();
            using var host = builder.Build();
            var validator = host.Services.GetRequiredService<PassportValidator>();

            var (visa, rejection) = await validator.ValidateVisaAsync(
                issuer.Visa("researcher-1", VisaTypes.ControlledAccessGrants, "https://env-dac.test.example/datasets/1"), CancellationToken.None);

            Assert.True(rejection is null, $"refused: {rejection}");
            Assert.Equal(issuer.Issuer, visa!.Issuer);
            Assert.Single(server.LogEntries);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/jwks")]
    [InlineData("http://localhost:8080/jwks")]
    [InlineData("http://[::1]:8080/jwks")]
    public void Http_on_a_loopback_address_is_allowed_only_with_allow_loopback_http(string url)
    {
        Assert.Null(Validate(url, allowLoopbackHttp: true));

        var failure = Validate(url, allowLoopbackHttp: false);

        Assert.NotNull(failure);
        Assert.Contains("Passport:TrustedVisaIssuers:0:Jku", failure, StringComparison.Ordinal);
        Assert.Contains("must use https (Passport:AllowLoopbackHttp allows http on a loopback address)", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://visas.test.example/jwks")]
    [InlineData("http://10.0.0.5/jwks")]
    [InlineData("http://127.0.0.1.nip.io/jwks")]
    [InlineData("http://localhost.test.example/jwks")]
    public void Http_on_any_other_host_is_refused_even_with_allow_loopback_http(string url)
    {
        var failure = Validate(url, allowLoopbackHttp: true);

        Assert.NotNull(failure);
        Assert.Contains("must use https (http only on a loopback address)", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://visas.test.example/jwks")]
    [InlineData("/relative/jwks")]
    [InlineData("")]
    public void A_jku_that_is_not_an_absolute_https_url_is_refused(string url) => Assert.NotNull(Validate(url, allowLoopbackHttp: true));

    [Fact]
    public void An_http_issuer_name_is_refused_like_an_http_url()
    {
        var failure = Validate("https://visas.test.example/jwks", allowLoopbackHttp: false, issuer: "http://visas.test.example");

        Assert.NotNull(failure);
        Assert.Contains("Passport:TrustedVisaIssuers:0:Issuer", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_with_a_token_endpoint_needs_a_client_id()
    {
        var failure = Failures(new Dictionary<string, string?>
        {
            ["Passport:TrustedBrokers:0:Issuer"] = "https://broker.test.example",
            ["Passport:TrustedBrokers:0:JwksUri"] = "https://broker.test.example/jwks",
            ["Passport:TrustedBrokers:0:TokenEndpoint"] = "https://broker.test.example/token",
        });

        Assert.NotNull(failure);
        Assert.Contains("ClientId is needed with a TokenEndpoint", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Subjects_of_broker_must_name_a_trusted_broker()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Passport:TrustedBrokers:0:Issuer"] = "https://broker.test.example",
            ["Passport:TrustedBrokers:0:JwksUri"] = "https://broker.test.example/jwks",
            ["Passport:TrustedVisaIssuers:0:Issuer"] = "https://rems.test.example",
            ["Passport:TrustedVisaIssuers:0:Jku"] = "https://rems.test.example/api/jwk",
            ["Passport:TrustedVisaIssuers:0:SubjectsOfBroker"] = "https://broker.test.example",
        };
        Assert.Null(Failures(settings));

        settings["Passport:TrustedVisaIssuers:0:SubjectsOfBroker"] = "https://other-broker.test.example";
        var failure = Failures(settings);

        Assert.NotNull(failure);
        Assert.Contains("Passport:TrustedVisaIssuers:0:SubjectsOfBroker 'https://other-broker.test.example' is not the Issuer of a Passport:TrustedBrokers entry", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void One_visa_issuer_listed_twice_must_name_the_same_subjects_of_broker()
    {
        var failure = Failures(new Dictionary<string, string?>
        {
            ["Passport:TrustedBrokers:0:Issuer"] = "https://broker.test.example",
            ["Passport:TrustedBrokers:0:JwksUri"] = "https://broker.test.example/jwks",
            ["Passport:TrustedVisaIssuers:0:Issuer"] = "https://rems.test.example",
            ["Passport:TrustedVisaIssuers:0:Jku"] = "https://rems.test.example/api/jwk",
            ["Passport:TrustedVisaIssuers:0:SubjectsOfBroker"] = "https://broker.test.example",
            ["Passport:TrustedVisaIssuers:1:Issuer"] = "https://rems.test.example",
            ["Passport:TrustedVisaIssuers:1:Jku"] = "https://rems.test.example/api/jwk-next",
        });

        Assert.NotNull(failure);
        Assert.Contains("lists 'https://rems.test.example' with different SubjectsOfBroker values", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RefusalCacheSeconds", "0", "Passport:RefusalCacheSeconds must be between 1 and 3600")]
    [InlineData("BrokerCallsPerClientPerMinute", "0", "Passport:BrokerCallsPerClientPerMinute must be between 1 and 100000")]
    [InlineData("MaxBrokerCallsInFlight", "0", "Passport:MaxBrokerCallsInFlight must be between 1 and 10000")]
    public void Broker_call_bounds_out_of_range_are_refused(string key, string value, string message)
    {
        var failure = Failures(new Dictionary<string, string?> { [$"Passport:{key}"] = value });

        Assert.NotNull(failure);
        Assert.Contains(message, failure, StringComparison.Ordinal);
    }

    /// <summary>The validation failures of a node trusting one visa issuer at <paramref name="jku"/>, or null when valid.</summary>
    private static string? Validate(string jku, bool allowLoopbackHttp, string issuer = "https://visas.test.example") =>
        Failures(new Dictionary<string, string?>
        {
            ["Passport:AllowLoopbackHttp"] = allowLoopbackHttp ? "true" : "false",
            ["Passport:TrustedVisaIssuers:0:Issuer"] = issuer,
            ["Passport:TrustedVisaIssuers:0:Jku"] = jku,
        });

    private static string? Failures(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddPassport();
        using var host = builder.Build();
        try
        {
            _ = host.Services.GetRequiredService<IOptions<PassportOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
    }
}
