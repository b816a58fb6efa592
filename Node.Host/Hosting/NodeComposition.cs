using System.Reflection;
using GenomeNode.Beacon;
using GenomeNode.Broker;
using GenomeNode.Committee;
using GenomeNode.DataUseOntology;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Host.Admin;
using GenomeNode.Storage;
using GenomeNode.Htsget;
using GenomeNode.Htsget.Api;
using GenomeNode.Passport;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.FairDataPoint;
using GenomeNode.Passport.Web;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Hosting;

/// <summary>What every way of running the node shares: options, the database, the modules and the admin operations.</summary>
public static class NodeComposition
{
    /// <summary>Every module's migrations, in dependency order (a module may rely on the tables of those before it).</summary>
    public static IReadOnlyList<ModuleMigrations> Migrations { get; } =
    [
        DataUseOntologyModule.Migrations,
        PassportModule.Migrations,
        CommitteeModule.Migrations,
        HtsgetModule.Migrations,
        BeaconModule.Migrations,
        BrokerModule.Migrations,
    ];

    /// <summary>The node's version, as service-info and the migrations table record it.</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>Registers the services shared by <c>serve</c> and the CLI's direct (no node running) mode.</summary>
    public static IHostApplicationBuilder AddNodeCore(this IHostApplicationBuilder builder, bool logToStandardError = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<NodeOptions>()
            .Bind(builder.Configuration.GetSection(NodeOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();

        builder.Services.AddSingleton(services => new NodeDatabase(services.GetRequiredService<IOptions<NodeOptions>>().Value.DataDirectory));
        builder.Services.AddSingleton<SingleWriter>();
        // Modules take a scoped, open connection; the scope disposes it.
        builder.Services.AddScoped(services => services.GetRequiredService<NodeDatabase>().OpenConnection());

        builder.AddDataUseOntology();
        builder.AddPassport();
        // Every absolute URL the modules hand out starts from the node's public URL when it has one.
        builder.Services.Replace(ServiceDescriptor.Singleton(services =>
            new PublicBaseUrl(services.GetRequiredService<IOptions<NodeOptions>>().Value.PublicUrl)));
        builder.Services.AddOptions<PassportOptions>().PostConfigure<IOptions<NodeOptions>>((passport, node) =>
        {
            // A passport whose aud names some audience must name this node; by default the node is its public URL.
            if (passport.Audiences.Count == 0 && new PublicBaseUrl(node.Value.PublicUrl).Configured is { } audience)
            {
                passport.Audiences = [audience, audience + "/"];
            }
        });
        builder.Services.AddOptions<FairDataPointOptions>().PostConfigure<IOptions<NodeOptions>>((fdp, options) =>
        {
            // What the FAIR Data Point says of the node, unless configured: the node's name, description and operator.
            var node = options.Value;
            if (fdp.Title.Count == 0)
            {
                fdp.Title["en"] = node.Name;
            }

            if (fdp.Description.Count == 0)
            {
                fdp.Description["en"] = string.IsNullOrWhiteSpace(node.Description) ? node.Name : node.Description;
            }

            if (string.IsNullOrWhiteSpace(fdp.Publisher.Name))
            {
                fdp.Publisher.Name = node.Organization.Name;
                fdp.Publisher.Url ??= node.Organization.Url;
            }
        });
        builder.AddCommittee();
        builder.AddHtsget();
        builder.Services.AddOptions<HtsgetOptions>().PostConfigure<IOptions<NodeOptions>>((htsget, node) =>
        {
            // htsget's signing key lives with the node's data unless configured elsewhere.
            if (string.IsNullOrWhiteSpace(htsget.SigningKeyFile))
            {
                htsget.SigningKeyFile = Path.Combine(node.Value.DataDirectory, "htsget-signing.key");
            }

            if (string.IsNullOrWhiteSpace(htsget.Crypt4ghKeyFile))
            {
                htsget.Crypt4ghKeyFile = Path.Combine(node.Value.DataDirectory, "crypt4gh", "node.sec");
            }

            // Htsget:PublicBaseUrl stays an override for data URLs alone.
            if (string.IsNullOrWhiteSpace(htsget.PublicBaseUrl))
            {
                htsget.PublicBaseUrl = node.Value.PublicUrl;
            }
        });
        builder.Services.AddOptions<HtsgetServiceInfoOptions>().Configure<IOptions<NodeOptions>>((info, options) =>
        {
            var node = options.Value;
            info.Id = node.Id;
            info.Name = node.Name;
            info.OrganizationName = node.Organization.Name;
            info.OrganizationUrl = node.Organization.Url;
            info.ContactUrl = node.ContactUrl;
            info.DocumentationUrl = node.DocumentationUrl;
            info.Environment = node.Environment;
            info.Version = Version;
        });
        builder.AddBeacon();
        builder.Services.AddSingleton<NodeOperations>();

        ConfigureConsoleLogging(builder, logToStandardError);
        return builder;
    }

    /// <summary>Opens the database and applies pending migrations, logging what was done.</summary>
    /// <param name="services">the node's services</param>
    /// <param name="readOnly">
    /// open an existing, up-to-date database for reading only (<see cref="NodeDatabase.OpenReadOnly"/>): nothing is
    /// created, migrated or loaded
    /// </param>
    public static void OpenDatabase(IServiceProvider services, bool readOnly = false)
    {
        var database = services.GetRequiredService<NodeDatabase>();
        if (readOnly)
        {
            database.OpenReadOnly(Migrations, Version);
            return;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("GenomeNode.Storage");
        var applied = database.Open(Migrations, Version);
        if (applied.Count == 0)
        {
            Log.SchemaUpToDate(logger, database.DatabasePath);
        }
        else
        {
            Log.MigrationsApplied(logger, database.DatabasePath, applied.Count, string.Join(", ", applied.Select(m => m.Label)));
        }

        using var scope = services.CreateScope();
        var ontologies = scope.ServiceProvider.GetRequiredService<OntologyStore>();
        if (DuoOntology.EnsureLoaded(ontologies))
        {
            Log.DuoLoaded(logger, DuoOntology.ResourceName);
        }

        if (SexOntology.EnsureLoaded(ontologies))
        {
            Log.SexOntologyLoaded(logger, SexOntology.ResourceName);
        }
    }

    private static void ConfigureConsoleLogging(IHostApplicationBuilder builder, bool logToStandardError)
    {
        var json = string.Equals(builder.Configuration[$"{NodeOptions.Section}:LogFormat"], "json", StringComparison.OrdinalIgnoreCase);
        builder.Logging.ClearProviders();
        if (json)
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
        }

        if (logToStandardError)
        {
            // CLI commands keep stdout for their own output.
            builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }
    }

    private static string ReadVersion()
    {
        var informational = typeof(NodeComposition).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var metadata = informational.IndexOf('+', StringComparison.Ordinal);
        return metadata < 0 ? informational : informational[..metadata];
    }
}
