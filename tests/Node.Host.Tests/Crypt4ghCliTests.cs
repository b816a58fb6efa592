using System.Net;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The operator's side of Crypt4GH through the real binary: <c>keys c4gh init|show</c>, registering a file encrypted
/// to the node's key (by the independent implementation), <c>dataset add|update --streaming</c>, and what a serving
/// node makes of them.
/// </summary>
public sealed class Crypt4ghCliTests : IDisposable
{
    private readonly TemporaryDirectory data = new("genome-node-c4gh-cli");
    private readonly TemporaryDirectory files = new("genome-node-c4gh-cli-files");

    public void Dispose()
    {
        data.Dispose();
        files.Dispose();
    }

    [Fact]
    public async Task Init_creates_an_owner_only_key_once_and_show_prints_the_public_key()
    {
        Assert.Equal(0, (await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public")).ExitCode);
        var before = await Cli("keys", "c4gh", "show");
        var init = await Cli("keys", "c4gh", "init");
        var again = await Cli("keys", "c4gh", "init");
        var show = await Cli("keys", "c4gh", "show");

        Assert.NotEqual(0, before.ExitCode);
        Assert.Contains("keys c4gh init", before.Error, StringComparison.Ordinal);
        Assert.True(init.ExitCode == 0, init.ToString());
        var secret = Path.Combine(data.Path, "crypt4gh", "node.sec");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        var publicKey = File.ReadAllText(Path.Combine(data.Path, "crypt4gh", "node.pub")).Trim();
        Assert.Equal(publicKey, show.Output.Trim());
        Assert.Contains(publicKey, init.Output, StringComparison.Ordinal);
        // A second init keeps the key files are encrypted to.
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already has a Crypt4GH key", again.Error, StringComparison.Ordinal);
        Assert.Equal(publicKey, (await Cli("keys", "c4gh", "show")).Output.Trim());
    }

    [Fact]
    public async Task An_encrypted_file_registers_and_a_serving_node_follows_its_datasets_streaming_policy()
    {
        Assert.Equal(0, (await Cli("keys", "c4gh", "init")).ExitCode);
        var bam = files.Combine("demo.bam");
        File.Copy(Path.Combine(HostEndpointsTests.RepositoryRoot(), "Node.Host", "Demo", "data", "demo.bam"), bam);
        File.Copy(Path.Combine(HostEndpointsTests.RepositoryRoot(), "Node.Host", "Demo", "data", "demo.bam.bai"), files.Combine("demo.bam.bai.plain"));
        Crypt4ghReference.Encrypt(Path.Combine(data.Path, "crypt4gh", "node.pub"), bam, bam + ".c4gh");
        Crypt4ghReference.Encrypt(Path.Combine(data.Path, "crypt4gh", "node.pub"), files.Combine("demo.bam.bai.plain"), bam + ".bai.c4gh");
        File.Delete(bam);

        var badPolicy = await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public", "--streaming", "sometimes");
        var add = await Cli("dataset", "add", "--id", "cohort", "--name", "Cohort", "--tier", "public", "--streaming", "c4gh-only");
        var register = await Cli("register", "reads", "--dataset", "cohort", "--id", "sample-1", bam + ".c4gh");

        Assert.NotEqual(0, badPolicy.ExitCode);
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("added dataset 'cohort' (public, streaming c4gh-only)", add.Output);
        Assert.True(register.ExitCode == 0, register.ToString());
        Assert.Contains("encrypted with Crypt4GH", register.Output, StringComparison.Ordinal);

        await using var node = await ServingNode.StartAsync(data.Path);
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        Assert.Equal(File.ReadAllText(Path.Combine(data.Path, "crypt4gh", "node.pub")).Trim(),
            (await client.GetStringAsync(new Uri("/.well-known/c4gh-recipient", UriKind.Relative))).Trim());
        var ticketUrl = new Uri(node.BaseAddress, "/htsget/reads/sample-1?referenceName=chr17");
        Assert.Contains("c4gh-only", ExternalTools.RunWithExitCode("samtools", null, "view", "-c", ticketUrl.ToString()).Error + await FirstDataUrlErrorAsync(client, ticketUrl),
            StringComparison.Ordinal);

        // Handed to the serving node: the new policy holds at once.
        var update = await Cli("dataset", "update", "--id", "cohort", "--streaming", "any");
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Equal("dataset 'cohort' streaming: any", update.Output);
        Assert.Equal("5412", ExternalTools.Run("samtools", "view", "-c", ticketUrl.ToString()).Trim());

        Assert.Equal(0, (await Cli("dataset", "update", "--id", "cohort", "--streaming", "none")).ExitCode);
        using var shut = await client.GetAsync(ticketUrl);
        Assert.Equal(HttpStatusCode.Forbidden, shut.StatusCode);
        Assert.NotEqual(0, (await Cli("dataset", "update", "--id", "nothing", "--streaming", "any")).ExitCode);
    }

    [Fact]
    public async Task A_damaged_key_file_is_a_clear_error_never_a_crash()
    {
        Assert.Equal(0, (await Cli("keys", "c4gh", "init")).ExitCode);
        File.WriteAllText(Path.Combine(data.Path, "crypt4gh", "node.sec"), "-----BEGIN CRYPT4GH PRIVATE KEY-----\nbm90IGEga2V5\n-----END CRYPT4GH PRIVATE KEY-----\n");

        var show = await Cli("keys", "c4gh", "show");
        Assert.NotEqual(0, show.ExitCode);
        Assert.Contains("node.sec cannot be read", show.Error, StringComparison.Ordinal);

        await using var node = await ServingNode.StartAsync(data.Path);
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        using var response = await client.GetAsync(new Uri("/.well-known/c4gh-recipient", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("node.sec", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> FirstDataUrlErrorAsync(HttpClient client, Uri ticketUrl)
    {
        using var ticket = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(ticketUrl));
        var first = ticket.RootElement.GetProperty("htsget").GetProperty("urls")[0].GetProperty("url").GetString()!;
        using var response = await client.GetAsync(new Uri(first));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private Task<CliResult> Cli(params string[] args) => GenomeNodeProcess.RunAsync([.. args, "--data", data.Path]);
}
