using GenomeNode.Tests;

namespace GenomeNode.Committee.Tests;

public sealed class CommitteeMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_committee_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(CommitteeModule.Name, CommitteeModule.Assembly);
}
