using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Api;

/// <summary>Fields every Web API response has.</summary>
public record SlackResponse
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
    public string? Warning { get; init; }
    public string? Needed { get; init; }
    public ResponseMetadata? ResponseMetadata { get; init; }
}

public sealed record ResponseMetadata
{
    /// <summary>Empty (not absent) on the last page.</summary>
    public string? NextCursor { get; init; }
    public IReadOnlyList<string>? Messages { get; init; }
    public IReadOnlyList<string>? Warnings { get; init; }
}

public sealed record AuthTestResponse : SlackResponse
{
    public string Url { get; init; } = "";
    public string Team { get; init; } = "";
    public string User { get; init; } = "";
    public string TeamId { get; init; } = "";
    /// <summary>The bot's own user id: filter events by it to avoid answering ourselves.</summary>
    public string UserId { get; init; } = "";
    public string? BotId { get; init; }
    public bool IsEnterpriseInstall { get; init; }
}

public sealed record PostMessageResponse : SlackResponse
{
    public string Channel { get; init; } = "";
    /// <summary>The message id within the channel; keep it with the channel for updates, pins and permalinks.</summary>
    public string Ts { get; init; } = "";
    public SlackMessage? Message { get; init; }
}

public sealed record PostEphemeralResponse : SlackResponse
{
    public string MessageTs { get; init; } = "";
}

public sealed record UpdateMessageResponse : SlackResponse
{
    public string Channel { get; init; } = "";
    public string Ts { get; init; } = "";
    public string? Text { get; init; }
}

public sealed record PermalinkResponse : SlackResponse
{
    public string Channel { get; init; } = "";
    public string Permalink { get; init; } = "";
}

public sealed record ConversationResponse : SlackResponse
{
    public Conversation Channel { get; init; } = new();
}

public sealed record Conversation
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public bool IsChannel { get; init; }
    public bool IsPrivate { get; init; }
    public bool IsArchived { get; init; }
    public bool IsMember { get; init; }
    public long Created { get; init; }
    public string? Creator { get; init; }
    public ConversationText? Topic { get; init; }
    public ConversationText? Purpose { get; init; }
    public int? NumMembers { get; init; }
}

public sealed record ConversationText
{
    public string Value { get; init; } = "";
    public string? Creator { get; init; }
    public long LastSet { get; init; }
}

public sealed record ConversationsListResponse : SlackResponse
{
    public IReadOnlyList<Conversation> Channels { get; init; } = [];
}

/// <summary>A page of <c>conversations.history</c> (newest first) or <c>conversations.replies</c> (parent first).</summary>
public sealed record ConversationMembersResponse : SlackResponse
{
    public IReadOnlyList<string> Members { get; init; } = [];
}

public sealed record MessagesResponse : SlackResponse
{
    public IReadOnlyList<SlackMessage> Messages { get; init; } = [];
    public bool HasMore { get; init; }
}

public sealed record ViewResponse : SlackResponse
{
    public PublishedView View { get; init; } = new();
}

public sealed record UserInfoResponse : SlackResponse
{
    public SlackUser User { get; init; } = new();
}

public sealed record SlackUser
{
    public string Id { get; init; } = "";
    public string? TeamId { get; init; }
    public string? Name { get; init; }
    public string? RealName { get; init; }
    public bool Deleted { get; init; }
    public bool IsBot { get; init; }
    public string? Tz { get; init; }
    public UserProfile? Profile { get; init; }
}

public sealed record UserProfile
{
    public string? DisplayName { get; init; }
    public string? RealName { get; init; }
    public string? Email { get; init; }
    public string? Image72 { get; init; }
}

public sealed record ConnectionsOpenResponse : SlackResponse
{
    /// <summary>A single-use WebSocket URL; fetch a fresh one for every connection.</summary>
    public string Url { get; init; } = "";
}
