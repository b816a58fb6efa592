using System.Reflection;
using GenomeNode.Storage;
using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.DataUseOntology.Ontologies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GenomeNode.DataUseOntology;

/// <summary>Identity and registration of the DataUseOntology module (ontology graphs, DUO conditions, matching).</summary>
public static class DataUseOntologyModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "ontology";

    public static Assembly Assembly => typeof(DataUseOntologyModule).Assembly;

    /// <summary>The module's versioned SQL scripts (embedded resources <c>Migrations/NNNN_name.sql</c>).</summary>
    public static ModuleMigrations Migrations { get; } = ModuleMigrations.FromAssembly(Name, Assembly);

    /// <summary>Registers the module's services; they take the scoped, open <c>DuckDBConnection</c> the host provides.</summary>
    public static IHostApplicationBuilder AddDataUseOntology(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<DataUseViews>();
        builder.Services.AddScoped<OntologyStore>();
        builder.Services.AddScoped<DatasetDataUse>();
        builder.Services.AddScoped(services => new Lazy<DatasetDataUse>(services.GetRequiredService<DatasetDataUse>));
        builder.Services.AddScoped(services => new Lazy<OntologyStore>(services.GetRequiredService<OntologyStore>));
        builder.Services.AddSingleton<GenomeNode.Storage.IDatasetData, DataUseDatasetData>();
        return builder;
    }
}
