using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Api;

/// <summary>A message for <c>chat.postMessage</c> or <c>chat.postEphemeral</c>.</summary>
/// <param name="Text">Always sent, also with blocks: it is the notification and screen-reader fallback.</param>
public sealed record ChatMessage(string Channel, string Text)
{
    public IReadOnlyList<Block>? Blocks { get; init; }
    /// <summary>The parent's ts, never a reply's.</summary>
    public string? ThreadTs { get; init; }
    public bool? ReplyBroadcast { get; init; }
    public bool? UnfurlLinks { get; init; }
    public bool? UnfurlMedia { get; init; }

    /// <summary>Lets the app recognise its own message later, e.g. after a crash between posting and recording it.</summary>
    public MessageMetadata? Metadata { get; init; }
}

/// <summary>A new version of a posted message for <c>chat.update</c>; text without blocks removes the blocks.</summary>
public sealed record MessageUpdate(string Channel, string Ts, string Text)
{
    public IReadOnlyList<Block>? Blocks { get; init; }
}
