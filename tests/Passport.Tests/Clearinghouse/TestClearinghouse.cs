using System.Collections.Concurrent;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Passport.Tests.Clearinghouse;

/// <summary>
/// The clearinghouse as the node builds it (<c>AddPassport</c> on a <see cref="HostApplicationBuilder"/>, the host never
/// started), trusting a broker and visa issuers whose JWKS WireMock serves over real HTTP on 127.0.0.1. Time stands
/// still unless a test moves it; every log line of the services is kept in <see cref="Logs"/>.
/// </summary>
internal sealed class TestClearinghouse : IDisposable
{
    public const string BrokerIssuer = "https://broker.test.example";
    public const string DacIssuer = "https://dac.test.example";
    public const string EcIssuerName = "https://ec.test.example";

    /// <summary>The client address tokens come from unless a test names another.</summary>
    public const string DefaultClient = "192.0.2.10";

    private readonly IHost host;

    /// <param name="configure">more (or other) configuration keys, given this fixture for its URLs</param>
    public TestClearinghouse(Action<TestClearinghouse, Dictionary<string, string?>>? configure = null)
    {
        Server = WireMockServer.Start();
        BaseUrl = $"http://127.0.0.1:{Server.Port}";
        Broker = new TestTokenIssuer(BrokerIssuer, Url("/broker/jwks"));
        Dac = new TestTokenIssuer(DacIssuer, Url("/dac/jwks"));
        Ec = new TestTokenIssuer(EcIssuerName, Url("/ec/jwks"), elliptic: true);
        Serve(Broker);
        Serve(Dac);
        Serve(Ec);

        var settings = new Dictionary<string, string?>
        {
            ["Passport:AllowLoopbackHttp"] = "true",
            ["Passport:TrustedBrokers:0:Issuer"] = Broker.Issuer,
            ["Passport:TrustedBrokers:0:JwksUri"] = Broker.JwksUrl,
            ["Passport:TrustedBrokers:1:Issuer"] = Ec.Issuer,
            ["Passport:TrustedBrokers:1:JwksUri"] = Ec.JwksUrl,
            ["Passport:TrustedVisaIssuers:0:Issuer"] = Dac.Issuer,
            ["Passport:TrustedVisaIssuers:0:Jku"] = Dac.JwksUrl,
            // Like REMS behind LS AAI, the committee's visas name the broker's subjects (tests of identity remove this).
            ["Passport:TrustedVisaIssuers:0:SubjectsOfBroker"] = Broker.Issuer,
            ["Passport:TrustedVisaIssuers:1:Issuer"] = Ec.Issuer,
            ["Passport:TrustedVisaIssuers:1:Jku"] = Ec.JwksUrl,
        };
        configure?.Invoke(this, settings);

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(Logs);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.AddPassport();
        host = builder.Build();
        Authenticator = host.Services.GetRequiredService<PassportAuthenticator>();
        Validator = host.Services.GetRequiredService<PassportValidator>();
    }

    public WireMockServer Server { get; }

    /// <summary><c>http://127.0.0.1:port</c> of <see cref="Server"/>.</summary>
    public string BaseUrl { get; }

    /// <summary>The trusted broker (RSA), its JWKS at <c>/broker/jwks</c>.</summary>
    public TestTokenIssuer Broker { get; }

    /// <summary>A trusted visa issuer (RSA), its JWKS (and visas' jku) at <c>/dac/jwks</c>.</summary>
    public TestTokenIssuer Dac { get; }

    /// <summary>An EC P-256 issuer trusted both as broker and as visa issuer, its JWKS at <c>/ec/jwks</c>.</summary>
    public TestTokenIssuer Ec { get; }

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public LogCollector Logs { get; } = new();

    public PassportAuthenticator Authenticator { get; }

    public PassportValidator Validator { get; }

    /// <summary>The clearinghouse's services, for tests that run <c>RequestAccess</c> on a hand-made HttpContext.</summary>
    public IServiceProvider Services => host.Services;

    public PassportOptions Options => host.Services.GetRequiredService<IOptionsMonitor<PassportOptions>>().CurrentValue;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public string Url(string path) => BaseUrl + path;

    /// <summary>Serves <paramref name="issuer"/>'s JWKS at the path of its JWKS URL (or at <paramref name="path"/>).</summary>
    public void Serve(TestTokenIssuer issuer, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        Server.Given(Request.Create().WithPath(path ?? new Uri(issuer.JwksUrl).AbsolutePath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(issuer.Jwks()));
    }

    /// <summary>The requests WireMock received for <paramref name="path"/>.</summary>
    public IReadOnlyList<ILogEntry> Requests(string path) =>
        Server.LogEntries.Where(e => string.Equals(e.RequestMessage.AbsolutePath, path, StringComparison.Ordinal)).ToList();

    /// <summary>Authenticates <c>Bearer <paramref name="token"/></c> sent by <paramref name="client"/>.</summary>
    public Task<Caller> AuthenticateAsync(string token, string? client = DefaultClient) =>
        Authenticator.AuthenticateAsync("Bearer " + token, client, CancellationToken.None);

    /// <summary>Fails when any log line holds <paramref name="token"/> or one of its parts (header, payload, signature).</summary>
    public void AssertLogsHoldNo(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var secrets = token.Split('.').Where(p => p.Length >= 16).Append(token).ToList();
        foreach (var line in Logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"a log line holds (part of) a token: {line}");
            }
        }
    }

    public void Dispose()
    {
        host.Dispose();
        Server.Stop();
        Server.Dispose();
        Broker.Dispose();
        Dac.Dispose();
        Ec.Dispose();
    }
}

/// <summary>A clock that moves only when told to.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

/// <summary>Keeps every formatted log message (with its exception) of every category.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var structured = state is IEnumerable<KeyValuePair<string, object?>> values
                ? string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))
                : "";
            lines.Enqueue($"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)} {{{structured}}} {exception}");
        }
    }
}
