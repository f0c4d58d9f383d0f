using IncidentBot.Cluster;
using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>
/// Fills the gap a stop or a lost connection left in the timelines: reads each open incident's channel
/// history (and the threads in it) since shortly before the newest message stored, and stores what is
/// missing. Storing is keyed by (channel, ts), so reading a message twice does no harm.
/// </summary>
public sealed class ChannelCatchUp(
    IIncidentReader reader,
    IncidentService incidents,
    ISlackApiClient slack,
    SlackIdentity identity,
    ClusterJobs jobs,
    IHostApplicationLifetime lifetime,
    ILogger<ChannelCatchUp> logger)
    : BackgroundService, ISlackConnectionObserver
{
    // Replies to a thread started a little before the last stored message show only under that parent.
    private static readonly TimeSpan ThreadLookBack = TimeSpan.FromHours(24);

    private readonly SemaphoreSlim running = new(1, 1);

    /// <summary>A dropped Socket Mode connection may have missed events: read them back.</summary>
    public void OnReconnected() => _ = CatchUpInBackgroundAsync(lifetime.ApplicationStopping);

    /// <summary>
    /// Catches up every open incident's channel; one pass at a time in the cluster (<see cref="ClusterJob.ChannelCatchUp"/>).
    /// A pass another replica is making serves this one too, unless that replica dies on the way.
    /// </summary>
    /// <returns>How many messages this pass stored.</returns>
    public async Task<int> CatchUpAllAsync(CancellationToken cancellationToken = default)
    {
        await running.WaitAsync(cancellationToken);
        try
        {
            var stored = 0;
            await jobs.RunOnceAsync(ClusterJob.ChannelCatchUp, async token =>
            {
                var open = await reader.FindAsync(IncidentFilter.Open(), token);
                foreach (var incident in open.Where(i => i.ChannelId is not null))
                {
                    stored += await CatchUpAsync(incident, token);
                }
            }, cancellationToken);
            return stored;
        }
        finally
        {
            running.Release();
        }
    }

    public async Task<int> CatchUpAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        var channel = incident.ChannelId!;
        try
        {
            var bot = await identity.GetAsync(cancellationToken);
            var latest = await reader.GetLatestMessageTsAsync(channel, cancellationToken) is { } ts ? SlackTs.Parse(ts) : (SlackTs?)null;
            var oldest = latest is { } newest ? SlackTs.FromDateTimeOffset(newest.ToDateTimeOffset() - ThreadLookBack).Value : null;
            var added = 0;
            await foreach (var message in slack.Conversations.EnumerateHistoryAsync(channel, oldest: oldest, cancellationToken: cancellationToken))
            {
                added += await StoreAsync(incident, channel, message, bot, cancellationToken);
                if (message.ReplyCount > 0 && (latest is null || (SlackTs.TryParse(message.LatestReply, out var latestReply) && latestReply > latest)))
                {
                    await foreach (var reply in slack.Conversations.EnumerateRepliesAsync(channel, message.Ts, cancellationToken: cancellationToken))
                    {
                        added += reply.Ts == message.Ts ? 0 : await StoreAsync(incident, channel, reply, bot, cancellationToken);
                    }
                }
            }

            if (added > 0)
            {
                logger.LogInformation("{Incident}: caught up {Count} messages from channel history", incident.Reference, added);
            }

            return added;
        }
        catch (SlackApiException refused)
        {
            logger.LogWarning("{Incident}: could not read the channel history ({Error})", incident.Reference, refused.Error);
            return 0;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => CatchUpInBackgroundAsync(stoppingToken);

    private async Task CatchUpInBackgroundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CatchUpAllAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or SlackApiException && !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Catching up incident channels failed: {Cause}", CallFailure.Describe(exception));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<int> StoreAsync(Incident incident, string channel, SlackMessage message, BotIdentity bot, CancellationToken cancellationToken) =>
        SlackMessageEntries.FromHistory(channel, message, bot) is { } entry && await incidents.RecordMessageAsync(incident.Number, entry, cancellationToken) ? 1 : 0;
}
