using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// The default inbox: pending work and the event ids of the past hour, in memory. A restart loses both, so an
/// application that must not lose work plugs in a durable <see cref="ISlackInboxStore"/>.
/// </summary>
public sealed class InMemorySlackInboxStore(IOptions<SlackOptions> options, TimeProvider timeProvider) : ISlackInboxStore
{
    // Slack's last retry comes ~6 minutes after the first delivery; an hour leaves a wide margin.
    private static readonly TimeSpan ClaimWindow = TimeSpan.FromHours(1);
    private const int MaxClaims = 10_000;

    private readonly Lock gate = new();
    private readonly SortedDictionary<long, SlackWorkItem> pending = [];
    private readonly LinkedList<(string EventId, DateTimeOffset ClaimedAt)> claimsByAge = new();
    private readonly HashSet<string> claims = new(StringComparer.Ordinal);
    private readonly Channel<bool> wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long lastId;

    public ValueTask<Acceptance> AcceptAsync(SlackWorkItem item, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (item.EventId is { } eventId && !TryClaim(eventId))
            {
                return ValueTask.FromResult(Acceptance.Duplicate);
            }

            if (pending.Count >= options.Value.WorkQueueCapacity)
            {
                if (item.EventId is { } claimed)
                {
                    // Slack's retry must be taken once there is room.
                    claims.Remove(claimed);
                    claimsByAge.RemoveLast();
                }

                return ValueTask.FromResult(Acceptance.Rejected);
            }

            pending.Add(++lastId, item);
        }

        wakeUp.Writer.TryWrite(true);
        return ValueTask.FromResult(Acceptance.Queued);
    }

    public Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<PendingSlackWork> batch =
                [.. pending.Where(p => p.Key > afterId).Take(limit).Select(p => new PendingSlackWork(p.Key, p.Value))];
            return Task.FromResult(batch);
        }
    }

    public Task CompleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            foreach (var id in ids)
            {
                pending.Remove(id);
            }
        }

        return Task.CompletedTask;
    }

    public async Task WaitForWorkAsync(CancellationToken cancellationToken) => await wakeUp.Reader.ReadAsync(cancellationToken);

    public Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(pending.Count);
        }
    }

    private bool TryClaim(string eventId)
    {
        var now = timeProvider.GetUtcNow();
        while (claimsByAge.First is { } oldest && (now - oldest.Value.ClaimedAt > ClaimWindow || claimsByAge.Count >= MaxClaims))
        {
            claims.Remove(oldest.Value.EventId);
            claimsByAge.RemoveFirst();
        }

        if (!claims.Add(eventId))
        {
            return false;
        }

        claimsByAge.AddLast((eventId, now));
        return true;
    }
}
