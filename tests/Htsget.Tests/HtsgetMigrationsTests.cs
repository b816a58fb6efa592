using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests;

public sealed class HtsgetMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_htsget_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(HtsgetModule.Name, HtsgetModule.Assembly);
}
