using System.Reflection;
using GenomeNode.Htsget.Registration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GenomeNode.Htsget;

/// <summary>Identity of the Htsget module for the host: its name and the assembly holding its migrations.</summary>
public static class HtsgetModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "htsget";

    public static Assembly Assembly => typeof(HtsgetModule).Assembly;

    /// <summary>
    /// Registers the module's services (object registration and the registered-object store); they take the scoped,
    /// open <c>DuckDBConnection</c> the host provides.
    /// </summary>
    public static IHostApplicationBuilder AddHtsget(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<HtsgetObjectRegistrar>();
        builder.Services.AddScoped<HtsgetObjectStore>();
        return builder;
    }
}
