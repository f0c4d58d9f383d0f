using System.Net;
using System.Net.Http.Json;
using IncidentBot.Dashboard;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Dashboard;

/// <summary>Who gets in, who may change things, and that the REST API keeps its own keys.</summary>
public sealed class DashboardSignInTests : IAsyncLifetime
{
    private DashboardTestBot bot = null!;

    public async Task InitializeAsync() => bot = await DashboardTestBot.StartAsync();

    public async Task DisposeAsync() => await bot.DisposeAsync();

    [Fact]
    public async Task ASignedOutRequestIsSentToSignInWithSlack()
    {
        using var client = bot.Browser(followRedirects: false);

        var response = await client.GetAsync("/incidents?status=open");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith($"{bot.OpenId.Authority}/openid/connect/authorize?", location.ToString());
        Assert.Contains($"client_id={Uri.EscapeDataString(FakeOpenId.ClientId)}", location.Query);
        Assert.Contains("scope=openid%20profile", location.Query);
    }

    [Fact]
    public async Task AMemberOfTheWorkspaceSignsInAndSeesTheList()
    {
        await bot.Slack.Bot.DeclareAsync(new { title = "Checkout API errors", severity = "SEV-2" });

        using var client = await bot.SignedInAsync(bot.EditorUser);
        var html = await client.GetStringAsync("/incidents");

        Assert.Contains("Checkout API errors", html);
        Assert.Contains("Alice Editor", html);
        Assert.Equal(1, bot.OpenId.TokensIssued);
    }

    [Fact]
    public async Task AMemberOfAnotherWorkspaceIsRefused()
    {
        var cookies = new CookieContainer();
        using var client = bot.Browser(cookies: cookies);
        bot.OpenId.SignInAs(new FakeSignInUser("U0STRANGER", "T0OTHER", "Mallory"));

        var response = await client.GetAsync("/incidents");
        using var again = bot.Browser(followRedirects: false, cookies: cookies);
        var next = await again.GetAsync("/incidents");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(DashboardSignIn.RefusedText, await response.Content.ReadAsStringAsync());
        Assert.Equal(1, bot.OpenId.TokensIssued);
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith(bot.OpenId.Authority, next.Headers.Location!.ToString());
    }

    [Fact]
    public async Task AFormPostWithoutTheAntiforgeryTokenIsRefused()
    {
        var incident = await bot.Slack.Bot.DeclareAsync(new { title = "Search slow" });
        using var client = await bot.SignedInAsync(bot.EditorUser);

        var response = await client.PostAsync($"/incidents/INC-{incident.GetProperty("number")}?handler=Status",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "stable" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("active", (await bot.Slack.IncidentAsync(incident.GetProperty("number").GetInt64())).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AViewerCannotChangeAnything()
    {
        var incident = await bot.Slack.Bot.DeclareAsync(new { title = "Search slow" });
        var number = incident.GetProperty("number").GetInt64();
        using var client = await bot.SignedInAsync(bot.ViewerUser);
        var page = await client.GetStringAsync($"/incidents/INC-{number}");
        var token = await DashboardTestBot.AntiforgeryTokenAsync(client, $"/incidents/INC-{number}");

        var status = await client.PostAsync($"/incidents/INC-{number}?handler=Status",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "stable", ["__RequestVerificationToken"] = token }));
        var declare = await client.PostAsync("/incidents/declare",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Title"] = "Mine", ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, declare.StatusCode);
        Assert.DoesNotContain("Set status", page);
        Assert.Equal("active", (await bot.Slack.IncidentAsync(number)).GetProperty("status").GetString());
        Assert.Equal(1, (await bot.Slack.Bot.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/incidents")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task TheRestApiKeepsItsKeysAndIsNotSentToSignIn()
    {
        using var anonymous = bot.Browser(followRedirects: false);

        var withoutKey = await anonymous.GetAsync("/api/incidents");
        var withKey = await bot.Slack.Bot.Client.GetAsync("/api/incidents");
        var health = await anonymous.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
