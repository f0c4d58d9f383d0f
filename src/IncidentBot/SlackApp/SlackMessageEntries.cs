using IncidentBot.Incidents;
using IncidentBot.Slack.Models;

namespace IncidentBot.SlackApp;

/// <summary>
/// One way to turn a Slack message into a timeline entry, whether it arrived as an event or was read
/// back from the channel's history, so both give the same entry and the (channel, ts) key dedupes them.
/// </summary>
public static class SlackMessageEntries
{
    // Channel housekeeping that is not conversation.
    private static readonly HashSet<string> SkippedSubtypes =
    [
        "channel_topic", "channel_purpose", "channel_name", "channel_archive", "channel_unarchive",
        "pinned_item", "unpinned_item", "group_topic", "group_purpose", "group_name",
        "message_changed", "message_deleted",
    ];

    public static NewTimelineEntry? FromEvent(MessageEvent message, BotIdentity bot) => From(
        message.Channel, message.Ts, message.ThreadTs, message.Subtype, message.User, message.BotId,
        (message as BotMessage)?.Username, message.Text, message.Files, bot);

    public static NewTimelineEntry? FromHistory(string channelId, SlackMessage message, BotIdentity bot) => From(
        channelId, message.Ts, message.ThreadTs, message.Subtype, message.User, message.BotId, null, message.Text, message.Files, bot);

    /// <summary>Null for what is not kept: the bot's own messages and channel housekeeping.</summary>
    private static NewTimelineEntry? From(
        string channelId, string ts, string? threadTs, string? subtype, string? user, string? botId, string? username,
        string? text, IReadOnlyList<SlackFile>? files, BotIdentity bot)
    {
        if (bot.IsSelf(user, botId) || SkippedSubtypes.Contains(subtype ?? ""))
        {
            return null;
        }

        var occurredAt = SlackTs.TimeOf(ts) ?? DateTimeOffset.UtcNow;
        if (subtype == "channel_join")
        {
            return new NewTimelineEntry(TimelineEntryKind.MemberJoined, occurredAt, user, $"{user} joined the channel",
                Slack: new SlackMessageSource(channelId, ts, null, bot.Permalink(channelId, ts), false));
        }

        var isBot = botId is not null || subtype == "bot_message";
        return new NewTimelineEntry(TimelineEntryKind.Message, occurredAt, user ?? botId ?? username, TextOf(text, files),
            Slack: new SlackMessageSource(channelId, ts, threadTs, bot.Permalink(channelId, ts, threadTs), isBot));
    }

    /// <summary>
    /// The message Slack posts when someone leaves (subtype channel_leave, "&lt;@U123&gt; has left the channel"), as the
    /// timeline keeps it: their last entry before they come back, never a sign that they are back.
    /// </summary>
    public static bool IsLeaveNotice(string text) =>
        text.EndsWith("has left the channel", StringComparison.Ordinal) && SlackMarkup.UserMentions(text).Count == 1 && text.StartsWith("<@", StringComparison.Ordinal);

    /// <summary>A message that is only a file still says something: its file names.</summary>
    public static string TextOf(string? text, IReadOnlyList<SlackFile>? files)
    {
        var names = files?.Select(f => f.Title ?? f.Name).Where(n => !string.IsNullOrEmpty(n)).ToList() ?? [];
        var attached = names.Count == 0 ? "" : $"[files: {string.Join(", ", names)}]";
        var combined = string.Join(" ", new[] { text?.Trim(), attached }.Where(part => !string.IsNullOrEmpty(part)));
        return combined.Length == 0 ? "(no text)" : SlackText.Truncate(combined, IncidentFieldRules.MaxTimelineTextLength);
    }
}
