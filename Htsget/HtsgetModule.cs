using System.Reflection;
using GenomeNode.Storage;
using GenomeNode.Htsget.Access;
using GenomeNode.Htsget.Api;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget;

/// <summary>Identity of the Htsget module for the host: its name, the assembly holding its migrations, its services.</summary>
public static class HtsgetModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "htsget";

    /// <summary>The CORS policy of the htsget endpoints (the host must run the CORS middleware).</summary>
    public const string CorsPolicy = "htsget";

    public static Assembly Assembly => typeof(HtsgetModule).Assembly;

    /// <summary>The module's versioned SQL scripts (embedded resources <c>Migrations/NNNN_name.sql</c>).</summary>
    public static ModuleMigrations Migrations { get; } = ModuleMigrations.FromAssembly(Name, Assembly);

    /// <summary>
    /// Registers the module's services (object registration, the registered-object store and its cache, tickets, data
    /// URLs, the access policy) and binds <see cref="HtsgetOptions"/> from the <c>Htsget</c> section, checked at start.
    /// The store and registrar take the scoped, open <c>DuckDBConnection</c> the host provides.
    /// </summary>
    public static IHostApplicationBuilder AddHtsget(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HtsgetOptions>().Bind(builder.Configuration.GetSection(HtsgetOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HtsgetOptions>, HtsgetOptionsValidator>();
        builder.Services.AddOptions<HtsgetServiceInfoOptions>();
        builder.Services.AddScoped<HtsgetObjectRegistrar>();
        builder.Services.AddScoped<HtsgetObjectStore>();
        builder.Services.AddScoped<DatasetStreaming>();
        builder.Services.AddSingleton<NodeCrypt4ghKey>();
        builder.Services.AddSingleton<StoredObjectFiles>();
        builder.Services.AddSingleton<HtsgetObjectCache>();
        builder.Services.AddSingleton<GenomeNode.Storage.IDatasetData, HtsgetDatasetData>();
        builder.Services.TryAddSingleton<IHtsgetAccessPolicy, PassportAccessPolicy>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DataUrls>();
        builder.Services.AddSingleton<InlineDataUris>();
        builder.Services.AddSingleton<HtsgetService>();
        builder.Services.AddSingleton<HtsgetMetrics>();
        builder.Services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
            // htsget 1.3 "CORS": the request's Origin is echoed; browsers (igv.js) send Authorization and Range.
            .SetIsOriginAllowed(_ => true)
            .WithMethods("GET", "POST")
            .WithHeaders("Authorization", "Range", "Content-Type", "Accept", Api.Crypt4ghDelivery.ClientPublicKeyHeader)
            .WithExposedHeaders("Content-Length", "Content-Range", "Accept-Ranges", "WWW-Authenticate")
            .SetPreflightMaxAge(TimeSpan.FromDays(30))));
        return builder;
    }
}
