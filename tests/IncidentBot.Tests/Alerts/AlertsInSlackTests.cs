using System.Net.Http.Json;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Alerts;

public sealed class AlertsInSlackTests : IAsyncLifetime
{
    private SlackTestBot slack = null!;

    public async Task InitializeAsync() => slack = await SlackTestBot.StartAsync(extraSettings: AlertTestBot.AllSourcesOn());

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task AnAlertThatDeclaresOpensTheChannelAndAnnouncesIt()
    {
        var body = AlertPayloads.PagerDutyIncidentEvent("incident.triggered", createdAt: DateTimeOffset.UtcNow.AddMinutes(-3).ToString("O"));
        await TestBot.ReadSuccessAsync(await slack.SendAsync(AlertPayloads.PagerDutyRequest(body, AlertPayloads.Sign(body, AlertPayloads.PagerDutySecret))));

        var channel = await slack.ChannelOfAsync(1);
        await slack.WaitUntilSlackIsToldAsync(1);
        Assert.StartsWith("incident-1-checkout-api-returning-500-errors", channel.Name);
        Assert.Contains("SEV-1", channel.Topic);
        var card = Assert.Single(channel.Messages, m => channel.Pins.Contains(m.Ts));
        Assert.Contains("1 of 1 firing", card.Blocks.ToString());
        Assert.Contains(slack.Announcements.Messages, m => m.Text!.Contains("declared *INC-1: Checkout API returning 500 errors*", StringComparison.Ordinal));
        Assert.Contains(channel.Messages, m => m.Text!.Contains("Linked alert (firing): Checkout API returning 500 errors", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenEveryLinkedAlertHasResolvedTheChannelIsToldAndTheIncidentStaysOpen()
    {
        var firing = AlertPayloads.AlertmanagerNotification("firing", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors"));
        var resolved = AlertPayloads.AlertmanagerNotification("resolved", AlertPayloads.AlertmanagerAlert("fp-1", "CheckoutErrors", status: "resolved"));
        await TestBot.ReadSuccessAsync(await slack.Bot.Client.PostAsync("/api/alerts/alertmanager", AlertTestBot.Json(firing)));
        var channel = await slack.ChannelOfAsync(1);
        await TestBot.ReadSuccessAsync(await slack.Bot.Client.PostAsync("/api/alerts/alertmanager", AlertTestBot.Json(resolved)));

        await slack.WaitUntilSlackIsToldAsync(1);
        Assert.Contains(channel.Messages, m => m.Text!.Contains("The linked alert has resolved.", StringComparison.Ordinal)
            && m.Text.Contains("*Resolve*", StringComparison.Ordinal));
        var card = Assert.Single(channel.Messages, m => channel.Pins.Contains(m.Ts));
        Assert.Contains("all 1 resolved", card.Blocks.ToString());
        Assert.Equal("primary", CardButton(card, "Resolve")?["style"]?.GetValue<string>());
        Assert.Null(CardButton(card, "Mark stable")?["style"]);
        Assert.Equal("active", (await slack.IncidentAsync(1)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ImpactStartIsSetWithTheSlashCommandInTheIncidentChannel()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);

        var answer = await slack.CommandAsync("impact-start 20 min ago", channel.Id);
        var wrong = await slack.CommandAsync("impact-start soonish", channel.Id);

        Assert.True(answer.IsSuccessStatusCode);
        var impact = (await slack.IncidentAsync(number)).GetProperty("impactStartedAt").GetDateTimeOffset();
        Assert.InRange(DateTimeOffset.UtcNow - impact, TimeSpan.FromMinutes(19), TimeSpan.FromMinutes(21));
        Assert.Contains("is not a time", await SlackTestBot.TextOfAsync(wrong));
        await slack.WaitUntilSlackIsToldAsync(number);
        Assert.Contains(channel.Messages, m => m.Text!.Contains("Impact start:", StringComparison.Ordinal));
    }

    private static System.Text.Json.Nodes.JsonNode? CardButton(IncidentBot.Testing.FakeMessage card, string label) =>
        System.Text.Json.Nodes.JsonNode.Parse(card.Blocks!.Value.GetRawText())!.AsArray()
            .SelectMany(block => block?["elements"]?.AsArray() ?? [])
            .FirstOrDefault(element => element?["type"]?.GetValue<string>() == "button" && element["text"]?["text"]?.GetValue<string>() == label);
}
