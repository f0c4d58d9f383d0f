using System.Net.Http.Json;
using System.Text.RegularExpressions;
using IncidentBot.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IncidentBot.Tests.Dashboard;

/// <summary>The dashboard in a real Chromium: sign in through the fake provider, filter, open an incident, change it.</summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private DashboardTestBot bot = null!;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync() => bot = await DashboardTestBot.StartAsync();

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        await bot.DisposeAsync();
    }

    [SkippableFact]
    public async Task AnEditorSignsInFiltersOpensAnIncidentAndChangesItsStatus()
    {
        (playwright, browser) = await Chromium.LaunchAsync();
        await bot.Slack.Bot.DeclareAsync(new { title = "Search results slow", severity = "SEV-3", services = new[] { "search" }, environment = "production" });
        await bot.Slack.Bot.DeclareAsync(new { title = "Login errors for SSO users", severity = "SEV-4", services = new[] { "auth" } });
        var number = await bot.Slack.DeclareAsync("Checkout API errors sev2 services: checkout-api, payments");
        var channel = await bot.Slack.ChannelOfAsync(number);
        await bot.Slack.Bot.Client.PostAsJsonAsync($"/api/incidents/{number}/timeline", new { message = "Error rate at 12% since the 09:40 deploy" });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = bot.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Incidents" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Alice Editor")).ToBeVisibleAsync();
        await Expect(page.Locator("table.incidents tbody tr")).ToHaveCountAsync(3);
        await Chromium.ScreenshotAsync(page, "list");

        await page.GetByLabel("Severity").SelectOptionAsync("SEV-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("severity=SEV-2"));
        await Expect(page.Locator("table.incidents tbody tr")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Link, new() { Name = "Checkout API errors" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/incidents/INC-{number}$"));
        await Expect(page.Locator(".timeline").GetByText("Error rate at 12% since the 09:40 deploy")).ToBeVisibleAsync();
        await page.GetByLabel("Status").SelectOptionAsync("stable");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set status" }).ClickAsync();

        await Expect(page.Locator("#status")).ToHaveTextAsync("stable");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("stable");
        await bot.Slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("channel") == channel.Id && c.Arg("text")!.Contains("to *stable*"));
        Assert.Equal("stable", (await bot.Slack.IncidentAsync(number)).GetProperty("status").GetString());
        await Expect(page.Locator("#related")).Not.ToContainTextAsync("Looking");
        await Chromium.ScreenshotAsync(page, "incident");

        await page.GetByRole(AriaRole.Link, new() { Name = "Metrics" }).ClickAsync();
        await Expect(page.Locator("#total")).ToHaveTextAsync("3");
        await Chromium.ScreenshotAsync(page, "metrics");
    }

    [SkippableFact]
    public async Task AnOpenIncidentsPageShowsNewTimelineEntriesWithoutAReload()
    {
        (playwright, browser) = await Chromium.LaunchAsync();
        var number = await bot.Slack.DeclareAsync("Queue backlog growing sev1 services: queue");
        await bot.Slack.ChannelOfAsync(number);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = bot.Address.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/incidents/INC-{number}");
        await Expect(page.Locator("#summary")).Not.ToContainTextAsync("Loading");

        await TestBot.ReadSuccessAsync(await bot.Slack.Bot.Client.PostAsJsonAsync(
            $"/api/incidents/{number}/timeline", new { message = "Workers scaled from 4 to 12" }));

        // The page polls its live fragment every 5 s while the incident is open; a busy machine may miss a few polls.
        await Expect(page.Locator(".timeline").GetByText("Workers scaled from 4 to 12")).ToBeVisibleAsync(new() { Timeout = 40_000 });
    }
}
