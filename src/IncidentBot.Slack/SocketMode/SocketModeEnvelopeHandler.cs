using System.Text.Json;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Hands each envelope's payload to <see cref="SlackInbox"/>, the same calls the HTTP endpoints make,
/// and decides the acknowledgement. A null ack means "do not acknowledge", so Slack delivers the
/// envelope again (the Socket Mode counterpart of answering 503).
/// </summary>
internal sealed class SocketModeEnvelopeHandler(SlackInbox inbox, ILogger<SocketModeEnvelopeHandler> logger)
{
    public async Task<SocketModeAck?> HandleAsync(SocketModeMessage envelope, CancellationToken cancellationToken = default)
    {
        try
        {
            return envelope.Type switch
            {
                SocketModeMessage.EventsApiType => await HandleEventAsync(envelope, cancellationToken),
                SocketModeMessage.SlashCommandsType => await HandleSlashCommandAsync(envelope, cancellationToken),
                SocketModeMessage.InteractiveType => await HandleInteractionAsync(envelope, cancellationToken),
                _ => Ignore(envelope, "no handling for this envelope type"),
            };
        }
        catch (JsonException exception)
        {
            // Acknowledged anyway: a payload that cannot be read now cannot be read on Slack's retry either.
            return Malformed(envelope, exception.Message);
        }
    }

    private async Task<SocketModeAck?> HandleEventAsync(SocketModeMessage envelope, CancellationToken cancellationToken)
    {
        switch (Read<EventPayload>(envelope))
        {
            case EventCallback callback when string.IsNullOrEmpty(callback.EventId):
                return Malformed(envelope, "the event_callback has no event_id");
            case EventCallback callback:
                var acceptance = await inbox.AcceptEventAsync(
                    callback, envelope.Payload!.Value.GetRawText(), envelope.RetryAttempt, envelope.RetryReason, cancellationToken);
                // Unacknowledged, the envelope comes again later, when the queue may have room.
                return acceptance == Acceptance.Rejected ? null : new SocketModeAck(envelope.EnvelopeId!);
            case AppRateLimited limited:
                logger.LogWarning("Slack is dropping events for team {TeamId}: app_rate_limited since minute {Minute}",
                    limited.TeamId, limited.MinuteRateLimited);
                return new SocketModeAck(envelope.EnvelopeId!);
            case var other:
                return Ignore(envelope, $"events payload of type {other.Type}");
        }
    }

    private async Task<SocketModeAck?> HandleSlashCommandAsync(SocketModeMessage envelope, CancellationToken cancellationToken)
    {
        var command = Read<SlashCommand>(envelope);
        if (string.IsNullOrEmpty(command.Command) || string.IsNullOrEmpty(command.UserId))
        {
            return Malformed(envelope, "the slash command has no command or user_id");
        }

        return WithAnswer(envelope, await inbox.AcceptSlashCommandAsync(command, cancellationToken));
    }

    private async Task<SocketModeAck?> HandleInteractionAsync(SocketModeMessage envelope, CancellationToken cancellationToken)
    {
        switch (Read<InteractionPayload>(envelope))
        {
            case BlockActionsPayload actions:
                var acceptance = await inbox.AcceptBlockActionsAsync(actions, envelope.Payload!.Value.GetRawText(), cancellationToken);
                return acceptance == Acceptance.Rejected ? null : new SocketModeAck(envelope.EnvelopeId!);
            case ViewSubmissionPayload submission:
                return WithAnswer(envelope, await inbox.AcceptViewSubmissionAsync(submission, cancellationToken));
            case var other:
                return Ignore(envelope, $"interaction of type {other.Type}");
        }
    }

    private SocketModeAck WithAnswer(SocketModeMessage envelope, object? answer)
    {
        if (answer is not null && !envelope.AcceptsResponsePayload)
        {
            logger.LogWarning("Slack does not accept an answer to {Type} envelope {EnvelopeId}; the handler's answer is dropped",
                envelope.Type, envelope.EnvelopeId);
            answer = null;
        }

        return new SocketModeAck(envelope.EnvelopeId!, answer);
    }

    private SocketModeAck Ignore(SocketModeMessage envelope, string what)
    {
        logger.LogInformation("Ignoring Socket Mode {Type} envelope {EnvelopeId}: {What}", envelope.Type, envelope.EnvelopeId, what);
        return new SocketModeAck(envelope.EnvelopeId!);
    }

    private SocketModeAck Malformed(SocketModeMessage envelope, string problem)
    {
        logger.LogWarning("Ignoring malformed Socket Mode {Type} envelope {EnvelopeId}: {Problem}", envelope.Type, envelope.EnvelopeId, problem);
        return new SocketModeAck(envelope.EnvelopeId!);
    }

    private static T Read<T>(SocketModeMessage envelope) where T : class =>
        envelope.Payload is { ValueKind: JsonValueKind.Object } payload
            ? payload.Deserialize<T>(SlackJson.Options) ?? throw new JsonException("The payload is empty.")
            : throw new JsonException("The envelope has no payload object.");
}
