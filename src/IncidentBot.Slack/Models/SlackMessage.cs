using System.Text.Json;

namespace IncidentBot.Slack.Models;

/// <summary>A message as the Web API and nested event fields show it.</summary>
public sealed record SlackMessage
{
    public string Type { get; init; } = "message";
    public string? Subtype { get; init; }
    public string? User { get; init; }
    public string? BotId { get; init; }
    public string? Text { get; init; }
    public string Ts { get; init; } = "";
    public string? ThreadTs { get; init; }
    public string? ParentUserId { get; init; }
    public int? ReplyCount { get; init; }
    public string? LatestReply { get; init; }
    public IReadOnlyList<string>? ReplyUsers { get; init; }
    public string? Team { get; init; }
    public string? ClientMsgId { get; init; }
    public MessageEdit? Edited { get; init; }
    public JsonElement? Blocks { get; init; }
    public IReadOnlyList<SlackFile>? Files { get; init; }

    /// <summary>What the app that posted the message attached to it; read back with include_all_metadata.</summary>
    public MessageMetadata? Metadata { get; init; }
}

/// <summary>Data an app attaches to its own message (<c>metadata</c> of chat.postMessage), invisible to readers.</summary>
public sealed record MessageMetadata(string EventType, System.Text.Json.Nodes.JsonObject EventPayload);

public sealed record MessageEdit(string User, string Ts);

public sealed record SlackFile
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Title { get; init; }
    public string? Mimetype { get; init; }
    public string? Filetype { get; init; }
    public string? User { get; init; }
    public long? Size { get; init; }
    public string? UrlPrivate { get; init; }
    public string? Permalink { get; init; }
}
