using System.Text.Json;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// Runs the registered handlers for an already parsed payload. Knows nothing about HTTP, so the
/// HTTP endpoints, a Socket Mode client and the inbox processor all end up here.
/// </summary>
public sealed class SlackDispatcher(
    SlackHandlerRegistry registry,
    IServiceScopeFactory scopes,
    ILogger<SlackDispatcher> logger)
{
    public bool HasHandlerFor(SlackEvent slackEvent) => registry.HasEventHandler(slackEvent);

    public SlackWorkOrder OrderFor(SlackEvent slackEvent) => registry.OrderFor(slackEvent);

    public bool HasHandlerFor(BlockActionsPayload payload) =>
        payload.Actions.Any(action => registry.BlockActionHandler(action.ActionId) is not null);

    /// <summary>Runs accepted work; the payload is parsed again so a durable store can keep plain JSON.</summary>
    public Task RunAsync(SlackWorkItem item, CancellationToken cancellationToken = default)
    {
        switch (item.Kind)
        {
            case SlackWorkKind.Event:
                var callback = ParseEvent(item);
                return DispatchEventAsync(callback.Event, EventContext.From(callback, item.RetryNum, item.RetryReason), cancellationToken);
            case SlackWorkKind.BlockActions:
                var payload = item.Parsed as BlockActionsPayload
                    ?? (BlockActionsPayload?)JsonSerializer.Deserialize<InteractionPayload>(item.Payload, SlackJson.Options)
                    ?? throw new JsonException("Queued block_actions payload is empty.");
                return DispatchBlockActionsAsync(payload, cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(item), item.Kind, "Unknown kind of Slack work.");
        }
    }

    /// <summary>Every matching handler runs, even when an earlier one throws.</summary>
    public async Task DispatchEventAsync(SlackEvent slackEvent, EventContext context, CancellationToken cancellationToken = default)
    {
        var routes = registry.EventRoutesFor(slackEvent);
        if (routes.Count == 0)
        {
            logger.LogInformation("Ignoring Slack event {EventType} ({EventId}): no handler registered", slackEvent.Type, context.EventId);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        foreach (var route in routes)
        {
            await InvokeAsync(scope.ServiceProvider, route, slackEvent, context, cancellationToken);
        }
    }

    /// <summary>
    /// Hands the events of a run of any-order work to the handlers that take runs (<see cref="IEventRunHandler{TEvent}"/>),
    /// in one call per handler, and returns the work left to run an item at a time with <see cref="RunAsync"/>: other
    /// kinds, events with a handler that does not take runs, payloads that do not parse.
    /// </summary>
    public async Task<IReadOnlyList<PendingSlackWork>> RunTogetherAsync(IReadOnlyList<PendingSlackWork> run, CancellationToken cancellationToken = default)
    {
        if (run.Count < 2)
        {
            return run;
        }

        var left = new List<PendingSlackWork>();
        var byRoute = new Dictionary<EventRoute, List<EventInRun<SlackEvent>>>();
        foreach (var work in run)
        {
            var callback = work.Item.Kind == SlackWorkKind.Event ? TryParseEvent(work.Item) : null;
            var routes = callback is null ? [] : registry.EventRoutesFor(callback.Event);
            if (routes.Count == 0 || routes.Any(route => route.InvokeRun is null))
            {
                left.Add(work);
                continue;
            }

            var slackEvent = new EventInRun<SlackEvent>(callback!.Event, EventContext.From(callback, work.Item.RetryNum, work.Item.RetryReason));
            foreach (var route in routes)
            {
                (byRoute.TryGetValue(route, out var events) ? events : byRoute[route] = []).Add(slackEvent);
            }
        }

        foreach (var (route, events) in byRoute)
        {
            await RunRouteAsync(route, events, cancellationToken);
        }

        return left;
    }

    private async Task RunRouteAsync(EventRoute route, List<EventInRun<SlackEvent>> events, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await route.InvokeRun!(scope.ServiceProvider, events, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "{Handler} failed on a run of {Count} Slack events; running them one at a time",
                route.HandlerType.Name, events.Count);
            foreach (var (slackEvent, context) in events)
            {
                await InvokeAsync(scope.ServiceProvider, route, slackEvent, context, cancellationToken);
            }
        }
    }

    private async Task InvokeAsync(
        IServiceProvider services, EventRoute route, SlackEvent slackEvent, EventContext context, CancellationToken cancellationToken)
    {
        try
        {
            await route.Invoke(services, slackEvent, context, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailure(exception, route.HandlerType, $"Slack event {slackEvent.Type} ({context.EventId})");
        }
    }

    private static EventCallback? TryParseEvent(SlackWorkItem item)
    {
        try
        {
            return ParseEvent(item);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static EventCallback ParseEvent(SlackWorkItem item) =>
        item.Parsed as EventCallback
        ?? (EventCallback?)JsonSerializer.Deserialize<EventPayload>(item.Payload, SlackJson.Options)
        ?? throw new JsonException("Queued event payload is empty.");

    /// <summary>Null when no handler is registered; a failing handler becomes a short ephemeral apology.</summary>
    public async Task<SlashCommandResponse?> HandleSlashCommandAsync(SlashCommand command, CancellationToken cancellationToken = default)
    {
        var handlerType = registry.SlashCommandHandler(command.Command);
        if (handlerType is null)
        {
            logger.LogWarning("Ignoring slash command {Command}: no handler registered", command.Command);
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var handler = (ISlashCommandHandler)scope.ServiceProvider.GetRequiredService(handlerType);
        try
        {
            return await handler.HandleAsync(command, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailure(exception, handlerType, $"slash command {command.Command}");
            return SlashCommandResponse.Ephemeral($"Sorry, `{command.Command}` failed. Please try again.");
        }
    }

    public async Task DispatchBlockActionsAsync(BlockActionsPayload payload, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var action in payload.Actions)
        {
            await DispatchBlockActionAsync(scope.ServiceProvider, action, payload, cancellationToken);
        }
    }

    /// <summary>Null closes the modal, which is also the answer when no handler is registered or it fails.</summary>
    public async Task<ViewSubmissionResponse?> HandleViewSubmissionAsync(ViewSubmissionPayload submission, CancellationToken cancellationToken = default)
    {
        var callbackId = submission.View.CallbackId ?? "";
        var handlerType = registry.ViewSubmissionHandler(callbackId);
        if (handlerType is null)
        {
            logger.LogWarning("Ignoring view submission {CallbackId}: no handler registered", callbackId);
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var handler = (IViewSubmissionHandler)scope.ServiceProvider.GetRequiredService(handlerType);
        try
        {
            return await handler.HandleAsync(submission, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Like a failing slash command: Slack gets its answer (the modal closes) instead of a 500.
            LogFailure(exception, handlerType, $"view submission {callbackId}");
            return null;
        }
    }

    private async Task DispatchBlockActionAsync(
        IServiceProvider services, BlockAction action, BlockActionsPayload payload, CancellationToken cancellationToken)
    {
        var handlerType = registry.BlockActionHandler(action.ActionId);
        if (handlerType is null)
        {
            logger.LogInformation("Ignoring block action {ActionId}: no handler registered", action.ActionId);
            return;
        }

        try
        {
            var handler = (IBlockActionHandler)services.GetRequiredService(handlerType);
            await handler.HandleAsync(action, payload, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailure(exception, handlerType, $"block action {action.ActionId}");
        }
    }

    /// <summary>A Slack call that failed is a warning with its cause; anything else is a bug, logged with its stack trace.</summary>
    private void LogFailure(Exception exception, Type handlerType, string work)
    {
        if (exception is HttpRequestException or SlackApiException)
        {
            logger.LogWarning("{Handler} could not finish {Work}: {Cause}", handlerType.Name, work, CallFailure.Describe(exception));
        }
        else
        {
            logger.LogError(exception, "{Handler} failed on {Work}", handlerType.Name, work);
        }
    }
}
