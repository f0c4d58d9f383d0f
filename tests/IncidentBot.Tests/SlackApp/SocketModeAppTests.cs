using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.SlackApp;

/// <summary>The whole bot over Socket Mode: the same handlers as HTTP mode, no public URL.</summary>
public sealed class SocketModeAppTests : IAsyncLifetime
{
    private SlackTestBot slack = null!;

    public async Task InitializeAsync() => slack = await SlackTestBot.StartAsync(socketMode: true);

    public async Task DisposeAsync() => await slack.DisposeAsync();

    [Fact]
    public async Task ASlashCommandOverTheSocketDeclaresAndIsAnsweredInTheAck()
    {
        var socket = await slack.Slack.SocketMode.WaitForConnectionAsync();

        var envelope = await socket.SendEnvelopeAsync("slash_commands", Command("declare Socket outage sev1"), acceptsResponsePayload: true);

        var ack = await socket.WaitForAckAsync(envelope);
        Assert.Contains("INC-1", ack.GetProperty("payload").GetProperty("text").GetString());
        var channel = await slack.ChannelOfAsync(1);
        Assert.Equal("incident-1-socket-outage", channel.Name);
    }

    [Fact]
    public async Task EventsOverTheSocketReachTheTimeline()
    {
        var socket = await slack.Slack.SocketMode.WaitForConnectionAsync();
        var number = await DeclareOverSocketAsync(socket);
        var channel = await slack.ChannelOfAsync(number);

        var envelope = await socket.SendEnvelopeAsync("events_api", Event(channel.Id, "1700000001.000100", "checking the load balancer", "EvSock1"));

        await socket.WaitForAckAsync(envelope);
        await SlackTestBot.EventuallyAsync(async () =>
            (bool?)(await slack.TimelineAsync(number)).Any(e => e.GetProperty("text").GetString() == "checking the load balancer"));
    }

    [Fact]
    public async Task MessagesPostedWhileTheConnectionWasDownAreReadBackAfterItReconnects()
    {
        var socket = await slack.Slack.SocketMode.WaitForConnectionAsync();
        var number = await DeclareOverSocketAsync(socket);
        var channel = await slack.ChannelOfAsync(number);
        await slack.Slack.WaitForCallAsync("pins.add");

        socket.Abort();
        slack.Slack.AddMessage(channel.Id, SlackTestBot.Responder, "said while the bot was disconnected");
        await slack.Slack.SocketMode.WaitForConnectionAsync(index: 1);

        await SlackTestBot.EventuallyAsync(async () =>
            (bool?)(await slack.TimelineAsync(number)).Any(e => e.GetProperty("text").GetString() == "said while the bot was disconnected"));
    }

    [Fact]
    public async Task AfterARefreshAndAfterADropASlashCommandOnTheNewConnectionIsAnswered()
    {
        var first = await slack.Slack.SocketMode.WaitForConnectionAsync();
        await first.SendDisconnectAsync("refresh_requested");
        var refreshed = await slack.Slack.SocketMode.WaitForConnectionAsync(index: 1);
        await first.Closed.WaitAsync(TimeSpan.FromSeconds(10));

        var declared = await AnswerAsync(refreshed, "declare Socket outage sev1");
        refreshed.Abort();
        var reconnected = await slack.Slack.SocketMode.WaitForConnectionAsync(index: 2);
        var listed = await AnswerAsync(reconnected, "list");

        Assert.Contains("INC-1", declared);
        Assert.Contains("INC-1", listed);
        Assert.Equal(3, slack.Slack.CallsTo("apps.connections.open").Count);

        async Task<string?> AnswerAsync(IncidentBot.Testing.FakeSocket socket, string text)
        {
            var envelope = await socket.SendEnvelopeAsync("slash_commands", Command(text), acceptsResponsePayload: true);
            return (await socket.WaitForAckAsync(envelope)).GetProperty("payload").GetProperty("text").GetString();
        }
    }

    private async Task<long> DeclareOverSocketAsync(IncidentBot.Testing.FakeSocket socket)
    {
        var envelope = await socket.SendEnvelopeAsync("slash_commands", Command("declare Socket outage sev1"), acceptsResponsePayload: true);
        await socket.WaitForAckAsync(envelope);
        return 1;
    }

    private string Command(string text) => new JsonObject
    {
        ["command"] = "/incident",
        ["text"] = text,
        ["user_id"] = SlackTestBot.Responder,
        ["user_name"] = "alice",
        ["channel_id"] = slack.Ops.Id,
        ["team_id"] = slack.Slack.TeamId,
        ["trigger_id"] = "1.2.3",
        ["response_url"] = slack.Slack.ResponseUrl(),
    }.ToJsonString();

    private string Event(string channel, string ts, string text, string eventId) => new JsonObject
    {
        ["team_id"] = slack.Slack.TeamId,
        ["api_app_id"] = "A0BOT",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1700000001,
        ["event"] = JsonSerializer.SerializeToNode(new { type = "message", channel, user = SlackTestBot.Responder, text, ts }),
    }.ToJsonString();
}
