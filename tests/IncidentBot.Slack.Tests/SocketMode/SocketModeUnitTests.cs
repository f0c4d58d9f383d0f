using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Models;
using IncidentBot.Slack.SocketMode;

namespace IncidentBot.Slack.Tests.SocketMode;

public sealed class SocketModeMessageTests
{
    [Fact]
    public void HelloIsReadFromTheOfficialFixture()
    {
        var hello = Parse("socket_hello.json");

        Assert.Equal((SocketModeMessage.HelloType, 1), (hello.Type, hello.NumConnections));
        Assert.Equal(new SocketModeDebugInfo("applink-111-222", 18060), hello.DebugInfo);
    }

    [Theory]
    [InlineData("socket_disconnect_warning.json", "warning")]
    [InlineData("socket_disconnect_too_many_websockets.json", "too_many_websockets")]
    public void DisconnectCarriesItsReason(string fixture, string reason)
    {
        var disconnect = Parse(fixture);

        Assert.Equal((SocketModeMessage.DisconnectType, reason), (disconnect.Type, disconnect.Reason));
    }

    [Fact]
    public void AnEventsApiEnvelopeKeepsItsPayloadAndRetryFields()
    {
        var envelope = Parse("socket_envelope_events_api.json");

        Assert.Equal(("events_api", "cda4159a-72a5-4744-aba3-4d66eb52682b", false, 0), (envelope.Type, envelope.EnvelopeId, envelope.AcceptsResponsePayload, envelope.RetryAttempt));
        Assert.Equal("", envelope.RetryReason);
        Assert.Equal("Ev111", envelope.Payload!.Value.GetProperty("event_id").GetString());
    }

    [Fact]
    public void ASlashCommandEnvelopeAcceptsAResponsePayload()
    {
        var envelope = Parse("socket_envelope_slash_commands.json");

        Assert.True(envelope.AcceptsResponsePayload);
        Assert.Equal("/hello-socket-mode", envelope.Payload!.Value.GetProperty("command").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"hello\"")]
    [InlineData("{\"envelope_id\":\"no-type\"}")]
    [InlineData("{\"type\":42}")]
    public void TextThatIsNotASlackMessageIsNull(string text)
    {
        Assert.Null(SocketModeMessage.Parse(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void APlainAckIsTheDocumentedJson()
    {
        var ack = new SocketModeAck("cda4159a-72a5-4744-aba3-4d66eb52682b");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture.Read("socket_ack_plain.json")), JsonNode.Parse(ack.ToUtf8())));
    }

    [Fact]
    public void AnAckWithASlashCommandAnswerIsTheDocumentedJson()
    {
        var ack = new SocketModeAck("1d3c79ab-0ffb-41f3-a080-d19e85f53649", SlashCommandResponse.Ephemeral("Incident form opening..."));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture.Read("socket_ack_slash_command_with_payload.json")), JsonNode.Parse(ack.ToUtf8())));
    }

    private static SocketModeMessage Parse(string fixture) => SocketModeMessage.Parse(Encoding.UTF8.GetBytes(Fixture.Read(fixture)))!;
}

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void EachAttemptWaitsBetweenHalfAndAllOfADoublingCeilingCappedAtTheMaximum()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(7));

        for (var round = 0; round < 50; round++)
        {
            Assert.InRange(backoff.Delay(1), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
            Assert.InRange(backoff.Delay(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
            Assert.InRange(backoff.Delay(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
            Assert.InRange(backoff.Delay(6), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
            Assert.InRange(backoff.Delay(1000), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void TheWaitsAreJitteredSoConnectionsDoNotReconnectInStep()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), new Random(7));

        Assert.True(Enumerable.Range(0, 20).Select(_ => backoff.Delay(3)).Distinct().Count() > 10);
    }

    [Fact]
    public void NoAttemptYetMeansNoWait()
    {
        Assert.Equal(TimeSpan.Zero, new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)).Delay(0));
    }
}

public sealed class LogRedactionTests
{
    [Theory]
    [InlineData("Unable to connect to wss://wss-primary.slack.com/link/?ticket=1234-abcd&app_id=A1", "Unable to connect to wss://wss-primary.slack.com/link/?ticket=…&app_id=A1")]
    [InlineData("token xapp-1-A111-222-abcdef was refused", "token xapp-… was refused")]
    [InlineData("The server returned status code '503' when status code '101' was expected.", "The server returned status code '503' when status code '101' was expected.")]
    public void TicketsAndAppTokensAreScrubbedFromMessages(string message, string scrubbed)
    {
        Assert.Equal(scrubbed, LogRedaction.Scrub(message));
    }
}
