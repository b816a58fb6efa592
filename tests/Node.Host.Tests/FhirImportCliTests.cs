using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>`ingest fhir` through the real binary.</summary>
public sealed class FhirImportCliTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-fhir-cli");
    private readonly TemporaryDirectory files = new("genome-node-fhir-cli-files");

    public void Dispose()
    {
        data.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task An_export_directory_is_imported_and_a_missing_Patient_refuses_the_next_import_with_its_line()
    {
        var export = files.Combine("export");
        Directory.CreateDirectory(export);
        File.WriteAllText(Path.Combine(export, "Patient.ndjson"),
            """{"resourceType":"Patient","id":"P1","gender":"female","birthDate":"1960-02-01"}""" + "\n" +
            """{"resourceType":"Patient","id":"P2","gender":"male"}""" + "\n");
        File.WriteAllText(Path.Combine(export, "Specimen.ndjson"),
            """{"resourceType":"Specimen","id":"B1","subject":{"reference":"Patient/P1"}}""" + "\n");
        var orphan = files.Combine("orphan");
        Directory.CreateDirectory(orphan);
        File.WriteAllText(Path.Combine(orphan, "Condition.ndjson"),
            """{"resourceType":"Condition","subject":{"reference":"Patient/P2"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]}}""" + "\n" +
            """{"resourceType":"Condition","subject":{"reference":"Patient/nobody"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]}}""" + "\n");
        await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public");

        var imported = await Cli("ingest", "fhir", "--dataset", "cohort", export);
        var refused = await Cli("ingest", "fhir", "--dataset", "cohort", orphan);

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal($"imported {export} (fhir) into dataset 'cohort': 2 individuals, 1 biosample (2 new individuals)", imported.Output.Trim());
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("error: Condition.ndjson:2: individual 'nobody' is neither in this import nor an individual of dataset 'cohort'; nothing was stored",
            refused.Error.Split('\n').Last(line => line.Length > 0));
        Assert.Equal(0L, TestDatabase.Scalar(data.Path, "SELECT count(*) FROM beacon.individuals WHERE document LIKE '%38341003%'"));
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);
}
