using System.Reflection;

namespace GenomeNode.Htsget;

/// <summary>Identity of the Htsget module for the host: its name and the assembly holding its migrations.</summary>
public static class HtsgetModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "htsget";

    public static Assembly Assembly => typeof(HtsgetModule).Assembly;
}
