using GenomeNode.DataUseOntology;
using GenomeNode.Storage;

namespace GenomeNode.Tests;

/// <summary>The modules whose tables this project's test databases hold, in dependency order.</summary>
internal static class TestModules
{
    public static IReadOnlyList<ModuleMigrations> Migrations { get; } =
        [DataUseOntologyModule.Migrations, Passport.PassportModule.Migrations, Broker.BrokerModule.Migrations];
}
