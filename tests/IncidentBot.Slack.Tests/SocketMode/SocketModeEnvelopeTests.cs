using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Models;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>Each kind of envelope, over a real WebSocket from FakeSlack, to the same handlers as HTTP mode.</summary>
public sealed class SocketModeEnvelopeTests : IAsyncLifetime
{
    private SocketModeTestHost host = null!;
    private FakeSocket socket = null!;

    public async Task InitializeAsync()
    {
        host = await SocketModeTestHost.StartAsync();
        socket = await host.SocketMode.WaitForConnectionAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task AnEventsApiEnvelopeReachesItsHandlerOnceAndIsAcknowledgedByEnvelopeId()
    {
        await socket.SendAsync(Fixture.Read("socket_envelope_events_api.json"));

        var ack = await socket.WaitForAckAsync("cda4159a-72a5-4744-aba3-4d66eb52682b");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture.Read("socket_ack_plain.json")), JsonNode.Parse(ack.GetRawText())));
        var handled = await host.Handled.WaitForAsync(entry => entry.Kind == "mention");
        Assert.Equal(("Ev111", "T111", 0), (handled.Context!.EventId, handled.Context.TeamId, handled.Context.RetryNum));
        Assert.Equal("C111", ((AppMention)handled.Payload).Channel);
        await host.SendMarkerEventAsync(socket);
        Assert.Single(host.Handled.Entries, entry => entry.Kind == "mention");
        Assert.Equal($"Bearer {host.Slack.AppToken}", Assert.Single(host.Slack.CallsTo("apps.connections.open")).Authorization);
    }

    [Fact]
    public async Task ARedeliveredEventIsAcknowledgedAgainButHandledOnceAndCarriesItsRetryAttempt()
    {
        var json = SocketModeTestHost.EventJson("EvRetried", "retried");

        var first = await socket.SendEnvelopeAsync("events_api", json, retryAttempt: 2);
        var again = await socket.SendEnvelopeAsync("events_api", json, retryAttempt: 3);

        await socket.WaitForAckAsync(first);
        await socket.WaitForAckAsync(again);
        await host.SendMarkerEventAsync(socket);
        var handled = Assert.Single(host.MessagesWithText("retried"));
        Assert.Equal("timeout", handled.Context!.RetryReason);
        Assert.True(handled.Context.RetryNum is 2 or 3);
    }

    [Fact]
    public async Task ASlashCommandEnvelopeIsAcknowledgedWithTheHandlersResponse()
    {
        var json = SocketModeTestHost.EditedFixture("socket_envelope_slash_commands.json", envelope =>
        {
            envelope["payload"]!["command"] = "/echo";
            envelope["payload"]!["text"] = "declare API down";
        });

        await socket.SendAsync(json);

        var ack = await socket.WaitForAckAsync("1d3c79ab-0ffb-41f3-a080-d19e85f53649");
        var documented = JsonDocument.Parse(Fixture.Read("socket_ack_slash_command_with_payload.json")).RootElement;
        Assert.Equal(Names(documented), Names(ack));
        Assert.Equal(Names(documented.GetProperty("payload")), Names(ack.GetProperty("payload")));
        Assert.Equal("ephemeral", ack.GetProperty("payload").GetProperty("response_type").GetString());
        Assert.Equal("echo: declare API down", ack.GetProperty("payload").GetProperty("text").GetString());
        var command = (SlashCommand)Assert.Single(host.Handled.Entries, entry => entry.Kind == "command").Payload;
        Assert.Equal(("U111", "C111", "111.222.xxx"), (command.UserId, command.ChannelId, command.TriggerId));
    }

    [Fact]
    public async Task ASlowSlashCommandIsAcknowledgedInTimeAndAnswersLaterThroughItsResponseUrl()
    {
        await using var quick = await SocketModeTestHost.StartAsync(options => options.SynchronousHandlerTimeout = TimeSpan.FromMilliseconds(100));
        var quickSocket = await quick.SocketMode.WaitForConnectionAsync();
        var json = SocketModeTestHost.EditedFixture("socket_envelope_slash_commands.json", envelope =>
        {
            envelope["payload"]!["command"] = "/slow";
            envelope["payload"]!["response_url"] = quick.Slack.ResponseUrl("slow");
        });

        await quickSocket.SendAsync(json);

        Assert.Equal(["envelope_id"], Names(await quickSocket.WaitForAckAsync("1d3c79ab-0ffb-41f3-a080-d19e85f53649")));
        quick.Handled.Release.SetResult();
        var late = await quick.Slack.WaitForCallAsync("response_url");
        Assert.Equal(("/response/slow", "done, late"), (late.Path, late.Arg("text")));
    }

    [Fact]
    public async Task ASlashCommandWithoutAHandlerIsAcknowledgedWithoutPayload()
    {
        await socket.SendAsync(Fixture.Read("socket_envelope_slash_commands.json"));

        var ack = await socket.WaitForAckAsync("1d3c79ab-0ffb-41f3-a080-d19e85f53649");
        Assert.Equal(["envelope_id"], Names(ack));
    }

    [Fact]
    public async Task ABlockActionsEnvelopeIsAcknowledgedAndRoutedByActionId()
    {
        await socket.SendAsync(Fixture.Read("socket_envelope_interactive_block_actions.json"));

        var ack = await socket.WaitForAckAsync("xxx-11-222-yyy-zzz");
        Assert.Equal(["envelope_id"], Names(ack));
        var handled = await host.Handled.WaitForAsync(entry => entry.Kind == "action");
        Assert.Equal(("a", "underlying"), (((BlockAction)handled.Payload).ActionId, ((BlockAction)handled.Payload).Value));
    }

    [Fact]
    public async Task AViewSubmissionEnvelopeIsAcknowledgedWithTheErrorsResponse()
    {
        var envelopeId = await socket.SendEnvelopeAsync("interactive", Fixture.Read("view_submission.json"), acceptsResponsePayload: true);

        var payload = (await socket.WaitForAckAsync(envelopeId)).GetProperty("payload");
        Assert.Equal(Names(JsonDocument.Parse(Fixture.Read("view_submission_errors_response.json")).RootElement), Names(payload));
        Assert.Equal("errors", payload.GetProperty("response_action").GetString());
        Assert.Equal("That title is taken", payload.GetProperty("errors").GetProperty("hspI").GetString());
    }

    [Fact]
    public async Task AViewSubmissionWhoseHandlerClosesTheModalIsAcknowledgedWithoutPayload()
    {
        var json = SocketModeTestHost.EditedFixture("view_submission.json", submission =>
            submission["view"]!["state"]!["values"]!["hspI"]!["maBWU"]!["value"] = "a fresh title");

        var envelopeId = await socket.SendEnvelopeAsync("interactive", json, acceptsResponsePayload: true);

        Assert.Equal(["envelope_id"], Names(await socket.WaitForAckAsync(envelopeId)));
    }

    [Fact]
    public async Task AMessageSpanningSeveralFramesIsReadWhole()
    {
        var longText = new string('x', 40_000);

        var envelopeId = await socket.SendEnvelopeAsync("events_api", SocketModeTestHost.EventJson("EvLong", longText), frames: 7);

        await socket.WaitForAckAsync(envelopeId);
        await host.SendMarkerEventAsync(socket);
        Assert.Single(host.MessagesWithText(longText));
    }

    [Fact]
    public async Task MalformedMessagesAreIgnoredAndTheConnectionStaysUp()
    {
        await socket.SendAsync("{not json");
        await socket.SendAsync("[1, 2, 3]");
        await socket.SendAsync("""{"type":"events_api","envelope_id":"payload-not-an-object","payload":"oops"}""");
        await socket.SendAsync("""{"type":"events_api","envelope_id":"no-event-id","payload":{"type":"event_callback","event":{"type":"message","text":"lost"}}}""");
        await socket.SendAsync("""{"type":"slash_commands","envelope_id":"no-command","payload":{"text":"x"}}""");

        // Acknowledged anyway: Slack's retry would carry the same unreadable payload.
        foreach (var envelopeId in new[] { "payload-not-an-object", "no-event-id", "no-command" })
        {
            Assert.Equal(["envelope_id"], Names(await socket.WaitForAckAsync(envelopeId)));
        }

        await host.SendMarkerEventAsync(socket);
        Assert.Equal(["marker"], host.Handled.Entries.Select(entry => ((MessageEvent)entry.Payload).Text));
        Assert.True(socket.IsOpen);
        Assert.Single(host.Slack.CallsTo("apps.connections.open"));
        Assert.True(host.Logs.Entries.Count(entry => entry.Message.Contains("malformed", StringComparison.Ordinal)) >= 5);
    }

    [Fact]
    public async Task AnEnvelopeOfAnUnknownTypeIsAcknowledgedAndIgnored()
    {
        var envelopeId = await socket.SendEnvelopeAsync("future_kind", """{"anything":true}""");

        Assert.Equal(["envelope_id"], Names(await socket.WaitForAckAsync(envelopeId)));
        await host.SendMarkerEventAsync(socket);
        Assert.Single(host.Handled.Entries);
    }

    private static List<string> Names(JsonElement json) => json.EnumerateObject().Select(property => property.Name).Order().ToList();
}
