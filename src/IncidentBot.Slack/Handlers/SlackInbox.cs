using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Handlers;

public enum Acceptance
{
    /// <summary>Kept for its handlers.</summary>
    Queued,
    /// <summary>Already seen (a retry); acknowledged without running anything.</summary>
    Duplicate,
    /// <summary>No handler wants it; acknowledged and dropped.</summary>
    Ignored,
    /// <summary>The inbox could not keep it (full, or its store failed); the transport should make Slack deliver it again.</summary>
    Rejected,
}

/// <summary>
/// Decides what is answered within Slack's 3 seconds and what runs afterwards, for any transport:
/// events and block actions are kept in the <see cref="ISlackInboxStore"/> (events once per event id) and run
/// by <see cref="SlackInboxProcessor"/>; slash commands and view submissions get a bounded time to produce their
/// synchronous answer.
/// </summary>
public sealed class SlackInbox(
    SlackDispatcher dispatcher,
    ISlackInboxStore store,
    ResponseUrlClient responseUrls,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ISlackMetrics metrics,
    ILogger<SlackInbox> logger)
{
    private const string BlockActionsType = "block_actions";
    private const string SlashCommandType = "slash_command";
    private const string ViewSubmissionType = "view_submission";
    private const string Answered = "answered";
    private const string AnsweredLate = "answered_late";

    private TimeSpan HandlerTimeout => options.Value.SynchronousHandlerTimeout;

    /// <param name="rawPayload">The event_callback JSON as received; it is what gets stored.</param>
    public async Task<Acceptance> AcceptEventAsync(
        EventCallback callback, string rawPayload, int retryNum = 0, string? retryReason = null, CancellationToken cancellationToken = default)
    {
        if (!dispatcher.HasHandlerFor(callback.Event))
        {
            logger.LogInformation("Ignoring Slack event {EventType} ({EventId}): no handler registered", callback.Event.Type, callback.EventId);
            return Counted(callback.Event.Type, Acceptance.Ignored);
        }

        var item = new SlackWorkItem(SlackWorkKind.Event, rawPayload, retryNum, retryReason, callback.EventId, dispatcher.OrderFor(callback.Event))
        {
            Parsed = callback,
            AcceptedAt = timeProvider.GetUtcNow(),
        };
        var acceptance = Counted(callback.Event.Type, await store.AcceptAsync(item, cancellationToken));
        if (acceptance == Acceptance.Duplicate)
        {
            logger.LogInformation("Ignoring duplicate Slack event {EventId} (retry {RetryNum}, {RetryReason})", callback.EventId, retryNum, retryReason);
        }
        else if (acceptance == Acceptance.Rejected)
        {
            logger.LogWarning("The Slack inbox could not keep event {EventId}; left for Slack to retry", callback.EventId);
        }

        return acceptance;
    }

    public async Task<Acceptance> AcceptBlockActionsAsync(BlockActionsPayload payload, string rawPayload, CancellationToken cancellationToken = default)
    {
        if (!dispatcher.HasHandlerFor(payload))
        {
            logger.LogInformation("Ignoring block actions {ActionIds}: no handler registered",
                string.Join(",", payload.Actions.Select(action => action.ActionId)));
            return Counted(BlockActionsType, Acceptance.Ignored);
        }

        var item = new SlackWorkItem(SlackWorkKind.BlockActions, rawPayload) { Parsed = payload, AcceptedAt = timeProvider.GetUtcNow() };
        var acceptance = Counted(BlockActionsType, await store.AcceptAsync(item, cancellationToken));
        if (acceptance == Acceptance.Rejected)
        {
            logger.LogWarning("The Slack inbox could not keep block actions; dropped");
        }

        return acceptance;
    }

    /// <summary>
    /// The handler's answer if it comes in time; otherwise null now, and the late answer is
    /// posted to the command's response_url when it arrives.
    /// </summary>
    public async Task<SlashCommandResponse?> AcceptSlashCommandAsync(SlashCommand command, CancellationToken cancellationToken = default)
    {
        // Not the request's token: a slow handler keeps running after the ack has been sent.
        var work = dispatcher.HandleSlashCommandAsync(command, lifetime.ApplicationStopping);
        try
        {
            var answer = await work.WaitAsync(HandlerTimeout, timeProvider, cancellationToken);
            metrics.Acknowledged(SlashCommandType, Answered);
            return answer;
        }
        catch (TimeoutException)
        {
            metrics.Acknowledged(SlashCommandType, AnsweredLate);
            logger.LogWarning("Slash command {Command} took longer than {Timeout}; its answer goes to response_url", command.Command, HandlerTimeout);
            _ = PostLateAnswerAsync(command, work);
            return null;
        }
    }

    /// <summary>The handler's answer, or null (close the modal) if it takes too long to give one.</summary>
    public async Task<ViewSubmissionResponse?> AcceptViewSubmissionAsync(ViewSubmissionPayload submission, CancellationToken cancellationToken = default)
    {
        var work = dispatcher.HandleViewSubmissionAsync(submission, lifetime.ApplicationStopping);
        try
        {
            var answer = await work.WaitAsync(HandlerTimeout, timeProvider, cancellationToken);
            metrics.Acknowledged(ViewSubmissionType, Answered);
            return answer;
        }
        catch (TimeoutException)
        {
            metrics.Acknowledged(ViewSubmissionType, AnsweredLate);
            logger.LogWarning("View submission {CallbackId} took longer than {Timeout}; closing the modal", submission.View.CallbackId, HandlerTimeout);
            return null;
        }
    }

    private Acceptance Counted(string type, Acceptance acceptance)
    {
        metrics.Acknowledged(type, acceptance.ToString().ToLowerInvariant());
        return acceptance;
    }

    private async Task PostLateAnswerAsync(SlashCommand command, Task<SlashCommandResponse?> work)
    {
        try
        {
            var response = await work;
            if (response is not null && command.ResponseUrl is not null)
            {
                await responseUrls.PostAsync(command.ResponseUrl, ResponseUrlMessage.From(response), lifetime.ApplicationStopping);
            }
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Could not deliver the late answer to slash command {Command}", command.Command);
        }
    }
}
