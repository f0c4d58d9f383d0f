using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.SlackApp;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.SlackApp;

public sealed class AssistantInSlackTests : IAsyncLifetime
{
    private SlackTestBot slack = null!;

    public async Task InitializeAsync() => slack = await SlackTestBot.StartAsync();

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task TheSummaryCommandAnswersPrivatelyWithTheStateAndSaysWhichEngine()
    {
        var (number, channel) = await IncidentWithConversationAsync(12);

        var response = await slack.CommandAsync("summary", channel);

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ephemeral", answer.GetProperty("response_type").GetString());
        var text = answer.GetProperty("text").GetString()!;
        Assert.Contains($"INC-{number}", text);
        Assert.Contains("deterministic", text);
    }

    [Fact]
    public async Task AMentionedSummaryRequestIsAnsweredInTheThread()
    {
        var (number, channel) = await IncidentWithConversationAsync(3);

        await slack.EventAsync(new { type = "app_mention", channel, user = SlackTestBot.Responder, text = $"<@{slack.Slack.BotUserId}> give me a summary of this incident", ts = "1700000100.000100" });

        var answer = await slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("thread_ts") == "1700000100.000100");
        Assert.Contains($"INC-{number}", answer.Arg("text"));
    }

    [Fact]
    public async Task APostmortemOfAnActiveIncidentIsRefusedPrivatelyWithTheReason()
    {
        var (_, channel) = await IncidentWithConversationAsync(3);

        var response = await slack.CommandAsync("postmortem", channel);

        Assert.Contains("once the incident is resolved", await SlackTestBot.TextOfAsync(response));
        Assert.DoesNotContain(slack.Slack.CallsTo("chat.update"), c => c.Arg("text")?.Contains("ostmortem") == true);
    }

    [Fact]
    public async Task APostmortemIsShownUnderWayThenReplacedByTheDraft()
    {
        var (number, channel) = await IncidentWithConversationAsync(16);
        await slack.Bot.Client.PatchAsJsonAsync($"/api/incidents/{number}", new { status = "resolved", resolutionSummary = "rolled back v2.3.1" });

        var response = await slack.CommandAsync("postmortem", channel);

        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var underWay = await slack.Slack.WaitForCallAsync("chat.postMessage", c => c.Arg("text")?.Contains("writing it now") == true);
        var done = await slack.Slack.WaitForCallAsync("chat.update", c => c.Arg("text")?.Contains("Root cause") == true);
        Assert.Equal(channel, underWay.Arg("channel"));
        Assert.Equal(channel, done.Arg("channel"));
        Assert.Contains("draft", done.Arg("text"), StringComparison.OrdinalIgnoreCase);
        await SlackTestBot.EventuallyAsync(async () =>
            (bool?)(await slack.TimelineAsync(number)).Any(e => e.GetProperty("type").GetString() == "postmortem_drafted"));
    }

    [Fact]
    public async Task SomeoneJoiningABusyChannelGetsASummaryOnlyTheySee()
    {
        var (number, channel) = await IncidentWithConversationAsync(JoinerSummary.MinMessages);

        await slack.EventAsync(new { type = "member_joined_channel", user = "U0NEWBIE", channel, channel_type = "C" });

        var welcome = await slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.Arg("user") == "U0NEWBIE");
        Assert.Equal(channel, welcome.Arg("channel"));
        Assert.Contains($"INC-{number}", welcome.Arg("text"));
    }

    [Fact]
    public async Task SomeoneJoiningAQuietChannelGetsNothing()
    {
        var (_, channel) = await IncidentWithConversationAsync(JoinerSummary.MinMessages - 1);

        await slack.EventAsync(new { type = "member_joined_channel", user = "U0NEWBIE", channel, channel_type = "C" });
        await slack.EventAsync(new { type = "message", channel, user = SlackTestBot.Responder, text = "marker", ts = "1700000999.000100" });
        await SlackTestBot.EventuallyAsync(async () =>
            (bool?)(await slack.TimelineAsync(1)).Any(e => e.GetProperty("text").GetString() == "marker"));

        Assert.DoesNotContain(slack.Slack.CallsTo("chat.postEphemeral"), c => c.Arg("user") == "U0NEWBIE");
    }

    /// <summary>An incident whose channel holds <paramref name="messages"/> messages in its timeline.</summary>
    private async Task<(long Number, string Channel)> IncidentWithConversationAsync(int messages)
    {
        var number = await slack.DeclareAsync("Checkout API errors sev2 services: checkout-api");
        var channel = (await slack.ChannelOfAsync(number)).Id;
        string[] lines =
        [
            "error rate on checkout-api at 40%", "is it the v2.3.1 deploy?", "rolling back v2.3.1 now", "rollback done, watching",
            "error rate dropping", "still seeing timeouts from payments", "checking the payments dashboards", "payments latency normal",
            "error rate at baseline", "customer tickets slowing down", "root cause: missing null check in the cart handler",
            "fix in v2.3.2 deployed", "monitoring for 30 minutes", "all green", "closing soon", "thanks everyone",
        ];
        for (var i = 0; i < messages; i++)
        {
            await slack.EventAsync(new { type = "message", channel, user = SlackTestBot.Responder, text = lines[i % lines.Length], ts = $"17000000{i + 10:D2}.000100" });
        }

        await SlackTestBot.EventuallyAsync(async () =>
            (bool?)((await slack.TimelineAsync(number)).Count(e => e.GetProperty("type").GetString() == "message") >= messages));
        return (number, channel);
    }
}
