using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentBot.Cluster;
using IncidentBot.Incidents;
using IncidentBot.Slack;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.SlackApp;

/// <summary>
/// Brings each incident's Slack presence up to date with the stored incident: opens its channel,
/// keeps the topic and the pinned card current, posts one line per change, and announces declarations
/// and status changes. It works from the stored state and records how far it got, so a change made
/// anywhere (REST, slash command, mention, button) is said exactly once, in order, even across a
/// restart or a Slack outage; a failed incident is retried with backoff without holding up the others.
/// </summary>
public sealed class IncidentChannelSync(
    ChannelSyncQueue queue,
    IIncidentReader reader,
    IncidentService incidents,
    ISlackSyncStore syncStore,
    IIncidentLeases leases,
    ClusterJobs jobs,
    ISlackApiClient slack,
    SlackIdentity identity,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<IncidentChannelSync> logger) : BackgroundService
{
    private static readonly TimeSpan RescanInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(2);
    private const int IncidentsAtOnce = 4;

    private string? announcementChannelId;

    // The first rescan in this process tries at once, since a restart is often what fixed the problem.
    private bool rescannedHere;

    // Each incident's progress as this process last recorded or checked it against what Slack shows. A record that
    // differs was written by another replica since, which may have died between posting and recording: checked again.
    private readonly ConcurrentDictionary<long, SlackSyncState> known = new();

    /// <summary>
    /// Brings one incident up to date now; false when Slack refused and a retry is scheduled. While another replica
    /// is at it, leaves it to that one: what it misses, the next rescan finds behind.
    /// </summary>
    /// <param name="committed">The incident as a change just committed it, if known: it need not be read again.</param>
    public async Task<bool> SyncAsync(
        long number, bool ignoreBackoff = false, Incident? committed = null, CancellationToken cancellationToken = default)
    {
        await using var lease = await leases.TryTakeAsync(IncidentWork.SlackChannel, number, cancellationToken);
        if (lease is null)
        {
            return true;
        }

        var state = await syncStore.GetAsync(number, cancellationToken) ?? new SlackSyncState(number);
        if (!ignoreBackoff && state.NextAttemptAt > time.GetUtcNow())
        {
            return false;
        }

        // Another replica may have shown a later version meanwhile; the card never goes back to an older one.
        var incident = committed is not null && committed.Version >= state.CardVersion ? committed : await reader.GetAsync(number, cancellationToken);
        if (incident is null)
        {
            return true;
        }

        try
        {
            state = await BringUpToDateAsync(incident, state, cancellationToken);
            if (state.Attempts > 0)
            {
                logger.LogInformation("{Incident}: Slack is up to date again after {Attempts} failed attempts", incident.Reference, state.Attempts);
                await syncStore.SaveAsync(state with { Attempts = 0, NextAttemptAt = default, LastError = null }, cancellationToken);
            }

            return true;
        }
        catch (Exception exception) when (exception is SlackApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await ScheduleRetryAsync(incident, exception, cancellationToken);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await IntroduceAsync(stoppingToken);
            await Task.WhenAll(jobs.RunWhileHeldAsync(ClusterJob.ChannelRescan, RescanAsync, stoppingToken), DrainAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Asks Slack who the bot is at start, so a wrong token shows in the log at once rather than at the first incident.</summary>
    private async Task IntroduceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var bot = await identity.GetAsync(stoppingToken);
            logger.LogInformation("Slack: connected to {Workspace} as bot user {BotUserId}", bot.WorkspaceUrl, bot.UserId);
        }
        catch (SlackApiException refused)
        {
            logger.LogError("Slack answered auth.test with {Error}; check Slack:BotToken. Retrying with each incident change.", refused.Error);
        }
        catch (HttpRequestException unreachable) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Slack could not be reached at {ApiBaseUrl}: {Cause}; check Slack:ApiBaseUrl and the network. Retrying with each incident change.",
                options.Value.ApiBaseUrl, CallFailure.Describe(unreachable));
        }
    }

    /// <summary>
    /// Finds what a restart, a failure or a replica that died left behind: when this replica takes the job (at start,
    /// or over from another), then now and again, respecting each incident's retry time but at the first rescan here.
    /// One replica of the cluster at a time runs it (<see cref="ClusterJob.ChannelRescan"/>).
    /// </summary>
    private async Task RescanAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RescanInterval, time);
        do
        {
            foreach (var number in await syncStore.ListBehindAsync(1000, stoppingToken))
            {
                queue.Add(number, ignoreBackoff: !rescannedHere);
            }

            rescannedHere = true;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Works on a few incidents at once, so one waiting for its turn at a rate-limited method (Slack allows
    /// 20 new channels, topics or pins a minute) does not hold up the channel of the next one.
    /// </summary>
    private Task DrainAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            queue.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = IncidentsAtOnce, CancellationToken = stoppingToken },
            async (due, cancellationToken) =>
            {
                try
                {
                    await SyncAsync(due.Number, due.IgnoreBackoff, due.Committed, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogError(exception, "Bringing INC-{Number} up to date in Slack failed", due.Number);
                }
                finally
                {
                    queue.Done(due.Number);
                }
            });

    private async Task<SlackSyncState> BringUpToDateAsync(Incident incident, SlackSyncState state, CancellationToken cancellationToken)
    {
        if (incident.ChannelId is null)
        {
            if (!incident.Status.IsOpen())
            {
                return state; // Over before Slack heard of it: no channel for a closed incident.
            }

            incident = await OpenChannelAsync(incident, cancellationToken);
            known[incident.Number] = state; // A channel opened just now holds nothing said before.
        }

        var channel = incident.ChannelId!;
        if (!known.TryGetValue(incident.Number, out var recorded) || !SameProgress(recorded, state))
        {
            state = await ReconcileAsync(incident, channel, state, cancellationToken);
            known[incident.Number] = state;
        }

        state = await SetTopicAsync(incident, channel, state, cancellationToken);
        state = await UpdateCardAsync(incident, channel, state, cancellationToken);
        state = await PostLinesAsync(incident, channel, state, cancellationToken);
        return await AnnounceAsync(incident, state, cancellationToken);
    }

    private async Task<Incident> OpenChannelAsync(Incident incident, CancellationToken cancellationToken)
    {
        var channel = await CreateChannelAsync(incident, cancellationToken);
        var attached = await incidents.AttachChannelAsync(incident.Number, channel.Id, channel.Name ?? "", cancellationToken);
        logger.LogInformation("{Incident} channel #{ChannelName} ({ChannelId}) opened", incident.Reference, channel.Name, channel.Id);
        await InviteAsync(channel.Id, [incident.DeclaredBy, incident.CommanderId], cancellationToken);
        return attached;
    }

    private async Task<Conversation> CreateChannelAsync(Incident incident, CancellationToken cancellationToken)
    {
        var bot = await identity.GetAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var name = ChannelNamer.Name(incident.Number, incident.Title, attempt);
            try
            {
                return await slack.Conversations.CreateAsync(name, incident.IsPrivate, cancellationToken);
            }
            catch (SlackApiException taken) when (taken.Error == "name_taken" && attempt < 50)
            {
                // A channel this bot made for this incident before a crash kept it from being recorded.
                if (await FindOwnChannelAsync(name, bot, cancellationToken) is { } own)
                {
                    return own;
                }
            }
        }
    }

    private async Task<Conversation?> FindOwnChannelAsync(string name, BotIdentity bot, CancellationToken cancellationToken)
    {
        await foreach (var channel in slack.Conversations.EnumerateListAsync("public_channel,private_channel", cancellationToken: cancellationToken))
        {
            if (channel.Name == name)
            {
                return channel.Creator == bot.UserId ? channel : null;
            }
        }

        return null;
    }

    private async Task InviteAsync(string channelId, IEnumerable<string?> people, CancellationToken cancellationToken)
    {
        var users = people.Where(SlackUserId.IsValid).Distinct().Cast<string>().ToList();
        foreach (var user in users)
        {
            try
            {
                await slack.Conversations.InviteAsync(channelId, [user], cancellationToken);
            }
            catch (SlackApiException refused) when (refused.Error is "already_in_channel" or "cant_invite_self" or "user_not_found" or "cant_invite")
            {
                logger.LogInformation("Not inviting {User} to {ChannelId}: {Error}", user, channelId, refused.Error);
            }
        }
    }

    private async Task<SlackSyncState> SetTopicAsync(Incident incident, string channel, SlackSyncState state, CancellationToken cancellationToken)
    {
        var topic = IncidentMessages.Topic(incident);
        if (topic == state.Topic)
        {
            return state;
        }

        await slack.Conversations.SetTopicAsync(channel, topic, cancellationToken);
        return await SaveAsync(state with { Topic = topic }, cancellationToken);
    }

    private async Task<SlackSyncState> UpdateCardAsync(Incident incident, string channel, SlackSyncState state, CancellationToken cancellationToken)
    {
        var blocks = IncidentMessages.Card(incident, time.GetUtcNow());
        var fallback = IncidentMessages.CardFallback(incident);
        if (state.CardTs is null)
        {
            var posted = await slack.Chat.PostMessageAsync(
                new ChatMessage(channel, fallback) { Blocks = blocks, Metadata = Mark(CardMark, incident.Number) }, cancellationToken);
            state = await SaveAsync(state with { CardTs = posted.Ts, CardVersion = incident.Version }, cancellationToken);
            await slack.Pins.AddAsync(channel, posted.Ts, cancellationToken);
            return state;
        }

        if (state.CardVersion >= incident.Version)
        {
            return state;
        }

        await slack.Chat.UpdateAsync(new MessageUpdate(channel, state.CardTs, fallback) { Blocks = blocks }, cancellationToken);
        return await SaveAsync(state with { CardVersion = incident.Version }, cancellationToken);
    }

    private async Task<SlackSyncState> PostLinesAsync(Incident incident, string channel, SlackSyncState state, CancellationToken cancellationToken)
    {
        foreach (var entry in await reader.GetChangesAfterAsync(incident.Number, state.LinesThroughEntryId, cancellationToken: cancellationToken))
        {
            // The declaration is what the card shows; a line for it would say the same twice.
            if (entry.Kind != TimelineEntryKind.Declared && IncidentMessages.ChannelLine(incident, entry) is { } line)
            {
                await slack.Chat.PostMessageAsync(new ChatMessage(channel, line) { Metadata = Mark(LineMark, incident.Number, entry.Id) }, cancellationToken);
            }

            if (entry.Kind is TimelineEntryKind.CommanderChanged or TimelineEntryKind.RoleAssigned)
            {
                // The entry says who, even when the incident read earlier is older than the entry.
                await InviteAsync(channel, [entry.Data?["to"]?.GetValue<string>()], cancellationToken);
                await TellRoleHolderAsync(incident, channel, entry, cancellationToken);
            }

            state = await SaveAsync(state with { LinesThroughEntryId = entry.Id }, cancellationToken);
        }

        return state;
    }

    /// <summary>The new holder of a role besides the commander hears, alone, what the role does.</summary>
    private async Task TellRoleHolderAsync(Incident incident, string channel, TimelineEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Kind != TimelineEntryKind.RoleAssigned || entry.Data?["to"]?.GetValue<string>() is not { } holder
            || entry.Data["role"]?.GetValue<string>() is not { } role)
        {
            return;
        }

        try
        {
            await slack.Chat.PostEphemeralAsync(holder, new ChatMessage(channel, IncidentMessages.RoleNote(incident, role, incidents.Roles.Does(role))), cancellationToken);
        }
        catch (SlackApiException refused)
        {
            logger.LogInformation("{Incident}: could not tell {User} what the {Role} does: {Error}", incident.Reference, holder, role, refused.Error);
        }
    }

    private async Task<SlackSyncState> AnnounceAsync(Incident incident, SlackSyncState state, CancellationToken cancellationToken)
    {
        var announcementChannel = await AnnouncementChannelAsync(cancellationToken);
        foreach (var entry in await reader.GetChangesAfterAsync(incident.Number, state.AnnouncedThroughEntryId, cancellationToken: cancellationToken))
        {
            // A private incident is never announced: the announcement channel's readers are not its members.
            if (!string.IsNullOrWhiteSpace(announcementChannel) && !incident.IsPrivate && IncidentMessages.Announcement(incident, entry) is { } line)
            {
                await PostJoiningIfNeededAsync(
                    new ChatMessage(announcementChannel, line) { Metadata = Mark(AnnouncementMark, incident.Number, entry.Id) }, cancellationToken);
            }

            state = await SaveAsync(state with { AnnouncedThroughEntryId = entry.Id }, cancellationToken);
        }

        return state;
    }

    private const string CardMark = "incidentbot_card";
    private const string LineMark = "incidentbot_change";
    private const string AnnouncementMark = "incidentbot_announcement";

    /// <summary>Every message the bot posts carries what it is, so it can be recognised after a crash.</summary>
    private static MessageMetadata Mark(string kind, long incident, long? entry = null)
    {
        var payload = new JsonObject { ["incident"] = incident };
        if (entry is { } id)
        {
            payload["entry"] = id;
        }

        return new MessageMetadata(kind, payload);
    }

    /// <summary>
    /// A crash between posting a message and recording it would post it again after the restart, or from another
    /// replica. So, the first time this process works on an incident, and whenever another replica has recorded
    /// progress since this one last did, the latest messages of its channel (and of the announcement channel) show
    /// what was already said, and the record is moved up to match.
    /// </summary>
    private async Task<SlackSyncState> ReconcileAsync(Incident incident, string channel, SlackSyncState state, CancellationToken cancellationToken)
    {
        var bot = await identity.GetAsync(cancellationToken);
        var seen = await RecentMarksAsync(channel, bot, incident.Number, cancellationToken);
        var reconciledState = state with
        {
            CardTs = state.CardTs ?? seen.CardTs,
            LinesThroughEntryId = Math.Max(state.LinesThroughEntryId, seen.LastEntry(LineMark)),
        };
        if (await AnnouncementChannelAsync(cancellationToken) is { Length: > 0 } announcements && announcements != channel)
        {
            var announced = await RecentMarksAsync(announcements, bot, incident.Number, cancellationToken);
            reconciledState = reconciledState with
            {
                AnnouncedThroughEntryId = Math.Max(reconciledState.AnnouncedThroughEntryId, announced.LastEntry(AnnouncementMark)),
            };
        }

        return reconciledState == state ? state : await SaveAsync(reconciledState, cancellationToken);
    }

    private async Task<SeenMarks> RecentMarksAsync(string channel, BotIdentity bot, long incident, CancellationToken cancellationToken)
    {
        var page = await slack.Conversations.HistoryAsync(channel, limit: 100, cancellationToken: cancellationToken);
        var marks = page.Messages
            .Where(m => bot.IsSelf(m.User, m.BotId) && m.Metadata?.EventPayload["incident"]?.GetValue<long>() == incident)
            .Select(m => (m.Ts, Kind: m.Metadata!.EventType, Entry: m.Metadata.EventPayload["entry"]?.GetValue<long>()))
            .ToList();
        return new SeenMarks(marks.FirstOrDefault(m => m.Kind == CardMark).Ts, marks.Select(m => (m.Kind, m.Entry)).ToList());
    }

    private sealed record SeenMarks(string? CardTs, IReadOnlyList<(string Kind, long? Entry)> Entries)
    {
        public long LastEntry(string kind) => Entries.Where(e => e.Kind == kind).Select(e => e.Entry ?? 0).DefaultIfEmpty(0).Max();
    }

    /// <summary>A public channel the bot was never added to can be joined (scope channels:join).</summary>
    private async Task PostJoiningIfNeededAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await slack.Chat.PostMessageAsync(message, cancellationToken);
        }
        catch (SlackApiException outside) when (outside.Error == "not_in_channel")
        {
            await slack.Conversations.JoinAsync(message.Channel, cancellationToken);
            await slack.Chat.PostMessageAsync(message, cancellationToken);
        }
    }

    /// <summary>The configured channel id, or the id of the configured <c>#name</c>, looked up once.</summary>
    private async Task<string?> AnnouncementChannelAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.AnnouncementChannel?.Trim();
        if (string.IsNullOrEmpty(configured) || !configured.StartsWith('#'))
        {
            return configured;
        }

        if (announcementChannelId is null)
        {
            await foreach (var channel in slack.Conversations.EnumerateListAsync("public_channel,private_channel", cancellationToken: cancellationToken))
            {
                if (channel.Name == configured[1..])
                {
                    announcementChannelId = channel.Id;
                    break;
                }
            }

            if (announcementChannelId is null)
            {
                throw new SlackApiException("conversations.list", "channel_not_found", [$"Slack:AnnouncementChannel {configured} was not found"]);
            }
        }

        return announcementChannelId;
    }

    private async Task<SlackSyncState> SaveAsync(SlackSyncState state, CancellationToken cancellationToken)
    {
        await syncStore.SaveAsync(state, cancellationToken);
        known[state.IncidentNumber] = state;
        return state;
    }

    private static bool SameProgress(SlackSyncState a, SlackSyncState b) =>
        (a.CardTs, a.CardVersion, a.Topic, a.LinesThroughEntryId, a.AnnouncedThroughEntryId) ==
        (b.CardTs, b.CardVersion, b.Topic, b.LinesThroughEntryId, b.AnnouncedThroughEntryId);

    private async Task ScheduleRetryAsync(Incident incident, Exception exception, CancellationToken cancellationToken)
    {
        var state = await syncStore.GetAsync(incident.Number, cancellationToken) ?? new SlackSyncState(incident.Number);
        var attempts = state.Attempts + 1;
        var delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 5 * Math.Pow(2, attempts - 1)));
        await syncStore.SaveAsync(
            state with { Attempts = attempts, NextAttemptAt = time.GetUtcNow() + delay, LastError = exception.Message },
            cancellationToken);
        // One line per backoff step; "refused" only when Slack answered.
        if (CallFailure.WasAnswered(exception))
        {
            logger.LogWarning("{Incident}: Slack refused an update: {Cause}; attempt {Attempts}, retrying in {Seconds} s",
                incident.Reference, CallFailure.Describe(exception), attempts, delay.TotalSeconds);
        }
        else
        {
            logger.LogWarning("{Incident}: Slack could not be reached: {Cause}; attempt {Attempts}, retrying in {Seconds} s",
                incident.Reference, CallFailure.Describe(exception), attempts, delay.TotalSeconds);
        }
    }
}
