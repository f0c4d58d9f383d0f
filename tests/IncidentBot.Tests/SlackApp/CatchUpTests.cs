using System.Text.Json;
using IncidentBot.SlackApp;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.SlackApp;

public sealed class CatchUpTests : IAsyncLifetime
{
    private SlackTestBot slack = null!;

    public async Task InitializeAsync() => slack = await SlackTestBot.StartAsync();

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task MessagesWrittenWhileTheBotWasDownAreInTheTimelineAfterItStarts()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);
        var before = slack.Slack.AddMessage(channel.Id, SlackTestBot.Responder, "seen live");
        await slack.EventAsync(new { type = "message", channel = channel.Id, user = SlackTestBot.Responder, text = "seen live", ts = before });
        await SlackTestBot.EventuallyAsync(async () => (bool?)(await slack.TimelineAsync(number)).Any(e => e.GetProperty("text").GetString() == "seen live"));
        await slack.Bot.DisposeAsync();

        var parent = slack.Slack.AddMessage(channel.Id, SlackTestBot.Responder, "p99 is back under 300ms");
        slack.Slack.AddMessage(channel.Id, "U0BOB", "confirmed from the EU side", threadTs: parent);
        slack.Slack.AddMessage(channel.Id, "U0BOB", "late reply to the old thread", threadTs: before);
        slack = await slack.RestartAsync();

        var timeline = await SlackTestBot.EventuallyAsync(async () =>
        {
            var entries = await slack.TimelineAsync(number);
            return entries.Count(e => e.GetProperty("type").GetString() == "message") >= 4 ? entries : null;
        });
        var texts = timeline.Where(e => e.GetProperty("type").GetString() == "message").Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Equal(["seen live", "p99 is back under 300ms", "confirmed from the EU side", "late reply to the old thread"], texts);
        var reply = timeline.Single(e => e.GetProperty("text").GetString() == "confirmed from the EU side");
        Assert.Equal(parent, reply.GetProperty("slack").GetProperty("threadTs").GetString());
    }

    [Fact]
    public async Task CatchingUpTwiceStoresNothingTwice()
    {
        var number = await slack.DeclareAsync();
        var channel = await slack.ChannelOfAsync(number);
        slack.Slack.AddMessage(channel.Id, SlackTestBot.Responder, "one");
        slack.Slack.AddMessage(channel.Id, SlackTestBot.Responder, "two");
        var catchUp = slack.Bot.App.Services.GetRequiredService<ChannelCatchUp>();

        var first = await catchUp.CatchUpAllAsync();
        var second = await catchUp.CatchUpAllAsync();

        Assert.Equal(2, first);
        Assert.Equal(0, second);
        var messages = (await slack.TimelineAsync(number)).Where(e => e.GetProperty("type").GetString() == "message").ToList();
        Assert.Equal(2, messages.Count);
    }
}
