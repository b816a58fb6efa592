using System.Reflection;

namespace GenomeNode.Beacon;

/// <summary>Identity of the Beacon module for the host: its name and the assembly holding its migrations.</summary>
public static class BeaconModule
{
    /// <summary>The module's name in the migrations table; also the DuckDB schema its tables live in.</summary>
    public const string Name = "beacon";

    public static Assembly Assembly => typeof(BeaconModule).Assembly;
}
