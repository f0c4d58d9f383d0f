using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Models;

/// <summary>
/// Picks the record for a payload from its "type" (and "subtype") field. Hand-written instead of
/// [JsonPolymorphic] because unknown kinds must stay readable rather than fail the whole payload.
/// </summary>
internal abstract class TypeSwitchConverter<TBase> : JsonConverter<TBase> where TBase : class
{
    /// <remarks>
    /// Looks ahead on a copy of the reader for "type" and "subtype", then reads the concrete record from the reader
    /// itself: a known payload is read once, with no document in between. Only an unknown kind is kept as a document.
    /// </remarks>
    public override TBase? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A Slack {typeof(TBase).Name} must be a JSON object.");
        }

        var (type, subtype) = PeekTypes(reader);
        var concrete = ConcreteType(type ?? "", subtype);
        if (concrete is null)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return Unknown(type ?? "", document.RootElement.Clone());
        }

        return (TBase?)JsonSerializer.Deserialize(ref reader, concrete, options);
    }

    public override void Write(Utf8JsonWriter writer, TBase value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);

    protected abstract Type? ConcreteType(string type, string? subtype);

    protected abstract TBase Unknown(string type, JsonElement raw);

    protected static string? StringProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The string values of the object's own "type" and "subtype" properties; the reader is a copy.</summary>
    private static (string? Type, string? Subtype) PeekTypes(Utf8JsonReader reader)
    {
        string? type = null;
        string? subtype = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isType = reader.ValueTextEquals("type"u8);
            var isSubtype = !isType && reader.ValueTextEquals("subtype"u8);
            reader.Read();
            if ((isType || isSubtype) && reader.TokenType == JsonTokenType.String)
            {
                // A repeated key: the last one counts, as in a JsonDocument.
                if (isType)
                {
                    type = reader.GetString();
                }
                else
                {
                    subtype = reader.GetString();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return (type, subtype);
    }
}

internal sealed class SlackEventConverter : TypeSwitchConverter<SlackEvent>
{
    protected override Type? ConcreteType(string type, string? subtype) => type switch
    {
        "message" => MessageType(subtype),
        "app_mention" => typeof(AppMention),
        "member_joined_channel" => typeof(MemberJoinedChannel),
        "member_left_channel" => typeof(MemberLeftChannel),
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
    protected override Type? ConcreteType(string type, string? subtype) => type switch
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
    protected override Type? ConcreteType(string type, string? subtype) => type switch
    {
        "block_actions" => typeof(BlockActionsPayload),
        "view_submission" => typeof(ViewSubmissionPayload),
        _ => null,
    };

    protected override InteractionPayload Unknown(string type, JsonElement raw) => new UnknownInteraction { Type = type, Raw = raw };
}
