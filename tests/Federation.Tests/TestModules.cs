using GenomeNode.Host.Hosting;
using GenomeNode.Storage;

namespace GenomeNode.Tests;

/// <summary>The modules whose tables this project's test databases hold: the whole node's.</summary>
internal static class TestModules
{
    public static IReadOnlyList<ModuleMigrations> Migrations => NodeComposition.Migrations;
}
