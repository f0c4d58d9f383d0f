using System.Net;
using System.Net.Http.Json;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Dashboard;

/// <summary>The list and incident pages as HTML, and an editor's change reaching the incident's Slack channel.</summary>
public sealed class DashboardPagesTests : IAsyncLifetime
{
    private DashboardTestBot bot = null!;

    public async Task InitializeAsync() => bot = await DashboardTestBot.StartAsync();

    public async Task DisposeAsync() => await bot.DisposeAsync();

    [Fact]
    public async Task TheListKeepsOnlyWhatTheFiltersInItsUrlSay()
    {
        await bot.Slack.Bot.DeclareAsync(new { title = "Payments down", severity = "SEV-1", services = new[] { "payments" }, environment = "production" });
        await bot.Slack.Bot.DeclareAsync(new { title = "Search slow", severity = "SEV-3", services = new[] { "search" }, environment = "staging" });
        await bot.Slack.Bot.DeclareAsync(new { title = "Login errors", severity = "SEV-1", services = new[] { "auth" }, environment = "staging" });
        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var sev1 = await client.GetStringAsync("/incidents?severity=SEV-1");
        var stagingSev1 = await client.GetStringAsync("/incidents?severity=sev1&environment=staging");
        var search = await client.GetStringAsync("/incidents?service=search&status=open");

        Assert.Contains("Payments down", sev1);
        Assert.Contains("Login errors", sev1);
        Assert.DoesNotContain("Search slow", sev1);
        Assert.Contains("class=\"sev sev-1\"", sev1);
        Assert.Contains("Login errors", stagingSev1);
        Assert.DoesNotContain("Payments down", stagingSev1);
        Assert.Contains("Search slow", search);
        Assert.DoesNotContain("Login errors", search);
        Assert.Contains("<option value=\"search\" selected=\"selected\">", search);
    }

    /// <summary>A private incident shows only to members of its channel: the declarer sees it, someone else learns nothing of it.</summary>
    [Fact]
    public async Task APrivateIncidentShowsOnlyToMembersOfItsChannel()
    {
        await bot.Slack.DeclareAsync("Checkout errors in EU");
        var declared = await SlackTestBot.TextOfAsync(await bot.Slack.CommandAsync("declare --private Payroll ledger mismatch sev1"));
        var number = long.Parse(System.Text.RegularExpressions.Regex.Match(declared, @"INC-(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await bot.Slack.ChannelOfAsync(number);
        using var member = await bot.SignedInAsync(bot.EditorUser);
        using var outsider = await bot.SignedInAsync(bot.ViewerUser);

        Assert.Contains("Payroll ledger mismatch", await member.GetStringAsync("/incidents"));
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/incidents/INC-{number}")).StatusCode);
        var outsiders = await outsider.GetStringAsync("/incidents");
        Assert.Contains("Checkout errors in EU", outsiders);
        Assert.DoesNotContain("Payroll ledger mismatch", outsiders);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/incidents/INC-{number}")).StatusCode);
        Assert.DoesNotContain("Payroll", await outsider.GetStringAsync("/metrics-overview"));
    }

    [Fact]
    public async Task AFilterValueThatCannotBeReadIsSaidBack()
    {
        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var response = await client.GetAsync("/incidents?severity=sev9&from=yesterday");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("&#x27;sev9&#x27; is not a severity", page);
        Assert.Contains("&#x27;yesterday&#x27; is not a date for &#x27;from&#x27;: write it as 2026-11-02.", page);
    }

    [Fact]
    public async Task TheListPagesThroughOlderIncidents()
    {
        for (var i = 1; i <= 27; i++)
        {
            await bot.Slack.Bot.DeclareAsync(new { title = $"Incident number {i:D2}" });
        }

        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var first = await client.GetStringAsync("/incidents");
        var second = await client.GetStringAsync("/incidents?before=3");

        Assert.Contains("27 incidents", first);
        Assert.Contains("Incident number 27", first);
        Assert.DoesNotContain("Incident number 02", first);
        Assert.Contains("href=\"/incidents?before=3\"", first);
        Assert.Contains("Incident number 02", second);
        Assert.Contains("Incident number 01", second);
        Assert.DoesNotContain("Incident number 03", second);
    }

    [Fact]
    public async Task AnEditorsStatusChangeShowsOnThePageAndInTheIncidentsChannel()
    {
        var number = await bot.Slack.DeclareAsync("Checkout API errors sev2");
        var channel = await bot.Slack.ChannelOfAsync(number);
        await TestBot.ReadSuccessAsync(await bot.Slack.Bot.Client.PostAsJsonAsync($"/api/incidents/{number}/timeline", new { type = "update", message = "Rolling back the deploy" }));
        using var client = await bot.SignedInAsync(bot.EditorUser);
        var token = await DashboardTestBot.AntiforgeryTokenAsync(client, $"/incidents/INC-{number}");

        var response = await client.PostAsync($"/incidents/INC-{number}?handler=Status",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "stable", ["__RequestVerificationToken"] = token }));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal($"/incidents/INC-{number}", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("id=\"status\">stable</span>", page);
        Assert.Contains("Rolling back the deploy", page);
        Assert.Contains("class=\"notice\"", page);
        await bot.Slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("channel") == channel.Id && c.Arg("text")!.Contains("to *stable*"));
        Assert.Contains(DashboardTestBot.Editor, (await bot.Slack.TimelineAsync(number)).Last(e => e.GetProperty("type").GetString() == "status_changed").GetRawText());
    }

    [Fact]
    public async Task AnEditorDeclaresAnIncidentThatGetsItsChannel()
    {
        using var client = await bot.SignedInAsync(bot.EditorUser);
        var token = await DashboardTestBot.AntiforgeryTokenAsync(client, "/incidents/declare");

        var response = await client.PostAsync("/incidents/declare", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Title"] = "Queue backlog growing", ["Severity"] = "SEV-2", ["Services"] = "queue, workers", ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal("/incidents/INC-1", response.RequestMessage!.RequestUri!.AbsolutePath);
        var channel = await bot.Slack.ChannelOfAsync(1);
        Assert.StartsWith("incident-1-queue-backlog-growing", channel.Name);
        var incident = await bot.Slack.IncidentAsync(1);
        Assert.Equal(DashboardTestBot.Editor, incident.GetProperty("declaredBy").GetString());
    }

    [Fact]
    public async Task TheLiveFragmentCarriesTheVersionThePagePollsFor()
    {
        var number = await bot.Slack.DeclareAsync("Search slow sev3");
        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var before = await client.GetAsync($"/incidents/INC-{number}?handler=Live");
        await TestBot.ReadSuccessAsync(await bot.Slack.Bot.Client.PostAsJsonAsync($"/api/incidents/{number}/timeline", new { type = "update", message = "Index rebuilt" }));
        var after = await client.GetAsync($"/incidents/INC-{number}?handler=Live");

        Assert.NotEqual(before.Headers.GetValues("X-Timeline-Entries").Single(), after.Headers.GetValues("X-Timeline-Entries").Single());
        Assert.Contains("Index rebuilt", await after.Content.ReadAsStringAsync());
        Assert.DoesNotContain("<html", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheListAndTheIncidentPageNameTheCommanderAsSlackDoes()
    {
        var declared = await bot.Slack.Bot.DeclareAsync(new { title = "Payments down", commanderId = DashboardTestBot.Viewer });
        var unknown = await bot.Slack.Bot.DeclareAsync(new { title = "Search slow", commanderId = "U0NOBODY" });
        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var list = await client.GetStringAsync("/incidents");
        var page = await client.GetStringAsync($"/incidents/INC-{declared.GetProperty("number")}");
        var unknownPage = await client.GetStringAsync($"/incidents/INC-{unknown.GetProperty("number")}");

        Assert.Contains("<td>victor</td>", list);
        Assert.Contains("<td>U0NOBODY</td>", list);
        Assert.DoesNotContain(DashboardTestBot.Viewer, list);
        Assert.Contains("<dt>Commander</dt><dd>victor</dd>", page);
        Assert.Contains("<dt>Commander</dt><dd>U0NOBODY</dd>", unknownPage);
    }

    [Fact]
    public async Task ATimelineMessageShowsThePeopleItMentionsByNameAndItsLinksAsLinks()
    {
        var number = await IncidentWhereAliceSaysAsync($"Handing over to <@{DashboardTestBot.Viewer}>, see <https://status.example.com/?a=1&amp;b=2|the status page>");
        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var page = await client.GetStringAsync($"/incidents/INC-{number}");

        Assert.Contains("Handing over to victor, see <a href=\"https://status.example.com/?a=1&amp;b=2\">the status page</a>", page);
        Assert.Contains("<span>alice</span>", page);
        Assert.DoesNotContain($"<@{DashboardTestBot.Viewer}>", page);
    }

    [Fact]
    public async Task TheSummaryAndRelatedIncidentsNameThePeopleTheyQuote()
    {
        await IncidentWhereAliceSaysAsync($"Checkout errors: <@{DashboardTestBot.Viewer}> restarted the checkout pods");
        var number = await IncidentWhereAliceSaysAsync($"Impact: checkout errors, <@{DashboardTestBot.Viewer}> restarted the checkout pods", "Checkout API errors again sev2");
        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var summary = await client.GetStringAsync($"/incidents/INC-{number}?handler=Summary");
        var related = await client.GetStringAsync($"/incidents/INC-{number}?handler=Related");

        Assert.Contains("alice: Impact: checkout errors, victor restarted the checkout pods", summary);
        Assert.Contains("“Checkout errors: victor restarted the checkout pods”", related);
        Assert.DoesNotContain($"<@{DashboardTestBot.Viewer}>", summary + related);
    }

    [Fact]
    public async Task HtmlAndScriptLinksInATimelineMessageAreShownAsText()
    {
        var number = await IncidentWhereAliceSaysAsync("&lt;script&gt;alert(1)&lt;/script&gt; <javascript:alert(2)|click me> [also](javascript:alert(3))");
        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var page = await client.GetStringAsync($"/incidents/INC-{number}");

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.DoesNotContain("<script>alert", page);
        Assert.DoesNotContain("javascript:", page);
        Assert.Contains("<a href=\"#\">click me</a>", page);
    }

    [Fact]
    public async Task TheMetricsPageDrawsTheWindowsIncidentsBySeverityAndService()
    {
        await bot.Slack.Bot.DeclareAsync(new { title = "Payments down", severity = "SEV-1", services = new[] { "payments" } });
        var resolved = await bot.Slack.Bot.DeclareAsync(new { title = "Search slow", severity = "SEV-3", services = new[] { "search", "payments" } });
        await TestBot.ReadSuccessAsync(await bot.Slack.Bot.Client.PatchAsJsonAsync($"/api/incidents/{resolved.GetProperty("number")}", new { status = "resolved" }));
        using var client = await bot.SignedInAsync(bot.ViewerUser);

        var page = await client.GetStringAsync("/metrics-overview?days=30");
        var badWindow = await client.GetAsync("/metrics-overview?days=12");

        Assert.Contains("<dd id=\"total\">2</dd>", page);
        Assert.Contains("<dd id=\"mttr\">under a minute</dd>", page);
        Assert.Contains("<dd id=\"mttd\">no data</dd>", page);
        Assert.Contains("class=\"bar-sev-1\"", page);
        Assert.Contains("class=\"bar-sev-3\"", page);
        Assert.Contains("<title>payments: 2</title>", page);
        Assert.Equal(HttpStatusCode.BadRequest, badWindow.StatusCode);
        Assert.Contains("The window must be one of 7, 30, 90, 365 days, not 12.", await badWindow.Content.ReadAsStringAsync());
    }

    /// <summary>An incident declared in Slack whose channel has a message from alice, as Slack sends it (escaped), on its timeline.</summary>
    private async Task<long> IncidentWhereAliceSaysAsync(string text, string declare = "Checkout API errors sev2")
    {
        var number = await bot.Slack.DeclareAsync(declare);
        var channel = (await bot.Slack.ChannelOfAsync(number)).Id;
        await bot.Slack.EventAsync(new { type = "message", channel, user = SlackTestBot.Responder, text, ts = "1700000001.000100", channel_type = "channel" });
        await bot.Slack.DrainAsync(number, channel);
        return number;
    }
}
