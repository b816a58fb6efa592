using GenomeNode.Storage;

namespace GenomeNode.Tests;

/// <summary>The modules whose tables this project's test databases hold.</summary>
internal static class TestModules
{
    public static IReadOnlyList<ModuleMigrations> Migrations { get; } =
        [DataUseOntology.DataUseOntologyModule.Migrations, Passport.PassportModule.Migrations, Committee.CommitteeModule.Migrations];
}
