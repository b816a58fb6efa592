using System.Diagnostics;

namespace GenomeNode.Node.Host.Tests;

/// <summary>The API reference page, rendered by a real browser against the node on a real Kestrel.</summary>
public sealed class DocsRenderingTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Docs_page_renders_the_node_operations_in_headless_chromium()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run ./test.sh, which installs Debian's chromium");
        await using var factory = new NodeFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        var page = new Uri(client.BaseAddress!, "/docs/");
        using var profile = new GenomeNode.Tests.TemporaryDirectory("chromium-profile");

        var dom = await DumpDomAsync(page, profile.Path);

        Assert.Contains("GA4GH service-info of the node, naming the APIs it offers", dom, StringComparison.Ordinal);
        Assert.Contains("Health of the node and its DuckDB database", dom, StringComparison.Ordinal);
        Assert.Contains("Genome Node", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docs_page_renders_under_its_content_security_policy_with_no_violation_in_the_console()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run ./test.sh, which installs Debian's chromium");
        await using var factory = new NodeFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        var page = new Uri(client.BaseAddress!, "/docs/");
        using (var response = await client.GetAsync(page))
        {
            Assert.Contains("script-src 'self' 'sha256-", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        using var profile = new GenomeNode.Tests.TemporaryDirectory("chromium-profile");

        var (dom, console) = await RenderAsync(page, profile.Path);

        Assert.Contains("GA4GH service-info of the node, naming the APIs it offers", dom, StringComparison.Ordinal);
        // The page's own console lines are there (so a blocked script or style would be too), and none is a violation.
        Assert.Contains(":CONSOLE", console, StringComparison.Ordinal);
        Assert.DoesNotContain("Content Security Policy", console, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> DumpDomAsync(Uri page, string profile) => (await RenderAsync(page, profile)).Dom;

    /// <summary>The page's DOM after its scripts ran, and Chromium's log with the page's console messages.</summary>
    private static async Task<(string Dom, string Console)> RenderAsync(Uri page, string profile)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     $"--user-data-dir={profile}", "--virtual-time-budget=20000", "--enable-logging=stderr", "--v=0",
                     "--dump-dom", page.ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var chromium = Process.Start(start)!;
        var dom = chromium.StandardOutput.ReadToEndAsync();
        var log = chromium.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await chromium.WaitForExitAsync(timeout.Token);
        return (await dom, await log);
    }
}
