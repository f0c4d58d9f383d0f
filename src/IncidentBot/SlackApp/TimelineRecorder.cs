using IncidentBot.Incidents;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;

namespace IncidentBot.SlackApp;

/// <summary>
/// Every message of an incident channel becomes a timeline entry, once per (channel, ts); edits update
/// it, deletes mark it, joins are recorded, other bots' messages are kept and labelled. The bot's own
/// messages (the card, the change lines) are left out: the timeline already holds what they say.
/// A burst of new messages is stored in one write (<see cref="HandleRunAsync"/>).
/// </summary>
public sealed class TimelineRecorder(IncidentService incidents, IncidentChannels channels, SlackIdentity identity) : IEventRunHandler<MessageEventBase>
{
    public async Task HandleRunAsync(IReadOnlyList<EventInRun<MessageEventBase>> run, CancellationToken cancellationToken)
    {
        var bot = await identity.GetAsync(cancellationToken);
        var messages = new List<(long Number, NewTimelineEntry Message)>(run.Count);
        foreach (var (slackEvent, context) in run)
        {
            if (slackEvent is not MessageEvent message)
            {
                // Edits and deletes keep their effect in any order with the messages they change (see the store).
                await HandleAsync(slackEvent, context, cancellationToken);
            }
            else if (await channels.FindIncidentAsync(message.Channel, cancellationToken) is { } number
                && SlackMessageEntries.FromEvent(message, bot) is { } entry)
            {
                messages.Add((number, entry));
            }
        }

        if (messages.Count > 0)
        {
            await incidents.RecordMessagesAsync(messages, cancellationToken);
        }
    }

    public async Task HandleAsync(MessageEventBase slackEvent, EventContext context, CancellationToken cancellationToken)
    {
        if (await channels.FindIncidentAsync(slackEvent.Channel, cancellationToken) is not { } number)
        {
            return;
        }

        var bot = await identity.GetAsync(cancellationToken);
        switch (slackEvent)
        {
            case MessageChanged changed when !bot.IsSelf(changed.Message.User, changed.Message.BotId):
                var editedAt = SlackTs.TimeOf(changed.Message.Edited?.Ts ?? changed.Ts) ?? context.EventTime;
                if (SlackMessageEntries.FromHistory(changed.Channel, changed.Message, bot) is { } edited)
                {
                    await incidents.RecordMessageEditAsync(number, edited, editedAt, cancellationToken);
                }

                break;
            case MessageDeleted deleted:
                var deletedAt = SlackTs.TimeOf(deleted.Ts) ?? context.EventTime;
                var sentAt = SlackTs.TimeOf(deleted.DeletedTs) ?? deletedAt;
                await incidents.RecordMessageDeletionAsync(
                    number, new SlackMessageSource(deleted.Channel, deleted.DeletedTs, null, null, false), sentAt, deletedAt, cancellationToken);
                break;
            case MessageEvent message when SlackMessageEntries.FromEvent(message, bot) is { } entry:
                await incidents.RecordMessageAsync(number, entry, cancellationToken);
                break;
        }
    }
}
