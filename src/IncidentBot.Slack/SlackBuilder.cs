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

    /// <param name="order">
    /// <see cref="SlackWorkOrder.AnyOrder"/> when the handler reaches the same result whatever order its events run
    /// in, so a burst of them can run concurrently; otherwise each runs after the work accepted before it.
    /// </param>
    public SlackBuilder AddEventHandler<TEvent, THandler>(SlackWorkOrder order = SlackWorkOrder.InOrder)
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent>
    {
        Services.TryAddScoped<THandler>();
        registry.AddEventHandler<TEvent, THandler>(order);
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
}
