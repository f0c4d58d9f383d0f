using System.Collections.Concurrent;
using IncidentBot.Incidents;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using IncidentBot.Storage;

namespace IncidentBot.SlackApp;

/// <summary>
/// Who in Slack sees which private incident: the members of its private channel (<c>conversations.members</c>), read
/// again after <see cref="CacheFor"/> and at once when someone joins or leaves the channel. Before its channel is open,
/// its declarer and commander. What Slack will not say (the bot was removed from the channel) counts as no one.
/// </summary>
public sealed class PrivateIncidentMembers(IIncidentReader reader, ISlackApiClient slack, TimeProvider time, ILogger<PrivateIncidentMembers> logger)
    : IEventHandler<MemberJoinedChannel>, IEventHandler<MemberLeftChannel>
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    // A slash command is answered within Slack's 3 seconds: channels not in the cache are read a few at a time.
    private const int ReadsAtOnce = 4;

    private readonly ConcurrentDictionary<string, (IReadOnlySet<string> Members, DateTimeOffset ReadAt)> channels = new();

    /// <summary>The audience of what one person reads alone: an ephemeral answer, their App Home.</summary>
    public async Task<IncidentAudience> OfUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        var seen = new ConcurrentBag<long>();
        for (long? before = null; ;)
        {
            var page = await reader.FindAsync(
                new IncidentFilter { IsPrivate = true, BeforeNumber = before, Limit = IncidentFilter.MaxLimit }, cancellationToken);
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = ReadsAtOnce, CancellationToken = cancellationToken }, async (incident, token) =>
            {
                if (await IsMemberAsync(incident, userId, token))
                {
                    seen.Add(incident.Number);
                }
            });

            if (page.Count < IncidentFilter.MaxLimit)
            {
                return IncidentAudience.MembersOf(seen);
            }

            before = page[^1].Number;
        }
    }

    /// <summary>
    /// The audience of an answer posted in a channel, which everyone there reads: in a private incident's own channel,
    /// that incident; in any other channel, no private incident.
    /// </summary>
    public async Task<IncidentAudience> OfChannelAsync(string channelId, CancellationToken cancellationToken = default) =>
        await reader.FindByChannelAsync(channelId, cancellationToken) is { IsPrivate: true } incident
            ? IncidentAudience.MembersOf([incident.Number])
            : IncidentAudience.PublicOnly;

    public Task HandleAsync(MemberJoinedChannel joined, EventContext context, CancellationToken cancellationToken) => Forget(joined.Channel);

    public Task HandleAsync(MemberLeftChannel left, EventContext context, CancellationToken cancellationToken) => Forget(left.Channel);

    private Task Forget(string channelId)
    {
        channels.TryRemove(channelId, out _);
        return Task.CompletedTask;
    }

    private async Task<bool> IsMemberAsync(Incident incident, string userId, CancellationToken cancellationToken) =>
        incident.ChannelId is { } channel
            ? (await MembersAsync(channel, cancellationToken)).Contains(userId)
            : userId == incident.DeclaredBy || userId == incident.CommanderId;

    private async Task<IReadOnlySet<string>> MembersAsync(string channelId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (channels.TryGetValue(channelId, out var cached) && now - cached.ReadAt < CacheFor)
        {
            return cached.Members;
        }

        HashSet<string> members = [];
        try
        {
            await foreach (var member in slack.Conversations.EnumerateMembersAsync(channelId, cancellationToken: cancellationToken))
            {
                members.Add(member);
            }
        }
        catch (SlackApiException refused)
        {
            logger.LogWarning("Slack would not list the members of private channel {Channel} ({Error}): no one sees its incident", channelId, refused.Error);
            return members;
        }

        channels[channelId] = (members, now);
        return members;
    }
}
