using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>A wrong population setting stops the node at start with one line naming the key.</summary>
public sealed class PopulationSettingsTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-population-settings");

    public void Dispose() => data.Dispose();

    [Theory]
    [InlineData("--Beacon:Populations:0:Filter=sex.id",
        "invalid configuration: Beacon:Populations:0:Filter 'sex.id' is neither an ontology term (a CURIE such as NCIT:C16576) nor field=value (such as sex.id=NCIT:C16576)")]
    [InlineData("--Beacon:Country=Finland", "invalid configuration: Beacon:Country must be an ISO 3166-1 alpha-2 code in capitals, such as FI (got 'Finland')")]
    public async Task A_bad_population_setting_stops_the_node_at_start_naming_the_key(string setting, string expected)
    {
        var result = await GenomeNodeProcess.RunAsync(
            "serve", "--data", data.Path, "--urls", "http://127.0.0.1:0", "--Beacon:Populations:0:Id=FI_F", setting);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"error: {expected}", lines.Last());
    }
}
