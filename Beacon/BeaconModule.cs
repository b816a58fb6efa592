using System.Reflection;
using GenomeNode.Storage;
using GenomeNode.Beacon.Api;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;
using GenomeNode.Beacon.Import;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Store;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Beacon.Variants;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon;

/// <summary>Identity and registration of the Beacon module: Beacon v2 API over the DuckDB variant store, VCF ingest.</summary>
public static class BeaconModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "beacon";

    public static Assembly Assembly => typeof(BeaconModule).Assembly;

    /// <summary>The module's versioned SQL scripts (embedded resources <c>Migrations/NNNN_name.sql</c>).</summary>
    public static ModuleMigrations Migrations { get; } = ModuleMigrations.FromAssembly(Name, Assembly);

    /// <summary>
    /// Registers the module's services (options from section <c>Beacon</c>, VCF ingest, the variant store); they take
    /// the scoped, open <c>DuckDBConnection</c> the host provides.
    /// </summary>
    public static IHostApplicationBuilder AddBeacon(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BeaconOptions>()
            .Bind(builder.Configuration.GetSection(BeaconOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BeaconOptions>, BeaconOptionsValidator>();
        // Configuration keys are case-insensitive: so is the dataset id a per-dataset setting is bound under.
        builder.Services.PostConfigure<BeaconOptions>(options =>
            options.Datasets = new Dictionary<string, BeaconDatasetOptions>(options.Datasets, StringComparer.OrdinalIgnoreCase));
        builder.Services.AddOptions<PopulationOptions>().Bind(builder.Configuration.GetSection(PopulationOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PopulationOptions>, PopulationOptionsValidator>();
        builder.Services.AddOptions<PrivacyOptions>().Bind(builder.Configuration.GetSection(PrivacyOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>();
        builder.Services.AddSingleton<PrivacyRules>();
        builder.Services.AddSingleton<BeaconMetrics>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.PostConfigure<PrivacyOptions>(options =>
            options.Datasets = new Dictionary<string, PrivacyRuleOptions>(options.Datasets, StringComparer.OrdinalIgnoreCase));
        builder.Services.AddSingleton<IDatasetDisclosure, BeaconDisclosure>();
        builder.Services.AddSingleton(services => new VariantRecords(
            services.GetRequiredService<IOptions<BeaconOptions>>().Value.RecordCacheMegabytes * 1024L * 1024L));
        builder.Services.AddSingleton(services => new VariantIndex(
            services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<VariantRecords>(),
            services.GetRequiredService<IOptions<BeaconOptions>>().Value.PrewarmMegabytes));
        builder.Services.AddHealthChecks().AddCheck<VariantIndexHealthCheck>("beacon-index");
        builder.Services.AddSingleton<GenomeNode.Storage.IDatasetData, BeaconDatasetData>();
        builder.Services.AddScoped<VcfIngester>();
        builder.Services.AddScoped<IndividualDocuments>();
        builder.Services.AddScoped<EntryWriter>();
        builder.Services.AddSingleton<IClinicalReader, BffReader>();
        builder.Services.AddSingleton<IClinicalReader, PhenopacketReader>();
        builder.Services.AddSingleton<IClinicalReader, FhirReader>();
        builder.Services.AddSingleton<EntryIndex>();
        // Filters' ontology terms, held until an ontology load commits (the store tells its listeners).
        builder.Services.AddSingleton<OntologyTerms>();
        builder.Services.AddSingleton<IOntologyTerms>(services => services.GetRequiredService<OntologyTerms>());
        builder.Services.AddSingleton<IOntologyChangeListener>(services => services.GetRequiredService<OntologyTerms>());
        builder.Services.AddSingleton<PopulationIndex>();
        builder.Services.AddScoped<VariantStore>();
        // Resolved when first used: each opens a DuckDB connection, which the in-memory index's answers do without.
        builder.Services.AddScoped(services => new Lazy<VariantStore>(services.GetRequiredService<VariantStore>));
        builder.Services.TryAddScoped(services => new Lazy<DatasetCatalog>(services.GetRequiredService<DatasetCatalog>));
        builder.Services.AddScoped<DatasetQueries>();
        builder.Services.AddScoped<GVariantService>();
        builder.Services.AddScoped<EntryService>();
        builder.Services.AddScoped<CollectionService>();
        return builder;
    }
}
