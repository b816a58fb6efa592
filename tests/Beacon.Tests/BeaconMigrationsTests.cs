using GenomeNode.Tests;

namespace GenomeNode.Beacon.Tests;

public sealed class BeaconMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_beacon_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(BeaconModule.Name, BeaconModule.Assembly);
}
