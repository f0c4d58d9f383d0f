using System.Collections.Concurrent;
using IncidentBot.Slack.Models;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack.Handlers;

/// <summary>The routing table: which handler type serves which event type, command, action_id and callback_id.</summary>
public sealed class SlackHandlerRegistry
{
    private readonly List<EventRoute> eventRoutes = [];
    private readonly ConcurrentDictionary<Type, EventRoute[]> routesByType = new();
    private readonly Dictionary<string, Type> commands = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Type> actions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> submissions = new(StringComparer.Ordinal);

    public bool HasEventHandler(SlackEvent slackEvent) => EventRoutesFor(slackEvent).Count > 0;

    /// <summary>The event records some handler is registered for: what an app must subscribe to.</summary>
    public IReadOnlyCollection<Type> EventTypes => [.. eventRoutes.Select(route => route.EventType).Distinct()];

    /// <summary>The slash commands some handler is registered for.</summary>
    public IReadOnlyCollection<string> SlashCommands => commands.Keys;

    /// <summary>Any order only when every handler of the event said so at registration.</summary>
    public SlackWorkOrder OrderFor(SlackEvent slackEvent) =>
        EventRoutesFor(slackEvent).All(route => route.Order == SlackWorkOrder.AnyOrder)
            ? SlackWorkOrder.AnyOrder
            : SlackWorkOrder.InOrder;

    public Type? SlashCommandHandler(string command) => commands.GetValueOrDefault(command);

    public Type? BlockActionHandler(string actionId) => actions.GetValueOrDefault(actionId);

    public Type? ViewSubmissionHandler(string callbackId) => submissions.GetValueOrDefault(callbackId);

    internal IReadOnlyList<EventRoute> EventRoutesFor(SlackEvent slackEvent) =>
        routesByType.GetOrAdd(slackEvent.GetType(), type => [.. eventRoutes.Where(route => route.EventType.IsAssignableFrom(type))]);

    internal void AddEventHandler<TEvent, THandler>(SlackWorkOrder order)
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent>
    {
        routesByType.Clear();
        eventRoutes.Add(new EventRoute(
            typeof(TEvent),
            typeof(THandler),
            order,
            (services, slackEvent, context, ct) =>
                services.GetRequiredService<THandler>().HandleAsync((TEvent)slackEvent, context, ct),
            RunInvoker<TEvent, THandler>(order)));
    }

    /// <summary>Only any-order work comes in runs.</summary>
    private static Func<IServiceProvider, IReadOnlyList<EventInRun<SlackEvent>>, CancellationToken, Task>? RunInvoker<TEvent, THandler>(
        SlackWorkOrder order)
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent> =>
        order == SlackWorkOrder.AnyOrder && typeof(IEventRunHandler<TEvent>).IsAssignableFrom(typeof(THandler))
            ? (services, run, ct) => ((IEventRunHandler<TEvent>)services.GetRequiredService<THandler>()).HandleRunAsync(
                [.. run.Select(e => new EventInRun<TEvent>((TEvent)e.Event, e.Context))], ct)
            : null;

    internal void AddSlashCommandHandler(string command, Type handlerType)
    {
        if (!command.StartsWith('/'))
        {
            throw new ArgumentException($"A slash command starts with '/': '{command}'.", nameof(command));
        }

        AddUnique(commands, command, handlerType, "slash command");
    }

    internal void AddBlockActionHandler(string actionId, Type handlerType) => AddUnique(actions, actionId, handlerType, "action_id");

    internal void AddViewSubmissionHandler(string callbackId, Type handlerType) =>
        AddUnique(submissions, callbackId, handlerType, "callback_id");

    private static void AddUnique(Dictionary<string, Type> routes, string key, Type handlerType, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (!routes.TryAdd(key, handlerType))
        {
            throw new InvalidOperationException(
                $"The {kind} '{key}' is already handled by {routes[key].Name}; one handler per {kind}.");
        }
    }
}

/// <param name="InvokeRun">Set when the handler takes runs of its events (<see cref="IEventRunHandler{TEvent}"/>).</param>
internal sealed record EventRoute(
    Type EventType,
    Type HandlerType,
    SlackWorkOrder Order,
    Func<IServiceProvider, SlackEvent, EventContext, CancellationToken, Task> Invoke,
    Func<IServiceProvider, IReadOnlyList<EventInRun<SlackEvent>>, CancellationToken, Task>? InvokeRun);
