using GenomeNode.Tests;

namespace GenomeNode.Broker.Tests;

public sealed class BrokerMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_broker_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(BrokerModule.Name, BrokerModule.Assembly);
}
