using System.Reflection;
using GenomeNode.Storage;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.FairDataPoint;
using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Tokens;
using GenomeNode.Passport.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport;

/// <summary>Identity and registration of the Passport module: dataset catalog, passport clearinghouse, access decisions.</summary>
public static class PassportModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "passport";

    public static Assembly Assembly => typeof(PassportModule).Assembly;

    /// <summary>The module's versioned SQL scripts (embedded resources <c>Migrations/NNNN_name.sql</c>).</summary>
    public static ModuleMigrations Migrations { get; } = ModuleMigrations.FromAssembly(Name, Assembly);

    /// <summary>
    /// Registers the module's services, with <see cref="PassportOptions"/> bound from section <c>Passport</c> (environment
    /// variables such as <c>Passport__TrustedVisaIssuers__0__Issuer</c> bind as usual). The catalog takes a scoped, open
    /// <c>DuckDBConnection</c> that the host provides.
    /// </summary>
    public static IHostApplicationBuilder AddPassport(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<DatasetCatalog>();
        services.TryAddScoped(services => new Lazy<DatasetCatalog>(services.GetRequiredService<DatasetCatalog>));
        services.AddSingleton<CatalogSnapshot>();
        services.AddSingleton<IDatasetData>(services => services.GetRequiredService<CatalogSnapshot>());

        services.AddOptions<PassportOptions>().Bind(builder.Configuration.GetSection(PassportOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PassportOptions>, PassportOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<PassportMetrics>();
        // Keys and passports come only from allow-listed URLs; a redirect could lead anywhere, so none is followed.
        services.AddHttpClient(JwksCache.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        services.AddHttpClient(BrokerPassports.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        // The node's own key ring and visas (over the node's database, which the host provides).
        services.AddSingleton(services => new NodeSigningKeys(services.GetRequiredService<NodeDatabase>(),
            services.GetRequiredService<IOptionsMonitor<PassportOptions>>(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<NodeSigningKeys>>()));
        services.AddSingleton<INodeSigningKeys>(services => services.GetRequiredService<NodeSigningKeys>());
        services.AddSingleton<IVisaIssuer, VisaIssuer>();
        services.AddSingleton<JwksCache>();
        services.AddSingleton<PassportValidator>();
        services.AddSingleton<BrokerCallLimiter>();
        services.AddSingleton<BrokerPassports>();
        services.AddSingleton<PassportAuthenticator>();
        services.AddOptions<AuditOptions>().Bind(builder.Configuration.GetSection(AuditOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton<AccessAudit>();
        services.AddSingleton<AuditMetrics>();
        services.AddOptions<QueryBudgetOptions>().Bind(builder.Configuration.GetSection(QueryBudgetOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueryBudgetOptions>, QueryBudgetOptionsValidator>();
        services.AddSingleton<QueryBudgets>();
        services.AddScoped(services => new AuditTrail(services.GetRequiredService<DuckDBConnection>(), services.GetRequiredService<NodeDatabase>().DataDirectory));
        services.AddSingleton<AccessDecisions>();
        services.AddHealthChecks().AddCheck<AuditHealthCheck>("audit");
        services.AddSingleton<DatasetVisibility>();
        services.AddScoped<GenomeNode.DataUseOntology.DataUse.IDatasetScope, DataUseDatasetScope>();
        // The host replaces it with its configured public URL (Node:PublicUrl) when it has one.
        services.TryAddSingleton(PublicBaseUrl.FromRequests);
        services.AddOptions<FairDataPointOptions>().Bind(builder.Configuration.GetSection(FairDataPointOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FairDataPointOptions>, FairDataPointOptionsValidator>();
        services.AddScoped<FairDataPointCatalog>();
        services.AddHostedService(services => new AccessAuditWriter(Observed(services.GetRequiredService<AccessAudit>(), services),
            services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<ILogger<AccessAuditWriter>>(),
            services.GetRequiredService<NodeDatabase>().DataDirectory));
        return builder;
    }

    /// <summary>The audit, with its backlog gauge made: an observed instrument exists only once something creates it.</summary>
    private static AccessAudit Observed(AccessAudit audit, IServiceProvider services)
    {
        _ = services.GetRequiredService<AuditMetrics>();
        return audit;
    }
}
