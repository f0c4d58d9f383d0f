using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// Handles one kind of event. Runs after Slack has been acknowledged, so it may be slow; a handler
/// for a base record (e.g. <see cref="MessageEventBase"/>) also receives its derived records.
/// </summary>
public interface IEventHandler<in TEvent> where TEvent : SlackEvent
{
    Task HandleAsync(TEvent slackEvent, EventContext context, CancellationToken cancellationToken);
}

/// <summary>
/// An event handler that can also take a run of its events at once: the inbox processor hands it every
/// consecutive any-order event it accepts in one call (e.g. to store a burst of channel messages in one write).
/// When that call fails, the run is handed to <see cref="IEventHandler{TEvent}.HandleAsync"/> one event at a time,
/// so one bad event does not cost its neighbours.
/// </summary>
public interface IEventRunHandler<TEvent> : IEventHandler<TEvent> where TEvent : SlackEvent
{
    Task HandleRunAsync(IReadOnlyList<EventInRun<TEvent>> run, CancellationToken cancellationToken);
}

/// <summary>One event of a run, with its envelope.</summary>
public readonly record struct EventInRun<TEvent>(TEvent Event, EventContext Context) where TEvent : SlackEvent;

/// <summary>
/// Handles one slash command. The returned response is the immediate answer and must come within
/// ~2.5 s; slower work should return quickly and post its result to the command's response_url.
/// Return null for an empty 200.
/// </summary>
public interface ISlashCommandHandler
{
    Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken);
}

/// <summary>Handles clicks and selections for one action_id; runs after the interaction is acknowledged.</summary>
public interface IBlockActionHandler
{
    Task HandleAsync(BlockAction action, BlockActionsPayload payload, CancellationToken cancellationToken);
}

/// <summary>
/// Handles submissions of the modal with one callback_id. Answers synchronously (within ~2.5 s):
/// null closes the modal, <see cref="ViewSubmissionResponse.WithErrors"/> shows errors on input blocks.
/// </summary>
public interface IViewSubmissionHandler
{
    Task<ViewSubmissionResponse?> HandleAsync(ViewSubmissionPayload submission, CancellationToken cancellationToken);
}

/// <summary>The envelope around an event, and whether this delivery is a retry.</summary>
public sealed record EventContext(
    string EventId,
    string TeamId,
    string ApiAppId,
    DateTimeOffset EventTime,
    int RetryNum = 0,
    string? RetryReason = null)
{
    public bool IsRetry => RetryNum > 0;

    public static EventContext From(EventCallback callback, int retryNum = 0, string? retryReason = null) => new(
        callback.EventId,
        callback.TeamId,
        callback.ApiAppId,
        DateTimeOffset.FromUnixTimeSeconds(callback.EventTime),
        retryNum,
        string.IsNullOrEmpty(retryReason) ? null : retryReason);
}
