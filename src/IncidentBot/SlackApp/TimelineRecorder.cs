using IncidentBot.Incidents;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>
/// Every message of an incident channel becomes a timeline entry, once per (channel, ts); edits update
/// it, deletes mark it, joins are recorded, other bots' messages are kept and labelled. The bot's own
/// messages (the card, the change lines) are left out: the timeline already holds what they say.
/// </summary>
public sealed class TimelineRecorder(IIncidentStore store, SlackIdentity identity, ILogger<TimelineRecorder> logger)
    : IEventHandler<MessageEventBase>
{
    // Channel housekeeping that is not conversation.
    private static readonly HashSet<string> SkippedSubtypes =
    [
        "channel_topic", "channel_purpose", "channel_name", "channel_archive", "channel_unarchive",
        "pinned_item", "unpinned_item", "group_topic", "group_purpose", "group_name",
    ];

    public async Task HandleAsync(MessageEventBase slackEvent, EventContext context, CancellationToken cancellationToken)
    {
        if (await store.FindByChannelAsync(slackEvent.Channel, cancellationToken) is not { } incident)
        {
            return;
        }

        var bot = await identity.GetAsync(cancellationToken);
        switch (slackEvent)
        {
            case MessageChanged changed when !bot.IsSelf(changed.Message.User, changed.Message.BotId):
                await RecordEditAsync(incident, changed, bot, cancellationToken);
                break;
            case MessageDeleted deleted:
                var deletedAt = SlackTimestamp.ToTime(deleted.Ts) ?? context.EventTime;
                await store.DeleteMessageAsync(incident.Number, deleted.Channel, deleted.DeletedTs, deletedAt, cancellationToken);
                break;
            case ChannelJoinMessage join when !bot.IsSelf(join.User, null):
                await store.AddMessageAsync(incident.Number, JoinEntry(join, bot), cancellationToken);
                break;
            case MessageEvent message when message is not ChannelJoinMessage && !bot.IsSelf(message.User, message.BotId)
                                           && !SkippedSubtypes.Contains(message.Subtype ?? ""):
                var added = await store.AddMessageAsync(incident.Number, MessageEntry(message, bot), cancellationToken);
                logger.LogDebug("{Incident}: message {Ts} {Outcome}", incident.Reference, message.Ts, added ? "recorded" : "already recorded");
                break;
        }
    }

    private async Task RecordEditAsync(Incident incident, MessageChanged changed, BotIdentity bot, CancellationToken cancellationToken)
    {
        var message = changed.Message;
        var editedAt = SlackTimestamp.ToTime(message.Edited?.Ts ?? changed.Ts) ?? DateTimeOffset.UtcNow;
        var entry = new NewTimelineEntry(
            TimelineEntryKind.Message,
            SlackTimestamp.ToTime(message.Ts) ?? editedAt,
            message.User ?? message.BotId,
            TextOf(message.Text, message.Files),
            Slack: new SlackMessageSource(changed.Channel, message.Ts, message.ThreadTs, bot.Permalink(changed.Channel, message.Ts, message.ThreadTs), message.BotId is not null));
        await store.EditMessageAsync(incident.Number, entry, editedAt, cancellationToken);
    }

    private static NewTimelineEntry MessageEntry(MessageEvent message, BotIdentity bot)
    {
        var isBot = message.BotId is not null || message.Subtype == "bot_message";
        var actor = message.User ?? message.BotId ?? (message as BotMessage)?.Username;
        return new NewTimelineEntry(
            TimelineEntryKind.Message,
            SlackTimestamp.ToTime(message.Ts) ?? DateTimeOffset.UtcNow,
            actor,
            TextOf(message.Text, message.Files),
            Slack: new SlackMessageSource(message.Channel, message.Ts, message.ThreadTs, bot.Permalink(message.Channel, message.Ts, message.ThreadTs), isBot));
    }

    private static NewTimelineEntry JoinEntry(ChannelJoinMessage join, BotIdentity bot) => new(
        TimelineEntryKind.MemberJoined,
        SlackTimestamp.ToTime(join.Ts) ?? DateTimeOffset.UtcNow,
        join.User,
        $"{join.User} joined the channel",
        Slack: new SlackMessageSource(join.Channel, join.Ts, null, bot.Permalink(join.Channel, join.Ts), false));

    /// <summary>A message that is only a file still says something: its file names.</summary>
    private static string TextOf(string? text, IReadOnlyList<SlackFile>? files)
    {
        var names = files?.Select(f => f.Title ?? f.Name).Where(n => !string.IsNullOrEmpty(n)).ToList() ?? [];
        var attached = names.Count == 0 ? "" : $"[files: {string.Join(", ", names)}]";
        var combined = string.Join(" ", new[] { text?.Trim(), attached }.Where(part => !string.IsNullOrEmpty(part)));
        return combined.Length == 0 ? "(no text)" : SlackText.Truncate(combined, IncidentFieldRules.MaxTimelineTextLength);
    }
}
