using System.Net.WebSockets;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>Connecting, reconnecting and replacing connections, against FakeSlack's WebSocket end.</summary>
public sealed class SocketModeConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("refresh_requested")]
    [InlineData("warning")]
    public async Task ADisconnectOpensTheNewConnectionBeforeClosingTheOldAndLosesOrRepeatsNoEvent(string reason)
    {
        await using var host = await SocketModeTestHost.StartAsync();
        var old = await host.SocketMode.WaitForConnectionAsync(0);
        await old.WaitForAckAsync(await old.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvBefore", "before")));
        host.SocketMode.SendHelloOnConnect = false;

        await old.SendDisconnectAsync(reason);

        var replacement = await host.SocketMode.WaitForConnectionAsync(1);
        // Until the replacement has said hello, the old socket stays open, delivers and acknowledges.
        var onOld = await old.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvDuring", "during"));
        var onNew = await replacement.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvDuring", "during"));
        await old.WaitForAckAsync(onOld);
        await replacement.WaitForAckAsync(onNew);
        Assert.True(old.IsOpen);
        await replacement.SendHelloAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await old.Closed.WaitAsync(Patience));
        await replacement.WaitForAckAsync(await replacement.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvAfter", "after")));
        await host.SendMarkerEventAsync(replacement);
        Assert.Equal([1, 1, 1], new[] { "before", "during", "after" }.Select(text => host.MessagesWithText(text).Count));
        Assert.Equal(2, host.Slack.CallsTo("apps.connections.open").Count);
        Assert.Same(replacement, Assert.Single(host.SocketMode.OpenConnections));
    }

    [Fact]
    public async Task TheLogSaysConnectingFirstAndConnectedOnlyOnceSlackSaidHello()
    {
        await using var host = await SocketModeTestHost.StartAsync(beforeStart: slack => slack.SocketMode.SendHelloOnConnect = false);
        var socket = await host.SocketMode.WaitForConnectionAsync(0);
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains("connected", StringComparison.Ordinal));

        await socket.SendHelloAsync();

        var connected = await host.Logs.WaitForAsync(entry => entry.Message.Contains(": connected, hello from", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, connected.Level);
        var shown = host.Logs.AtLeast(LogLevel.Information);
        Assert.StartsWith("Socket Mode: connecting to Slack", shown.First(entry => entry.Message.StartsWith("Socket Mode", StringComparison.Ordinal)).Message);
    }

    [Fact]
    public async Task ADroppedSocketIsReconnectedWithAFreshUrlAndNoEventIsHandledTwice()
    {
        await using var host = await SocketModeTestHost.StartAsync();
        var first = await host.SocketMode.WaitForConnectionAsync(0);
        await first.WaitForAckAsync(await first.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvOne", "one")));

        first.Abort();

        var second = await host.SocketMode.WaitForConnectionAsync(1);
        // Slack redelivers what it is unsure about; the inbox has seen it already.
        var redelivered = await second.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvOne", "one"), retryAttempt: 1);
        var fresh = await second.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvTwo", "two"));
        await second.WaitForAckAsync(redelivered);
        await second.WaitForAckAsync(fresh);
        await host.SendMarkerEventAsync(second);
        Assert.Equal((1, 1), (host.MessagesWithText("one").Count, host.MessagesWithText("two").Count));
        Assert.NotEqual(first.Ticket, second.Ticket);
        Assert.Equal(2, host.Slack.CallsTo("apps.connections.open").Count);
        Assert.Single(host.Logs.Entries, entry => entry.Message.Contains("reconnecting at once", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains("reconnecting in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARefusedUpgradeIsRetriedWithAFreshUrlAndNoLogLineShowsTheTicketOrTheToken()
    {
        await using var host = await SocketModeTestHost.StartAsync(beforeStart: slack => slack.SocketMode.RefuseNextConnections(1));

        var socket = await host.SocketMode.WaitForConnectionAsync(0);
        socket.Abort();
        await host.SocketMode.WaitForConnectionAsync(1);

        Assert.Equal(1, host.SocketMode.RefusedConnections);
        Assert.Equal(3, host.SocketMode.IssuedUrls.Distinct().Count());
        Assert.Contains(host.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("503", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, entry =>
            entry.FullText.Contains("secret-ticket", StringComparison.Ordinal) || entry.FullText.Contains(host.Slack.AppToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFirstDropReconnectsAtOnceAndQuickRepeatsWaitLongerEachTimeUntilAConnectionLasts()
    {
        var time = new FakeClock();
        await using var host = await SocketModeTestHost.StartAsync(
            options => options.SocketModeReconnectDelay = TimeSpan.FromSeconds(10), time);
        var first = await OpenConnectionAsync(host, 0);

        // The clock does not move: the first reconnect waits for nothing.
        first.Abort();
        var second = await OpenConnectionAsync(host, 1);

        // Dropped again at once, then one failed attempt: each wait about doubles.
        host.Slack.ErrorNext("apps.connections.open", "internal_error");
        second.Abort();
        var afterSecondDrop = await NextReconnectDelayAsync(host, time, 1);
        Assert.InRange(afterSecondDrop, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.Equal(2, host.Slack.CallsTo("apps.connections.open").Count);
        time.Advance(afterSecondDrop);
        var afterFailure = await NextReconnectDelayAsync(host, time, 2);
        Assert.InRange(afterFailure, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        time.Advance(afterFailure);
        var third = await OpenConnectionAsync(host, 2);

        // Dropped soon after that: longer still.
        third.Abort();
        var afterThirdDrop = await NextReconnectDelayAsync(host, time, 3);
        Assert.InRange(afterThirdDrop, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40));
        time.Advance(afterThirdDrop);
        var fourth = await OpenConnectionAsync(host, 3);

        // A connection that lasted is healthy: its drop is reconnected at once again.
        time.Advance(SocketModeLink.StableAfter);
        fourth.Abort();
        await OpenConnectionAsync(host, 4);
        Assert.Equal(6, host.Slack.CallsTo("apps.connections.open").Count);
        Assert.Equal(2, host.Logs.Entries.Count(entry => entry.Message.Contains("reconnecting at once", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AConnectionOnWhichSlackNeverSaysHelloIsGivenUpAndReplaced()
    {
        var time = new FakeClock();
        await using var host = await SocketModeTestHost.StartAsync(time: time, beforeStart: slack => slack.SocketMode.SendHelloOnConnect = false);
        var silent = await host.SocketMode.WaitForConnectionAsync(0);
        await time.WaitForTimerAsync();
        host.SocketMode.SendHelloOnConnect = true;

        time.Advance(SocketModeConnector.ConnectTimeout);

        Assert.Null(await silent.Closed.WaitAsync(Patience));
        time.Advance(await NextReconnectDelayAsync(host, time, 1));
        var greeted = await host.SocketMode.WaitForConnectionAsync(1);
        await host.SendMarkerEventAsync(greeted);
        Assert.Contains(host.Logs.Entries, entry => entry.Message.Contains("No hello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TooManyWebsocketsClosesTheConnectionFirstAndReconnectsAfterABackoff()
    {
        var time = new FakeClock();
        await using var host = await SocketModeTestHost.StartAsync(time: time);
        var first = await OpenConnectionAsync(host, 0);

        await first.SendAsync(Fixture.Read("socket_disconnect_too_many_websockets.json"));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.Closed.WaitAsync(Patience));
        var delay = await NextReconnectDelayAsync(host, time, 1);
        Assert.Single(host.Slack.CallsTo("apps.connections.open"));
        time.Advance(delay);
        await host.SendMarkerEventAsync(await host.SocketMode.WaitForConnectionAsync(1));
    }

    [Fact]
    public async Task LinkDisabledClosesEveryConnectionAndStopsSocketModeForGood()
    {
        var time = new FakeClock();
        await using var host = await SocketModeTestHost.StartAsync(options => options.SocketModeConnections = 2, time);
        var one = await OpenConnectionAsync(host, 0);
        var other = await OpenConnectionAsync(host, 1);

        await one.SendDisconnectAsync("link_disabled");

        await host.SocketModeTask.WaitAsync(Patience);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await one.Closed.WaitAsync(Patience));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await other.Closed.WaitAsync(Patience));
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Message.Contains("reconnecting", StringComparison.Ordinal));
        Assert.Equal(2, host.Slack.CallsTo("apps.connections.open").Count);
        Assert.Contains(host.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("link_disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAppTokenSlackRefusesStopsSocketModeWithoutRetrying()
    {
        const string wrongToken = "xapp-1-not-the-right-one";
        await using var host = await SocketModeTestHost.StartAsync(options => options.AppToken = wrongToken);

        await host.SocketModeTask.WaitAsync(Patience);

        Assert.Single(host.Slack.CallsTo("apps.connections.open"));
        Assert.Empty(host.SocketMode.Connections);
        Assert.Contains(host.Logs.Entries, entry => entry.Level == LogLevel.Critical && entry.Message.Contains("invalid_auth", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.FullText.Contains(wrongToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAnAppTokenSocketModeStaysOff()
    {
        await using var host = await SocketModeTestHost.StartAsync(options =>
        {
            options.AppToken = "";
            options.SigningSecret = "http-mode";
        });

        await host.SocketModeTask.WaitAsync(Patience);

        Assert.Empty(host.Slack.CallsTo("apps.connections.open"));
        Assert.Empty(host.SocketMode.Connections);
    }

    [Fact]
    public async Task TwoConnectionsAreKeptByDefaultAndAnEventDeliveredOnBothIsHandledOnce()
    {
        await using var host = await SocketModeTestHost.StartAsync(options => options.SocketModeConnections = new SlackOptions().SocketModeConnections);
        var one = await host.SocketMode.WaitForConnectionAsync(0);
        var other = await host.SocketMode.WaitForConnectionAsync(1);

        var onOne = await one.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvBoth", "both"));
        var onOther = await other.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvBoth", "both"));
        await one.WaitForAckAsync(onOne);
        await other.WaitForAckAsync(onOther);

        await host.SendMarkerEventAsync(other);
        Assert.Single(host.MessagesWithText("both"));
        Assert.Equal(2, host.SocketMode.OpenConnections.Count);
        Assert.NotEqual(one.Ticket, other.Ticket);
        Assert.False(one.DebugReconnects);
    }

    [Fact]
    public async Task DebugReconnectsIsAskedForWhenConfigured()
    {
        await using var host = await SocketModeTestHost.StartAsync(options => options.SocketModeDebugReconnects = true);

        var socket = await host.SocketMode.WaitForConnectionAsync();

        Assert.True(socket.DebugReconnects);
    }

    [Fact]
    public async Task SlacksPingsAreAnsweredSoTheConnectionStaysUp()
    {
        await using var host = await SocketModeTestHost.StartAsync();
        var socket = await host.SocketMode.WaitForConnectionAsync();

        // Each ping returns only once the client's pong has come back: fifteen round trips, no time waited.
        for (var ping = 0; ping < 15; ping++)
        {
            await socket.PingAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.True(socket.IsOpen);
        await host.SendMarkerEventAsync(socket);
        Assert.Single(host.SocketMode.Connections);
    }

    [Fact]
    public async Task AMessageOverTheSizeCapIsIgnoredAndTheConnectionStaysUp()
    {
        await using var host = await SocketModeTestHost.StartAsync(options => options.MaxRequestBodyBytes = 4096);
        var socket = await host.SocketMode.WaitForConnectionAsync();

        var huge = await socket.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvHuge", new string('x', 10_000)), frames: 3);

        await host.SendMarkerEventAsync(socket);
        Assert.DoesNotContain(socket.Received, message => message.GetProperty("envelope_id").GetString() == huge);
        Assert.Single(host.Handled.Entries);
        Assert.Contains(host.Logs.Entries, entry => entry.Message.Contains("larger than 4096 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEventTheInboxCannotKeepIsNotAcknowledgedSoSlackDeliversItAgain()
    {
        await using var host = await SocketModeTestHost.StartAsync(handlers: slack =>
            slack.Services.AddSingleton<FillableInbox>().AddSingleton<ISlackInboxStore>(sp => sp.GetRequiredService<FillableInbox>()));
        var queue = host.Services.GetRequiredService<FillableInbox>();
        var socket = await host.SocketMode.WaitForConnectionAsync();
        queue.IsFull = true;

        var refused = await socket.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvFull", "full"));
        await host.Logs.WaitForAsync(entry => entry.Message.Contains("could not keep event", StringComparison.Ordinal));
        queue.IsFull = false;
        var redelivered = await socket.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvFull", "full"), retryAttempt: 1);

        await socket.WaitForAckAsync(redelivered);
        await host.SendMarkerEventAsync(socket);
        Assert.DoesNotContain(socket.Received, message => message.GetProperty("envelope_id").GetString() == refused);
        Assert.Equal(1, Assert.Single(host.MessagesWithText("full")).Context!.RetryNum);
    }

    [Fact]
    public async Task ShutdownClosesTheConnectionWithACloseHandshake()
    {
        await using var host = await SocketModeTestHost.StartAsync();
        var socket = await OpenConnectionAsync(host, 0);

        await host.StopHostAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await socket.Closed.WaitAsync(Patience));
    }

    /// <summary>The socket accepted as <paramref name="index"/>, once the client has taken it as open (hello seen).</summary>
    private static async Task<FakeSocket> OpenConnectionAsync(SocketModeTestHost host, int index)
    {
        var socket = await host.SocketMode.WaitForConnectionAsync(index);
        await host.Logs.WaitForAsync(_ => host.Logs.Entries.Count(entry => entry.Message.EndsWith(" is open", StringComparison.Ordinal)) > index);
        return socket;
    }

    /// <summary>The wait before the <paramref name="nth"/> reconnect attempt, once it is on the clock.</summary>
    private static async Task<TimeSpan> NextReconnectDelayAsync(SocketModeTestHost host, FakeClock time, int nth)
    {
        await host.Logs.WaitForAsync(_ => host.Logs.Entries.Count(entry => entry.Message.Contains("reconnecting in", StringComparison.Ordinal)) >= nth);
        await time.WaitForTimerAsync();
        return time.NextTimerDueIn!.Value;
    }
}
