using System.Net;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace GenomeNode.Host.Hosting;

/// <summary>
/// Section <c>Telemetry</c>: the Prometheus scrape endpoint. OTLP export is configured by the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables instead (docs/observability.md).
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public PrometheusScrapeOptions Prometheus { get; set; } = new();
}

public sealed class PrometheusScrapeOptions
{
    /// <summary>Off by default: a node serves no <c>/metrics</c> until its operator turns it on.</summary>
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// Addresses or CIDR networks of the callers that may scrape (the client as <c>Privacy:TrustedProxies</c> makes it
    /// out); by default only loopback. Anyone else gets the 404 of an unknown path.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>When set, scrapes are answered only on connections to this local port (a listener of its own).</summary>
    public int? Port { get; set; }
}

/// <summary>
/// OpenTelemetry for the serving node: the node's own meters (every meter named <c>GenomeNode.*</c>: Beacon, Htsget,
/// Passport and, once built, Federation), ASP.NET Core's and HttpClient's, and the runtime's; traces of requests and
/// outgoing calls. Metrics go to the Prometheus scrape endpoint when enabled and to OTLP when an endpoint is configured;
/// traces and logs to OTLP only. Without either, no OpenTelemetry is registered at all.
/// </summary>
public static class NodeTelemetry
{
    /// <summary>The node's meters, by wildcard: every module's meter is named <c>GenomeNode.&lt;Module&gt;</c>.</summary>
    public const string MeterWildcard = "GenomeNode.*";

    /// <summary>The meter the federation module records partner latencies in (docs/observability.md).</summary>
    public const string FederationMeter = "GenomeNode.Federation";

    public const string ServiceName = "genome-node";

    private static readonly IReadOnlyList<string> Loopback = ["127.0.0.0/8", "::1/128"];

    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    /// <summary>The standard OTLP variables; any of them set turns OTLP export on for its signals.</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddNodeTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Read(builder.Configuration);
        var configuration = builder.Configuration;
        var otlpAll = !string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]);
        var otlpMetrics = otlpAll || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);
        var otlpTraces = otlpAll || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        var otlpLogs = otlpAll || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"]);
        builder.Services.AddSingleton(new ScrapePolicy(options.Prometheus));
        if (!options.Prometheus.Enabled && !otlpMetrics && !otlpTraces && !otlpLogs)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: NodeComposition.Version));
        if (options.Prometheus.Enabled || otlpMetrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(MeterWildcard)
                    .AddMeter("System.Runtime")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (options.Prometheus.Enabled)
                {
                    // Every scrape sees the counts as they are: the endpoint is not open to the public to need a cache.
                    metrics.AddPrometheusExporter(prometheus =>
                    {
                        prometheus.ScrapeEndpointPath = options.Prometheus.Path;
                        prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                    });
                }

                if (otlpMetrics)
                {
                    metrics.AddOtlpExporter();
                }
            });
        }

        if (otlpTraces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(MeterWildcard)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments(options.Prometheus.Path, StringComparison.Ordinal)
                        && !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }

        if (otlpLogs)
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter());
        }
    }

    /// <summary>The scrape endpoint, answering only the callers <see cref="ScrapePolicy"/> admits; everyone else falls through to 404.</summary>
    public static void UseNodeTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = app.Services.GetRequiredService<ScrapePolicy>();
        if (policy.Options.Enabled)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(policy.Admits);
        }
    }

    /// <summary>The section as configured, checked; a fault stops the node before it listens.</summary>
    public static TelemetryOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var prometheus = options.Prometheus;
        var problems = new List<string>();
        if (!prometheus.Path.StartsWith('/') || prometheus.Path.Length < 2 || prometheus.Path.Contains('?', StringComparison.Ordinal))
        {
            problems.Add($"{TelemetryOptions.Section}:Prometheus:Path must be a path such as /metrics (got '{prometheus.Path}')");
        }

        if (prometheus.Port is { } port && (port < 1 || port > 65535))
        {
            problems.Add($"{TelemetryOptions.Section}:Prometheus:Port must be a TCP port, 1 to 65535 (got {port})");
        }

        foreach (var network in prometheus.AllowedNetworks)
        {
            if (!TryParseNetwork(network, out _))
            {
                problems.Add($"{TelemetryOptions.Section}:Prometheus:AllowedNetworks holds '{network}', which is neither an IP address nor a network in CIDR notation");
            }
        }

        if (problems.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(TelemetryOptions.Section, typeof(TelemetryOptions), problems);
        }

        return options;
    }

    private static bool TryParseNetwork(string text, out System.Net.IPNetwork network)
    {
        text = text.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return System.Net.IPNetwork.TryParse(text, out network);
        }

        if (IPAddress.TryParse(text, out var address))
        {
            network = new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        network = default;
        return false;
    }

    /// <summary>Who may scrape: the path, the port when one is set, the caller's network, and no forwarding header.</summary>
    public sealed class ScrapePolicy
    {
        private readonly IReadOnlyList<System.Net.IPNetwork> networks;

        public ScrapePolicy(PrometheusScrapeOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            Options = options;
            var configured = options.AllowedNetworks.Count > 0 ? (IEnumerable<string>)options.AllowedNetworks : Loopback;
            networks = [.. configured.Select(text => TryParseNetwork(text, out var network) ? network : throw new FormatException(text))];
        }

        public PrometheusScrapeOptions Options { get; }

        public bool Admits(HttpContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (!context.Request.Path.Equals(Options.Path, StringComparison.Ordinal))
            {
                return false;
            }

            if (Options.Port is { } port && context.Connection.LocalPort != port)
            {
                return false;
            }

            // A request a proxy forwarded, whose client the node was not told to believe (Privacy:TrustedProxies), may
            // come from anywhere although it arrives from loopback: never scraped.
            if (ForwardingHeaders.Any(header => context.Request.Headers.ContainsKey(header)))
            {
                return false;
            }

            var remote = context.Connection.RemoteIpAddress;
            if (remote is null)
            {
                return false;
            }

            if (remote.IsIPv4MappedToIPv6)
            {
                remote = remote.MapToIPv4();
            }

            return networks.Any(network => network.Contains(remote));
        }
    }
}
