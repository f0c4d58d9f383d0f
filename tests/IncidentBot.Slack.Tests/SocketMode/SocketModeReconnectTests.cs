using System.Net.WebSockets;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.AspNetCore;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>
/// With both default connections (and, as everywhere, the rate budget on), a refresh or a drop is followed by a new
/// connection that said hello before the fake clock moved at all (the target is 5 s), and every
/// envelope sent around it is acknowledged and handled once.
/// </summary>
public sealed class SocketModeReconnectTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeClock time = new();

    [Fact]
    public async Task AfterRefreshRequestedOnBothConnectionsEachIsReplacedAtOnceAndNoEnvelopeIsLost()
    {
        await using var host = await StartAsync();
        var (one, other) = (await OpenAsync(host, 0), await OpenAsync(host, 1));
        await AckedAsync(one, "EvBefore", "before");

        await one.SendDisconnectAsync("refresh_requested");
        await other.SendDisconnectAsync("refresh_requested");
        var during = AckedAsync(one, "EvDuring", "during");
        var replacements = new[] { await OpenAsync(host, 2), await OpenAsync(host, 3) };

        await during;
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await one.Closed.WaitAsync(Patience));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await other.Closed.WaitAsync(Patience));
        await AckedAsync(replacements[0], "EvAfter", "after");
        await AnsweredAsync(replacements[1]);
        await host.SendMarkerEventAsync(replacements[1]);
        Assert.Equal([1, 1, 1], new[] { "before", "during", "after" }.Select(text => host.MessagesWithText(text).Count));
        Assert.Equal(4, host.Slack.CallsTo("apps.connections.open").Count);
        Assert.Equal(time.Start, time.GetUtcNow());
    }

    [Fact]
    public async Task AfterBothSocketsDropANewConnectionSaysHelloAtOnceAndRedeliveriesAreHandledOnce()
    {
        await using var host = await StartAsync();
        var (one, other) = (await OpenAsync(host, 0), await OpenAsync(host, 1));
        await AckedAsync(one, "EvBefore", "before");
        // Sent just before the drop: its ack may or may not have made it, so Slack sends it again.
        await other.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvAtDrop", "at drop"));

        one.Abort();
        other.Abort();
        var (first, second) = (await OpenAsync(host, 2), await OpenAsync(host, 3));

        await AckedAsync(first, "EvAtDrop", "at drop", retryAttempt: 1);
        await AckedAsync(second, "EvBefore", "before", retryAttempt: 1);
        await AckedAsync(second, "EvAfter", "after");
        await AnsweredAsync(first);
        await host.SendMarkerEventAsync(second);
        Assert.Equal([1, 1, 1], new[] { "before", "at drop", "after" }.Select(text => host.MessagesWithText(text).Count));
        Assert.Equal(4, host.Slack.CallsTo("apps.connections.open").Count);
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains("reconnecting in", StringComparison.Ordinal));
        Assert.Equal(time.Start, time.GetUtcNow());
    }

    [Fact]
    public async Task ConnectionsOpenAnswered429WaitsForRetryAfterOnTheClock()
    {
        await using var host = await StartAsync();
        var one = await OpenAsync(host, 0);
        await OpenAsync(host, 1);
        host.Slack.RateLimitNext("apps.connections.open", times: 1, retryAfterSeconds: 3);

        one.Abort();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(3, host.Slack.CallsTo("apps.connections.open").Count);
        time.Advance(TimeSpan.FromSeconds(3));

        await AnsweredAsync(await OpenAsync(host, 2));
        Assert.Equal(4, host.Slack.CallsTo("apps.connections.open").Count);
    }

    private Task<SocketModeTestHost> StartAsync() => SocketModeTestHost.StartAsync(
        options =>
        {
            options.SocketModeConnections = new SlackOptions().SocketModeConnections;
            options.SocketModeReconnectDelay = new SlackOptions().SocketModeReconnectDelay;
        },
        time);

    /// <summary>The socket accepted as <paramref name="index"/>, once the client has seen its hello.</summary>
    private static async Task<FakeSocket> OpenAsync(SocketModeTestHost host, int index)
    {
        var socket = await host.SocketMode.WaitForConnectionAsync(index);
        await host.Logs.WaitForAsync(_ => host.Logs.Entries.Count(entry => entry.Message.EndsWith(" is open", StringComparison.Ordinal)) > index);
        return socket;
    }

    private static async Task AckedAsync(FakeSocket socket, string eventId, string text, int retryAttempt = 0) =>
        await socket.WaitForAckAsync(await socket.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson(eventId, text), retryAttempt: retryAttempt));

    /// <summary>A slash command on <paramref name="socket"/> is answered in its ack: the user sees no failure.</summary>
    private static async Task AnsweredAsync(FakeSocket socket)
    {
        var command = new JsonObject
        {
            ["command"] = EchoCommand.Name,
            ["text"] = "still here",
            ["user_id"] = "U1",
            ["channel_id"] = "C1",
            ["team_id"] = "T1",
            ["response_url"] = "http://127.0.0.1:1/unused",
        };
        var ack = await socket.WaitForAckAsync(await socket.SendEnvelopeAsync("slash_commands", command.ToJsonString(), acceptsResponsePayload: true));
        Assert.Equal("echo: still here", ack.GetProperty("payload").GetProperty("text").GetString());
    }
}
