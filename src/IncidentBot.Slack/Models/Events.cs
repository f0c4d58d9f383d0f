using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Models;

/// <summary>An inner event of an <c>event_callback</c>: what happened in the workspace.</summary>
public abstract record SlackEvent
{
    public string Type { get; init; } = "";
    public string? EventTs { get; init; }
}

/// <summary>Fields every <c>message</c> event has, whatever its subtype.</summary>
public abstract record MessageEventBase : SlackEvent
{
    public string? Subtype { get; init; }
    public string Channel { get; init; } = "";
    public string? ChannelType { get; init; }
    /// <summary>Kept as a string: "seconds.micros" loses digits as a double, and it is the message id.</summary>
    public string Ts { get; init; } = "";
    public bool Hidden { get; init; }
}

/// <summary>A posted message: no subtype, or a subtype without a dedicated record.</summary>
public record MessageEvent : MessageEventBase
{
    public string? User { get; init; }
    public string? Text { get; init; }
    public string? ThreadTs { get; init; }
    public string? ParentUserId { get; init; }
    public string? BotId { get; init; }
    public string? Team { get; init; }
    public string? ClientMsgId { get; init; }
    public JsonElement? Blocks { get; init; }
    public IReadOnlyList<SlackFile>? Files { get; init; }
    public MessageEdit? Edited { get; init; }

    /// <summary>True for a reply inside a thread (not for the thread's parent).</summary>
    [JsonIgnore]
    public bool IsThreadReply => ThreadTs is not null && ThreadTs != Ts;
}

public sealed record ChannelJoinMessage : MessageEvent
{
    public string? Inviter { get; init; }
}

public sealed record BotMessage : MessageEvent
{
    public string? Username { get; init; }
}

public sealed record ThreadBroadcastMessage : MessageEvent
{
    public SlackMessage? Root { get; init; }
}

public sealed record FileShareMessage : MessageEvent
{
    public bool Upload { get; init; }
    public bool DisplayAsBot { get; init; }
}

/// <summary><c>message_changed</c>: <see cref="MessageEventBase.Ts"/> is the edit time, <c>Message.Ts</c> the original.</summary>
public sealed record MessageChanged : MessageEventBase
{
    public SlackMessage Message { get; init; } = new();
    public SlackMessage? PreviousMessage { get; init; }
}

public sealed record MessageDeleted : MessageEventBase
{
    public string DeletedTs { get; init; } = "";
    public SlackMessage? PreviousMessage { get; init; }
}

public sealed record AppMention : SlackEvent
{
    public string User { get; init; } = "";
    public string Text { get; init; } = "";
    public string Ts { get; init; } = "";
    public string Channel { get; init; } = "";
    public string? ThreadTs { get; init; }
    public string? Team { get; init; }
    public string? ClientMsgId { get; init; }
    public JsonElement? Blocks { get; init; }
}

public sealed record MemberJoinedChannel : SlackEvent
{
    public string User { get; init; } = "";
    public string Channel { get; init; } = "";
    /// <summary>"C" for public, "G" for private channels.</summary>
    public string? ChannelType { get; init; }
    public string? Team { get; init; }
    public string? Inviter { get; init; }
    public string? Enterprise { get; init; }
}

public sealed record MemberLeftChannel : SlackEvent
{
    public string User { get; init; } = "";
    public string Channel { get; init; } = "";
    /// <summary>"C" for public, "G" for private channels.</summary>
    public string? ChannelType { get; init; }
    public string? Team { get; init; }
}

public sealed record AppHomeOpened : SlackEvent
{
    public string User { get; init; } = "";
    public string Channel { get; init; } = "";
    /// <summary>"home" or "messages".</summary>
    public string Tab { get; init; } = "";
    /// <summary>Present only once a Home view has been published.</summary>
    public PublishedView? View { get; init; }
}

/// <summary>An event type this library has no record for; the raw JSON is kept for whoever wants it.</summary>
public sealed record UnknownEvent : SlackEvent
{
    public JsonElement Raw { get; init; }
}
