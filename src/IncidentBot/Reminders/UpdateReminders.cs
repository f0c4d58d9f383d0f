using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;
using IncidentBot.SlackApp;
using IncidentBot.Storage;
using IncidentBot.Telemetry;
using Microsoft.Extensions.Options;

namespace IncidentBot.Reminders;

/// <summary>
/// Once a minute, reminds the channel of each active incident that has gone without an update (an <c>update</c> post,
/// a status or severity change) for its severity's interval: one message mentioning the commander, with the buttons
/// of <see cref="ReminderActions"/>. A reminder is claimed in the store before it is posted, so it is posted once per
/// interval across restarts and replicas; stable and resolved incidents get none. Checks run one at a time in a process.
/// </summary>
public sealed class UpdateReminders(
    IIncidentReader reader, IReminderStore reminders, ISlackApiClient slack, IOptions<RemindersOptions> options, TimeProvider time,
    IncidentBotMetrics metrics, ILogger<UpdateReminders> logger) : BackgroundService
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);

    private readonly OneCheckAtATime checks = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RemindWhereDueAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>How many reminders were posted.</returns>
    public Task<int> RemindWhereDueAsync(CancellationToken cancellationToken = default) => checks.RunAsync(RemindWhereDueNowAsync, cancellationToken);

    private async Task<int> RemindWhereDueNowAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = (await reader.FindAsync(IncidentFilter.Open() with { Statuses = [IncidentStatus.Active] }, cancellationToken))
            .Where(i => i.ChannelId is not null && options.Value.IntervalFor(i.Severity) is not null)
            .ToList();
        var lastUpdates = await reader.GetLastUpdatesAsync([.. active.Select(i => i.Number)], cancellationToken);
        var posted = 0;
        foreach (var incident in active)
        {
            var interval = options.Value.IntervalFor(incident.Severity)!.Value;
            var lastUpdate = lastUpdates.GetValueOrDefault(incident.Number, incident.DeclaredAt);
            if (now - lastUpdate >= interval && await reminders.ClaimAsync(incident.Number, lastUpdate, interval, now, cancellationToken))
            {
                posted += await PostAsync(incident, now - lastUpdate, now, cancellationToken) ? 1 : 0;
            }
        }

        return posted;
    }

    private async Task<bool> PostAsync(Incident incident, TimeSpan quiet, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        try
        {
            var text = ReminderActions.Text(incident, quiet);
            await slack.Chat.PostMessageAsync(new ChatMessage(incident.ChannelId!, text) { Blocks = ReminderActions.Blocks(incident, text) }, cancellationToken);
            logger.LogInformation("{Incident}: reminded the channel to post an update ({Quiet} without one)", incident.Reference, SlackText.Duration(quiet));
            metrics.Reminded(incident);
            return true;
        }
        catch (Exception refused) when (refused is SlackApiException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("{Incident}: the update reminder could not be posted ({Error}); trying again at the next check", incident.Reference, refused.Message);
            await reminders.ReleaseAsync(incident.Number, claimedAt, cancellationToken);
            return false;
        }
    }

    public override void Dispose()
    {
        checks.Dispose();
        base.Dispose();
    }
}
