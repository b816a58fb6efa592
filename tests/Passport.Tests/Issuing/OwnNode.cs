using System.Text.Json.Nodes;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Tests.Clearinghouse;
using GenomeNode.Passport.Web;
using GenomeNode.Storage;
using GenomeNode.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GenomeNode.Passport.Tests.Issuing;

/// <summary>
/// The Passport module as the node builds it over a real node database, with a configured public URL and no trusted
/// broker or visa issuer at all: only what the node trusts of itself. The public URL's host does not resolve, so any
/// attempt to fetch the node's own keys over HTTP would fail the test.
/// </summary>
internal sealed class OwnNode : IDisposable
{
    public const string PublicUrl = "https://node.invalid";

    private readonly IHost host;

    /// <param name="settings">more configuration keys</param>
    /// <param name="ownBroker">the node's broker, when the test has one</param>
    /// <param name="database">a database to share with another node of the test (a restart); a new one by default</param>
    /// <param name="publicUrl">the configured public URL, or null to follow requests</param>
    public OwnNode(Dictionary<string, string?>? settings = null, IOwnBroker? ownBroker = null, TestDatabase? database = null, string? publicUrl = PublicUrl)
    {
        ownsDatabase = database is null;
        Database = database ?? new TestDatabase();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(Logs);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton(Database.Database);
        builder.AddPassport();
        builder.Services.Replace(ServiceDescriptor.Singleton(new PublicBaseUrl(publicUrl)));
        if (ownBroker is not null)
        {
            builder.Services.AddSingleton(ownBroker);
        }

        host = builder.Build();
    }

    private readonly bool ownsDatabase;

    public TestDatabase Database { get; }

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public LogCollector Logs { get; } = new();

    public DateTimeOffset Now => Clock.GetUtcNow();

    public NodeSigningKeys Keys => host.Services.GetRequiredService<NodeSigningKeys>();

    public IVisaIssuer Issuer => host.Services.GetRequiredService<IVisaIssuer>();

    public PassportAuthenticator Authenticator => host.Services.GetRequiredService<PassportAuthenticator>();

    public PassportValidator Validator => host.Services.GetRequiredService<PassportValidator>();

    public PassportOptions Options => host.Services.GetRequiredService<IOptionsMonitor<PassportOptions>>().CurrentValue;

    /// <summary>The node as an issuer at <see cref="PublicUrl"/>.</summary>
    public NodeIssuer Self => new(PublicUrl, Options.RemsPath);

    /// <summary>A grant visa of <paramref name="subject"/> for <paramref name="value"/>, signed by the node, valid a day.</summary>
    public string Visa(string subject, string value, DateTimeOffset? expires = null) =>
        Issuer.Sign(new GrantVisa(subject, value, Self.Issuer, Now.AddDays(-1), expires ?? Now.AddDays(1)), Self.Issuer, Self.VisaJwksUrl);

    /// <summary>A passport as the node's broker signs it: its issuer, its current key.</summary>
    public string Passport(string subject, IEnumerable<string> visas, Action<JsonObject>? payload = null)
    {
        var claims = new JsonObject
        {
            ["iss"] = Self.Issuer,
            ["sub"] = subject,
            ["iat"] = Now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = Now.AddHours(1).ToUnixTimeSeconds(),
            ["ga4gh_passport_v1"] = new JsonArray([.. visas.Select(v => (JsonNode)JsonValue.Create(v))]),
        };
        payload?.Invoke(claims);
        var credentials = Keys.Current;
        Keys.RecordSigned(credentials.Key.KeyId, Now.AddHours(1));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            claims.ToJsonString(), credentials,
            new Dictionary<string, object>(StringComparer.Ordinal) { ["typ"] = PassportValidator.PassportMediaType });
    }

    public Task<Caller> AuthenticateAsync(string token, string? requestBaseUrl = null) =>
        Authenticator.AuthenticateAsync("Bearer " + token, "192.0.2.10", requestBaseUrl, CancellationToken.None);

    /// <summary>The keys as stored, newest first.</summary>
    public IReadOnlyList<SigningKeyInfo> Stored() => NodeSigningKeys.List(Database.Connection, Now, Options.ClockSkew);

    public void Dispose()
    {
        host.Dispose();
        if (ownsDatabase)
        {
            Database.Dispose();
        }
    }
}
