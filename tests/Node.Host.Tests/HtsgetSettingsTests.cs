using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>A wrong htsget setting stops the node at start with one line naming the key, as README says; it is never replaced silently.</summary>
public sealed class HtsgetSettingsTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-htsget-settings");

    public void Dispose() => data.Dispose();

    [Theory]
    [InlineData("00:00:00", "invalid configuration: Htsget:DataUrlLifetime must be more than 0 and at most 1.00:00:00 (got 00:00:00)")]
    [InlineData("-00:05:00", "invalid configuration: Htsget:DataUrlLifetime must be more than 0 and at most 1.00:00:00 (got -00:05:00)")]
    [InlineData("30.00:00:00", "invalid configuration: Htsget:DataUrlLifetime must be more than 0 and at most 1.00:00:00 (got 30.00:00:00)")]
    [InlineData("five minutes", "invalid configuration: Failed to convert configuration value 'five minutes' at 'Htsget:DataUrlLifetime'")]
    public async Task A_bad_data_url_lifetime_stops_the_node_at_start_naming_the_key(string value, string expected)
    {
        var result = await GenomeNodeProcess.RunAsync(
            "serve", "--data", data.Path, "--urls", "http://127.0.0.1:0", $"--Htsget:DataUrlLifetime={value}");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {expected}", result.Error.Split('\n').Last(line => line.Length > 0), StringComparison.Ordinal);
    }
}
