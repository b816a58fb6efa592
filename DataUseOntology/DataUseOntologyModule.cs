using System.Reflection;

namespace GenomeNode.DataUseOntology;

/// <summary>Identity of the DataUseOntology module for the host: its name and the assembly holding its migrations.</summary>
public static class DataUseOntologyModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "ontology";

    public static Assembly Assembly => typeof(DataUseOntologyModule).Assembly;
}
