using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;
using IncidentBot.SlackApp;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.Reminders;

/// <summary>
/// Once a week (<see cref="RemindersOptions.FollowUpsEvery"/>), tells each owner of open follow-ups of resolved or
/// completed incidents, in a direct message, which ones are still theirs. The reminder is claimed per owner in the store
/// before it is sent, so each owner gets one per week across restarts and replicas. Checks run one at a time in a process.
/// </summary>
public sealed class FollowUpReminders(
    IIncidentReader reader, IReminderStore reminders, ISlackApiClient slack, IOptions<RemindersOptions> options, TimeProvider time,
    ILogger<FollowUpReminders> logger) : BackgroundService
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromHours(1);

    private static readonly IReadOnlyCollection<IncidentStatus> Over = [IncidentStatus.Resolved, IncidentStatus.Completed];

    private readonly OneCheckAtATime checks = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RemindOwnersAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>How many owners were reminded.</returns>
    public Task<int> RemindOwnersAsync(CancellationToken cancellationToken = default) => checks.RunAsync(RemindOwnersNowAsync, cancellationToken);

    private async Task<int> RemindOwnersNowAsync(CancellationToken cancellationToken)
    {
        if (options.Value.FollowUpsEvery is not { } interval)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var reminded = 0;
        foreach (var owner in (await OpenFollowUpsAsync(cancellationToken)).GroupBy(item => item.FollowUp.OwnerId!))
        {
            if (await reminders.ClaimFollowUpReminderAsync(owner.Key, interval, now, cancellationToken))
            {
                reminded += await SendAsync(owner.Key, [.. owner], now, cancellationToken) ? 1 : 0;
            }
        }

        return reminded;
    }

    private async Task<List<(Incident Incident, FollowUp FollowUp)>> OpenFollowUpsAsync(CancellationToken cancellationToken)
    {
        var open = new List<(Incident, FollowUp)>();
        var filter = new IncidentFilter { Statuses = Over, WithOpenOwnedFollowUps = true, Limit = IncidentFilter.MaxLimit };
        while (true)
        {
            var page = await reader.FindAsync(filter, cancellationToken);
            open.AddRange(page.SelectMany(i => i.FollowUps.Where(f => f.Status == FollowUpStatus.Open && f.OwnerId is not null).Select(f => (i, f))));
            if (page.Count < filter.Limit)
            {
                return open;
            }

            filter = filter with { BeforeNumber = page[^1].Number };
        }
    }

    private async Task<bool> SendAsync(string owner, IReadOnlyList<(Incident Incident, FollowUp FollowUp)> items, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        try
        {
            await slack.Chat.PostMessageAsync(new ChatMessage(owner, Text(items)), cancellationToken);
            logger.LogInformation("Reminded {Owner} of {Count} open follow-ups", owner, items.Count);
            return true;
        }
        catch (Exception refused) when (refused is SlackApiException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The follow-up reminder to {Owner} could not be sent ({Error}); trying again at the next check", owner, refused.Message);
            await reminders.ReleaseFollowUpReminderAsync(owner, claimedAt, cancellationToken);
            return false;
        }
    }

    public static string Text(IReadOnlyList<(Incident Incident, FollowUp FollowUp)> items)
    {
        var lines = items.Take(30).Select(item =>
            $"• *{item.Incident.Reference}*{(item.Incident.ChannelId is { } channel ? $" {SlackText.Channel(channel)}" : "")}: {IncidentMessages.FollowUpLine(item.FollowUp)}");
        var more = items.Count > 30 ? $"\n… and {items.Count - 30} more" : "";
        var these = items.Count == 1 ? "This follow-up of a resolved incident is" : $"These {items.Count} follow-ups of resolved incidents are";
        return $":clipboard: {these} still open and yours:\n{string.Join("\n", lines)}{more}\n" +
               "Close one with `/incident followup INC-<n> done <number>` when it is done.";
    }

    public override void Dispose()
    {
        checks.Dispose();
        base.Dispose();
    }
}
