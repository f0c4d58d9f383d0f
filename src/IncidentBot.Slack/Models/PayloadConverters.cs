using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Models;

/// <summary>
/// Picks the record for a payload from its "type" (and "subtype") field. Hand-written instead of
/// [JsonPolymorphic] because unknown kinds must stay readable rather than fail the whole payload.
/// </summary>
internal abstract class TypeSwitchConverter<TBase> : JsonConverter<TBase> where TBase : class
{
    public override TBase? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A Slack {typeof(TBase).Name} must be a JSON object.");
        }

        var type = StringProperty(root, "type") ?? "";
        var concrete = ConcreteType(type, root);
        return concrete is null
            ? Unknown(type, root.Clone())
            : (TBase?)root.Deserialize(concrete, options);
    }

    public override void Write(Utf8JsonWriter writer, TBase value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);

    protected abstract Type? ConcreteType(string type, JsonElement root);

    protected abstract TBase Unknown(string type, JsonElement raw);

    protected static string? StringProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

internal sealed class SlackEventConverter : TypeSwitchConverter<SlackEvent>
{
    protected override Type? ConcreteType(string type, JsonElement root) => type switch
    {
        "message" => MessageType(StringProperty(root, "subtype")),
        "app_mention" => typeof(AppMention),
        "member_joined_channel" => typeof(MemberJoinedChannel),
        "app_home_opened" => typeof(AppHomeOpened),
        _ => null,
    };

    protected override SlackEvent Unknown(string type, JsonElement raw) =>
        new UnknownEvent { Type = type, Raw = raw, EventTs = StringProperty(raw, "event_ts") };

    private static Type MessageType(string? subtype) => subtype switch
    {
        "message_changed" => typeof(MessageChanged),
        "message_deleted" => typeof(MessageDeleted),
        "channel_join" => typeof(ChannelJoinMessage),
        "bot_message" => typeof(BotMessage),
        "thread_broadcast" => typeof(ThreadBroadcastMessage),
        "file_share" => typeof(FileShareMessage),
        _ => typeof(MessageEvent),
    };
}

internal sealed class EventPayloadConverter : TypeSwitchConverter<EventPayload>
{
    protected override Type? ConcreteType(string type, JsonElement root) => type switch
    {
        "event_callback" => typeof(EventCallback),
        "url_verification" => typeof(UrlVerification),
        "app_rate_limited" => typeof(AppRateLimited),
        _ => null,
    };

    protected override EventPayload Unknown(string type, JsonElement raw) => new UnknownEventPayload { Type = type, Raw = raw };
}

internal sealed class InteractionPayloadConverter : TypeSwitchConverter<InteractionPayload>
{
    protected override Type? ConcreteType(string type, JsonElement root) => type switch
    {
        "block_actions" => typeof(BlockActionsPayload),
        "view_submission" => typeof(ViewSubmissionPayload),
        _ => null,
    };

    protected override InteractionPayload Unknown(string type, JsonElement raw) => new UnknownInteraction { Type = type, Raw = raw };
}
