using System.Reflection;
using GenomeNode.Committee.Applications;
using GenomeNode.Committee.Dac;
using GenomeNode.Committee.Rems;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Issuing;
using GenomeNode.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GenomeNode.Committee;

/// <summary>Identity and registration of the Committee module: REMS-compatible access requests, committee decisions, grants.</summary>
public static class CommitteeModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "committee";

    public static Assembly Assembly => typeof(CommitteeModule).Assembly;

    public static ModuleMigrations Migrations { get; } = ModuleMigrations.FromAssembly(Name, Assembly);

    /// <summary>Registers the module's services with <see cref="CommitteeOptions"/> bound from section <c>Committee</c>.</summary>
    public static IHostApplicationBuilder AddCommittee(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<CommitteeOptions>().Bind(builder.Configuration.GetSection(CommitteeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommitteeOptions>, CommitteeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ApplicationStore>();
        services.AddScoped<ApiKeys>();
        services.AddScoped<CommitteeDesk>();
        services.AddSingleton<IIssuedVisas, CommitteeVisas>();
        return builder;
    }

    /// <summary>
    /// Maps the REMS-compatible API under <c>Passport:RemsPath</c> (one setting: the node's visas name its JWKS there)
    /// and the committee's API under <c>/dac</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapCommittee(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var passport = endpoints.ServiceProvider.GetRequiredService<IOptions<PassportOptions>>().Value;
        endpoints.MapRems(passport.RemsPath);
        endpoints.MapDac();
        return endpoints;
    }
}
