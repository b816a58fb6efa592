using GenomeNode.Tests;

namespace GenomeNode.Passport.Tests;

public sealed class PassportMigrationsTests
{
    [Fact]
    public void Migrations_apply_to_a_fresh_database_and_stay_in_the_passport_schema() =>
        ModuleSchemaAssertions.MigrationsStayInOwnSchema(PassportModule.Name, PassportModule.Assembly);
}
