using Microsoft.Playwright;

namespace IncidentBot.Tests.Dashboard;

/// <summary>
/// Debian's chromium, driven by Playwright (whose own browser download cannot work here). Without it the browser tests
/// are reported skipped, saying why, except in CI, where they fail: <c>.ci/run</c> installs it.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>When set to a folder, the browser tests write the pages' screenshots there (docs/ keeps them).</summary>
    public const string ScreenshotsVariable = "INCIDENTBOT_SCREENSHOTS";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath) && Environment.GetEnvironmentVariable("CI") == "true")
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: in CI the browser tests must run (.ci/run installs chromium).");
        }

        Skip.IfNot(File.Exists(ExecutablePath), $"The browser tests need Debian's chromium at {ExecutablePath} (apt-get install chromium; see README, Test it).");
        // A shared machine (CI's included) can be slow to render; Playwright's default wait is 5 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"dashboard-{name}.png"), FullPage = true });
        }
    }
}
