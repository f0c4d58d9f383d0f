using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Api;

/// <summary>
/// A private incident over REST: a key of <c>Api:PrivateIncidentKeys</c> sees it whole; any other key gets what it
/// would get had the incident never been declared.
/// </summary>
public sealed class PrivateIncidentsApiTests : IAsyncLifetime
{
    private readonly TemporaryDatabase database = new();
    private TestBot bot = null!;
    private long secret;

    public async Task InitializeAsync()
    {
        bot = await TestBot.StartAsync(database.ConnectionString);
        await bot.DeclareAsync(new { title = "Checkout errors in EU", severity = "sev2", services = new[] { "checkout" } });
        var declared = await TestBot.ReadSuccessAsync(await bot.PrivateClient.PostAsJsonAsync("/api/incidents", new
        {
            title = "Payroll ledger mismatch",
            severity = "sev1",
            services = new[] { "payroll" },
            @private = true,
        }));
        Assert.True(declared.GetProperty("private").GetBoolean());
        secret = declared.GetProperty("number").GetInt64();
        await TestBot.ReadSuccessAsync(await bot.PrivateClient.PostAsJsonAsync(
            $"/api/incidents/{secret}/timeline", new { message = "Found the embezzlement trail in the ledger export" }));
    }

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        database.Dispose();
    }

    [Fact]
    public async Task AnUnscopedKeyGetsTheSame404AsForAnIncidentThatDoesNotExist()
    {
        var hidden = await bot.Client.GetAsync($"/api/incidents/{secret}");
        var missing = await bot.Client.GetAsync("/api/incidents/999");

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(
            (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.Replace("INC-999", "INC-?"),
            (await hidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.Replace($"INC-{secret}", "INC-?"));
        Assert.Equal(HttpStatusCode.NotFound, (await bot.Client.GetAsync($"/api/incidents/{secret}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bot.Client.GetAsync($"/api/incidents/{secret}/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bot.Client.PatchAsJsonAsync($"/api/incidents/{secret}", new { severity = "sev3" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bot.Client.PostAsJsonAsync($"/api/incidents/{secret}/timeline", new { message = "hi" })).StatusCode);
    }

    [Fact]
    public async Task TheScopedKeyGetsTheIncidentAndItsTimeline()
    {
        var incident = await TestBot.ReadSuccessAsync(await bot.PrivateClient.GetAsync($"/api/incidents/{secret}"));
        var timeline = await TestBot.ReadSuccessAsync(await bot.PrivateClient.GetAsync($"/api/incidents/{secret}/timeline"));

        Assert.Equal("Payroll ledger mismatch", incident.GetProperty("title").GetString());
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), e => e.GetProperty("text").GetString()!.Contains("embezzlement"));
    }

    [Fact]
    public async Task AnUnscopedKeyNeverSeesItInListsStatsRelatedOrAnswers()
    {
        Assert.Equal(["Checkout errors in EU"], await TitlesAsync(bot.Client));
        Assert.Equal(["Payroll ledger mismatch", "Checkout errors in EU"], await TitlesAsync(bot.PrivateClient));
        Assert.Equal(1, await TotalAsync(bot.Client));
        Assert.Equal(2, await TotalAsync(bot.PrivateClient));

        var related = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync("/api/incidents/1/related?q=embezzlement%20ledger"));
        Assert.DoesNotContain("Payroll", related.GetRawText());
        Assert.DoesNotContain($"INC-{secret}", related.GetRawText());
        var count = await AskAsync(bot.Client, "how many incidents this week?");
        Assert.Contains("**1** incident", count);
        var searched = await AskAsync(bot.Client, "incidents related to embezzlement");
        Assert.DoesNotContain($"INC-{secret}", searched);
        Assert.DoesNotContain("Payroll", searched);
        Assert.DoesNotContain($"INC-{secret}", await AskAsync(bot.Client, "who found the embezzlement trail?"));

        Assert.Contains("**2** incidents", await AskAsync(bot.PrivateClient, "how many incidents this week?"));
        Assert.Contains($"INC-{secret}", await AskAsync(bot.PrivateClient, "incidents related to embezzlement"));
        Assert.Contains($"INC-{secret}", await AskAsync(bot.PrivateClient, "who found the embezzlement trail?"));
    }

    private static async Task<List<string>> TitlesAsync(HttpClient client)
    {
        var page = await TestBot.ReadSuccessAsync(await client.GetAsync("/api/incidents"));
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)];
    }

    private static async Task<int> TotalAsync(HttpClient client) =>
        (await TestBot.ReadSuccessAsync(await client.GetAsync("/api/stats"))).GetProperty("total").GetInt32();

    private static async Task<string> AskAsync(HttpClient client, string question) =>
        (await TestBot.ReadSuccessAsync(await client.PostAsJsonAsync("/api/ask", new { question }))).GetRawText();
}
