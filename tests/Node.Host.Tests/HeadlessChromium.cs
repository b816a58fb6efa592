using Microsoft.Playwright;

namespace GenomeNode.Node.Host.Tests;

/// <summary>Debian's chromium as the page tests drive it through Playwright: headless, no sandbox (root in CI), offline.</summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        Assert.True(File.Exists(Path), $"{Path} is missing: run ./test.sh, which installs Debian's chromium");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
    }
}
