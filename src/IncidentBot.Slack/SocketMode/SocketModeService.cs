using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Socket Mode: Slack delivers events, slash commands and interactions over WebSockets that this
/// service opens, so the bot needs no public URL. Every payload goes to the same
/// <see cref="SlackInbox"/> as in HTTP mode, so handlers, deduplication and the inbox are shared.
/// </summary>
/// <remarks>
/// <see cref="SlackServiceCollectionExtensions.AddSlack(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{SlackOptions})"/>
/// always registers this service; it connects only when <see cref="SlackOptions.AppToken"/> is set
/// and otherwise ends at once, so configuration alone turns Socket Mode on. It keeps
/// <see cref="SlackOptions.SocketModeConnections"/> connections open; each envelope comes on one of
/// them, and the inbox's event_id deduplication absorbs the duplicates that overlapping
/// connections and Slack's retries produce.
/// </remarks>
public sealed class SocketModeService(
    ISlackApiClient slack,
    SlackInbox inbox,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILoggerFactory loggers,
    IEnumerable<ISlackConnectionObserver> observers) : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger<SocketModeService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.AppToken))
        {
            logger.LogDebug("Socket Mode is off: Slack:AppToken is not set");
            return;
        }

        logger.LogInformation("Socket Mode: connecting to Slack (connections to keep open: {Count})", settings.SocketModeConnections);
        // Cancelled by shutdown, or by a link that learns Socket Mode cannot work (bad token, disabled).
        using var stopSocketMode = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var envelopes = new SocketModeEnvelopeHandler(inbox, loggers.CreateLogger<SocketModeEnvelopeHandler>());
        var connector = new SocketModeConnector(slack, envelopes, settings, timeProvider, logger, stoppingToken);
        var backoff = new ReconnectBackoff(settings.SocketModeReconnectDelay, settings.SocketModeMaxReconnectDelay);
        var links = Enumerable.Range(1, settings.SocketModeConnections)
            .Select(number => new SocketModeLink(number, connector, backoff, stopSocketMode, timeProvider, logger, NotifyReconnected).RunAsync());
        await Task.WhenAll(links);
    }

    private void NotifyReconnected()
    {
        foreach (var observer in observers)
        {
            observer.OnReconnected();
        }
    }
}
