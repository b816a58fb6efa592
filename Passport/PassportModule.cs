using System.Reflection;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GenomeNode.Passport;

/// <summary>Identity and registration of the Passport module (dataset catalog and access decisions).</summary>
public static class PassportModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "passport";

    public static Assembly Assembly => typeof(PassportModule).Assembly;

    /// <summary>
    /// Registers the module's services. They take a scoped, open <c>DuckDBConnection</c> that the host provides.
    /// </summary>
    public static IHostApplicationBuilder AddPassport(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<DatasetCatalog>();
        return builder;
    }
}
