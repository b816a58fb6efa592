using GenomeNode.Tests;

namespace GenomeNode.DataUseOntology.Tests;

public sealed class DataUseOntologyMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_ontology_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(DataUseOntologyModule.Name, DataUseOntologyModule.Assembly);
}
