using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentBot.Slack;

/// <summary>
/// Registers handlers so that the registration reads like a routing table:
/// <code>
/// services.AddSlack(configuration.GetSection("Slack"))
///     .AddEventHandler&lt;AppMention, MentionHandler&gt;()
///     .AddSlashCommandHandler&lt;IncidentCommand&gt;(IncidentCommand.Name)
///     .AddBlockActionHandler&lt;CardButtons&gt;(CardButtons.AcknowledgeId);
/// </code>
/// Handlers are scoped: each payload gets its own scope.
/// </summary>
public sealed class SlackBuilder(IServiceCollection services, SlackHandlerRegistry registry)
{
    public IServiceCollection Services { get; } = services;

    public SlackBuilder AddEventHandler<TEvent, THandler>()
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent>
    {
        Services.TryAddScoped<THandler>();
        registry.AddEventHandler<TEvent, THandler>();
        return this;
    }

    public SlackBuilder AddSlashCommandHandler<THandler>(string command) where THandler : class, ISlashCommandHandler
    {
        Services.TryAddScoped<THandler>();
        registry.AddSlashCommandHandler(command, typeof(THandler));
        return this;
    }

    public SlackBuilder AddBlockActionHandler<THandler>(string actionId) where THandler : class, IBlockActionHandler
    {
        Services.TryAddScoped<THandler>();
        registry.AddBlockActionHandler(actionId, typeof(THandler));
        return this;
    }

    public SlackBuilder AddViewSubmissionHandler<THandler>(string callbackId) where THandler : class, IViewSubmissionHandler
    {
        Services.TryAddScoped<THandler>();
        registry.AddViewSubmissionHandler(callbackId, typeof(THandler));
        return this;
    }

    /// <summary>Replaces the in-memory work queue, e.g. with a durable one that calls <see cref="SlackDispatcher.RunAsync"/>.</summary>
    /// <remarks>Resolved through <typeparamref name="TQueue"/>, so one class can be both queue and deduplicator.</remarks>
    public SlackBuilder UseWorkQueue<TQueue>() where TQueue : class, ISlackWorkQueue
    {
        Services.TryAddSingleton<TQueue>();
        Services.Replace(ServiceDescriptor.Singleton<ISlackWorkQueue>(provider => provider.GetRequiredService<TQueue>()));
        return this;
    }

    /// <summary>Replaces the in-memory deduplicator, e.g. with one that survives restarts and spans replicas.</summary>
    public SlackBuilder UseEventDeduplicator<TDeduplicator>() where TDeduplicator : class, IEventDeduplicator
    {
        Services.TryAddSingleton<TDeduplicator>();
        Services.Replace(ServiceDescriptor.Singleton<IEventDeduplicator>(provider => provider.GetRequiredService<TDeduplicator>()));
        return this;
    }
}
