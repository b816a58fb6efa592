using System.Text.Json.Serialization;
using GenomeNode.Beacon.Api;
using GenomeNode.Broker;
using GenomeNode.Committee;
using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.Federation;
using GenomeNode.Federation.Network;
using GenomeNode.Host.Admin;
using GenomeNode.Host.Web;
using GenomeNode.Htsget.Api;
using GenomeNode.Passport.FairDataPoint;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Hosting;

/// <summary>Builds the serving node: the web application with every module's endpoints.</summary>
public static class NodeWebApp
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Folder of the data directory holding the keys that protect the broker's cookies.</summary>
    public const string DataProtectionKeysDirectory = "dataprotection-keys";

    /// <param name="configurationArgs">command-line configuration (<c>--Section:Key=value</c>), as ASP.NET Core reads it</param>
    /// <param name="overrides">values given by dedicated CLI options; they win over every other source</param>
    public static WebApplication Build(string[] configurationArgs, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = configurationArgs,
            // appsettings.json sits beside the binary, wherever the node is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Defaults sit below every other source: appsettings, environment (ASPNETCORE_URLS, GENOMENODE_DATA) and args.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["urls"] = DefaultUrl,
                [$"{NodeOptions.Section}:DataDirectory"] = Storage.DataDirectory.Default(),
            },
        });
        builder.Configuration.AddInMemoryCollection(overrides);

        builder.AddNodeCore();
        // After AddNodeCore, which chooses the log providers: OTLP adds its own beside them.
        builder.AddNodeTelemetry();
        // The broker signs in researchers (cookies, OpenIddict's ASP.NET Core handlers): only a serving node has it.
        builder.AddBroker();
        // Partner nodes and the Beacon network: a serving node's (the CLI's direct mode fans nothing out).
        builder.AddFederation();
        builder.Services.AddOptions<FederationOptions>().PostConfigure<IOptions<GenomeNode.Beacon.Api.BeaconOptions>>((federation, beacon) =>
        {
            federation.LocalBeaconId = beacon.Value.Id;
            federation.LocalApiVersion = GenomeNode.Beacon.Api.BeaconOptions.ApiVersion;
        });
        // The keys of those cookies live with the node's data, not under $HOME: sign-ins survive a restart, and a node
        // on a read-only root filesystem (docs/operations.md) writes nowhere but its data directory and /tmp.
        builder.Services.AddDataProtection()
            .SetApplicationName("genome-node")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(
                builder.Configuration[$"{NodeOptions.Section}:DataDirectory"] ?? Storage.DataDirectory.Default(), DataProtectionKeysDirectory)));
        // Registered after the web host's own reading of AllowedHosts, so it runs last.
        builder.Services.AddOptions<HostFilteringOptions>().PostConfigure<IConfiguration>(HostHeaderPolicy.Configure);
        // A passport carries its visas inline: room for one of Passport:MaxTokenBytes (64 KiB) beside other headers.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestHeadersTotalSize = 96 * 1024);
        builder.Services.AddHostedService<NodeInitializer>();
        builder.Services.AddHostedService<AdminServer>();
        builder.Services.AddNodeEndpoints();
        builder.Services.AddWebPages(builder.Configuration);
        builder.Services.AddNodeCors();
        builder.Services.AddProblemDetails();
        // A body that does not bind is the caller's fault (400), in every environment.
        builder.Services.Configure<ExceptionHandlerOptions>(options => options.StatusCodeSelector = exception =>
            exception is BadHttpRequestException badRequest ? badRequest.StatusCode : StatusCodes.Status500InternalServerError);
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        var proxies = TrustedProxies.Read(builder.Configuration);
        if (TrustedProxies.Problems(proxies) is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(TrustedProxies.Key, typeof(ForwardedHeadersOptions), problems);
        }

        builder.Services.Configure<ForwardedHeadersOptions>(options => TrustedProxies.Configure(options, proxies));

        var app = builder.Build();
        if (proxies.Count > 0)
        {
            // Before anything reads the client's address: the audit, budgets and per-client bounds.
            app.UseForwardedHeaders();
        }

        // First, so that every answer carries them, errors included.
        app.UseSecurityHeaders();
        // Before anything builds a URL or a redirect from the request, and before routing sees the path (which
        // WebApplication would otherwise match first).
        app.UsePublicUrl(app.Configuration);
        app.UseRouting();
        app.UseDocsPagePolicy(NodeEndpoints.DocsPath);
        // Failures answer as RFC 7807 problem details, never with a stack trace.
        app.UseExceptionHandler();
        // After the forwarded headers: the scrape endpoint admits callers by their address.
        app.UseNodeTelemetry();
        app.UseStatusCodePages();
        // CORS per surface (NodeCors): endpoints without a policy answer no cross-origin request.
        app.UseCors();
        // Before the endpoints: OpenIddict answers its own endpoints (discovery, JWKS, token errors) here.
        app.UseBroker();
        app.MapNodeEndpoints();
        app.MapWebPages();
        var portals = app.PortalGroup();
        portals.MapDataUse();
        portals.MapBeacon();
        portals.MapFilteringTerms();
        portals.MapFederation();
        app.MapHtsget();
        app.MapCommittee();
        app.MapBroker();
        app.MapFairDataPoint();
        app.Services.GetRequiredService<OfferedApis>().Add(new OfferedApi(
            new ServiceType("org.ga4gh", "beacon", GenomeNode.Beacon.Api.BeaconOptions.ApiVersion),
            GenomeNode.Beacon.Api.BeaconEndpoints.Prefix,
            "Beacon v2: framework endpoints and genomic variant queries over the ingested VCFs"));
        app.Services.GetRequiredService<OfferedApis>().Add(new OfferedApi(
            new ServiceType("org.ga4gh", "beacon", GenomeNode.Beacon.Api.BeaconOptions.ApiVersion),
            NetworkEndpoints.Prefix,
            "Beacon network: the node's Beacon and its partners' (section Federation), queried at once and merged"));
        app.Services.GetRequiredService<OfferedApis>().Add(new OfferedApi(
            new ServiceType(NodeEndpoints.NodeServiceGroup, "data-use", "1.0.0"),
            "/dataUse",
            "DUO terms, datasets' data-use conditions, and research-purpose matching (DUOS rules)"));
        app.Services.GetRequiredService<OfferedApis>().Add(new OfferedApi(
            new ServiceType("org.ga4gh", "htsget", "1.3.0"),
            $"{HtsgetEndpoints.Prefix}/reads",
            "htsget reads API: slices of aligned reads (BAM, CRAM) by region"));
        app.Services.GetRequiredService<OfferedApis>().Add(new OfferedApi(
            new ServiceType("org.ga4gh", "htsget", "1.3.0"),
            $"{HtsgetEndpoints.Prefix}/variants",
            "htsget variants API: slices of variant calls (VCF, BCF) by region"));
        // The prefix is checked against what was just mapped; OpenIddict's discovery and the scrape endpoint answer
        // from middleware, so their paths are named here.
        var served = PublicUrlRequestsExtensions.ServedPaths(
            ((IEndpointRouteBuilder)app).DataSources, "/.well-known", app.Services.GetRequiredService<NodeTelemetry.ScrapePolicy>().Options.Path);
        if (PublicUrlRequestsExtensions.PrefixFault(app.Configuration[$"{NodeOptions.Section}:PublicUrl"], served) is { } prefixFault)
        {
            throw new OptionsValidationException(NodeOptions.Section, typeof(NodeOptions), [prefixFault]);
        }

        return app;
    }
}
