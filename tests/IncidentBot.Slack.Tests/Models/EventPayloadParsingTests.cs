using System.Text.Json;
using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Tests.Models;

public sealed class EventPayloadParsingTests
{
    [Fact]
    public void UrlVerificationCarriesTheChallenge()
    {
        var payload = Assert.IsType<UrlVerification>(Parse("event_url_verification.json"));

        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", payload.Challenge);
    }

    [Fact]
    public void AppRateLimitedIsReadUnwrapped()
    {
        var payload = Assert.IsType<AppRateLimited>(Parse("event_app_rate_limited.json"));

        Assert.Equal(("T123456", "A123456", 1518467820L), (payload.TeamId, payload.ApiAppId, payload.MinuteRateLimited));
    }

    [Fact]
    public void EventCallbackEnvelopeKeepsIdsTimeAndAuthorizations()
    {
        var callback = Callback("event_message_channel_join.json");

        Assert.Equal("T043DB835ML", callback.TeamId);
        Assert.Equal("A0442TUPHGR", callback.ApiAppId);
        Assert.Equal("Ev043W120WSH", callback.EventId);
        Assert.Equal(1664222685, callback.EventTime);
        Assert.Equal("aaaa", callback.EventContext);
        var authorization = Assert.Single(callback.Authorizations);
        Assert.Equal(("T043DB835ML", "U0442US8QGH", true), (authorization.TeamId, authorization.UserId, authorization.IsBot));
    }

    [Fact]
    public void AppMentionIsReadWithItsTextAndChannel()
    {
        var mention = Assert.IsType<AppMention>(Callback("event_app_mention.json").Event);

        Assert.Equal("U061F7AUR", mention.User);
        Assert.Equal("<@U0LAN0Z89> is it everything a river should be?", mention.Text);
        Assert.Equal("C123ABC456", mention.Channel);
        Assert.Equal("1515449522.000016", mention.Ts);
    }

    [Fact]
    public void MessageChangedCarriesTheNewMessageAndItsEdit()
    {
        var changed = Assert.IsType<MessageChanged>(Callback("event_message_changed.json").Event);

        Assert.Equal("message_changed", changed.Subtype);
        Assert.True(changed.Hidden);
        Assert.Equal("1358878755.000001", changed.Ts);
        Assert.Equal("Hello, world!", changed.Message.Text);
        Assert.Equal("1355517523.000005", changed.Message.Ts);
        Assert.Equal(new MessageEdit("U123ABC456", "1358878755.000001"), changed.Message.Edited);
    }

    [Fact]
    public void MessageDeletedCarriesTheDeletedTs()
    {
        var deleted = Assert.IsType<MessageDeleted>(Callback("event_message_deleted.json").Event);

        Assert.Equal("1358878749.000002", deleted.DeletedTs);
        Assert.Equal("C123ABC456", deleted.Channel);
    }

    [Fact]
    public void MessageDeletedKeepsThePreviousMessage()
    {
        const string json = """
            {"type":"message","subtype":"message_deleted","hidden":true,"channel":"C1","ts":"2.000","deleted_ts":"1.000",
             "previous_message":{"type":"message","user":"U1","text":"gone","ts":"1.000"}}
            """;

        var deleted = Assert.IsType<MessageDeleted>(JsonSerializer.Deserialize<SlackEvent>(json, SlackJson.Options));

        Assert.Equal("gone", deleted.PreviousMessage?.Text);
    }

    [Fact]
    public void ChannelJoinIsAMessageWithItsInviter()
    {
        var join = Assert.IsType<ChannelJoinMessage>(Callback("event_message_channel_join.json").Event);

        Assert.Equal(("U0442US8QGH", "U043H11ES4V", "channel"), (join.User, join.Inviter, join.ChannelType));
    }

    [Fact]
    public void AMessageFromAnotherAppHasNoSubtypeButABotId()
    {
        var message = Assert.IsType<MessageEvent>(Callback("event_message_bot_message.json").Event);

        Assert.Null(message.Subtype);
        Assert.Equal("B999", message.BotId);
        Assert.Equal("Hi there! Thanks for sharing the info!", message.Text);
    }

    [Fact]
    public void LegacyBotMessageSubtypeHasItsOwnRecord()
    {
        const string json = """{"type":"message","subtype":"bot_message","bot_id":"B1","username":"alerts","text":"CPU high","ts":"1.000","channel":"C1"}""";

        var bot = Assert.IsType<BotMessage>(JsonSerializer.Deserialize<SlackEvent>(json, SlackJson.Options));

        Assert.Equal(("B1", "alerts", (string?)null), (bot.BotId, bot.Username, bot.User));
    }

    [Fact]
    public void ThreadBroadcastCarriesItsThreadAndRoot()
    {
        var broadcast = Assert.IsType<ThreadBroadcastMessage>(Callback("event_message_thread_broadcast.json").Event);

        Assert.Equal("1633663824.000500", broadcast.ThreadTs);
        Assert.True(broadcast.IsThreadReply);
        Assert.Equal(17, broadcast.Root?.ReplyCount);
        Assert.Equal("Write in the thread :bow:", broadcast.Root?.Text);
    }

    [Fact]
    public void FileShareCarriesItsFiles()
    {
        var share = Assert.IsType<FileShareMessage>(Callback("event_message_file_share.json").Event);

        var file = Assert.Single(share.Files!);
        Assert.Equal(("F111", "file.png", "image/png"), (file.Id, file.Name, file.Mimetype));
        Assert.Equal("Hi there!", share.Text);
        Assert.NotNull(share.Blocks);
    }

    [Fact]
    public void AnUnknownMessageSubtypeStaysReadableAsAPlainMessage()
    {
        const string json = """{"type":"message","subtype":"channel_topic","user":"U1","text":"set the topic","ts":"1.000","channel":"C1","topic":"x"}""";

        var message = Assert.IsType<MessageEvent>(JsonSerializer.Deserialize<SlackEvent>(json, SlackJson.Options));

        Assert.Equal(("channel_topic", "set the topic"), (message.Subtype, message.Text));
    }

    [Fact]
    public void MemberJoinedChannelIsRead()
    {
        var joined = Assert.IsType<MemberJoinedChannel>(Callback("event_member_joined_channel.json").Event);

        Assert.Equal(("W123ABC456", "C123ABC456", "C", "U123456789"), (joined.User, joined.Channel, joined.ChannelType, joined.Inviter));
    }

    [Fact]
    public void AppHomeOpenedIsReadWithItsView()
    {
        var json = $$"""{"type":"event_callback","team_id":"T1","api_app_id":"A1","event_id":"Ev1","event_time":1,"event":{{Fixture.Read("event_app_home_opened.inner.json")}}}""";

        var opened = Assert.IsType<AppHomeOpened>(Assert.IsType<EventCallback>(JsonSerializer.Deserialize<EventPayload>(json, SlackJson.Options)).Event);

        Assert.Equal(("U123ABC456", "home", "V123ABC456"), (opened.User, opened.Tab, opened.View?.Id));
    }

    [Fact]
    public void AnUnknownEventTypeKeepsItsTypeAndRawJson()
    {
        const string json = """{"type":"event_callback","team_id":"T1","event_id":"Ev9","event_time":1,"event":{"type":"reaction_added","user":"U1","reaction":"thumbsup","event_ts":"1.000"}}""";

        var unknown = Assert.IsType<UnknownEvent>(Assert.IsType<EventCallback>(JsonSerializer.Deserialize<EventPayload>(json, SlackJson.Options)).Event);

        Assert.Equal("reaction_added", unknown.Type);
        Assert.Equal("thumbsup", unknown.Raw.GetProperty("reaction").GetString());
        Assert.Equal("1.000", unknown.EventTs);
    }

    [Fact]
    public void AnUnknownTopLevelTypeIsKeptRaw()
    {
        var payload = Assert.IsType<UnknownEventPayload>(JsonSerializer.Deserialize<EventPayload>("""{"type":"something_new","x":1}""", SlackJson.Options));

        Assert.Equal(1, payload.Raw.GetProperty("x").GetInt32());
    }

    [Fact]
    public void TheSocketModeEventsEnvelopeHoldsTheSameEventCallback()
    {
        using var envelope = JsonDocument.Parse(Fixture.Read("socket_envelope_events_api.json"));

        var callback = envelope.RootElement.GetProperty("payload").Deserialize<EventPayload>(SlackJson.Options);

        var mention = Assert.IsType<AppMention>(Assert.IsType<EventCallback>(callback).Event);
        Assert.Equal(("U222", "<@U111>"), (mention.User, mention.Text));
    }

    [Fact]
    public void ANonObjectPayloadIsAJsonError()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<EventPayload>("[1,2]", SlackJson.Options));
    }

    private static EventPayload? Parse(string fixture) => JsonSerializer.Deserialize<EventPayload>(Fixture.Read(fixture), SlackJson.Options);

    private static EventCallback Callback(string fixture) => Assert.IsType<EventCallback>(Parse(fixture));
}
