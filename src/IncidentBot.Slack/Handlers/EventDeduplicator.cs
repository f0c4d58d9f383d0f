namespace IncidentBot.Slack.Handlers;

/// <summary>
/// Remembers which event_ids were taken, so a retried delivery reaches the handlers once.
/// An interface because the in-memory default forgets on restart and is per process.
/// </summary>
public interface IEventDeduplicator
{
    /// <summary>True for the first delivery of <paramref name="eventId"/>; false for a duplicate.</summary>
    ValueTask<bool> TryClaimAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>Forgets a claim whose work could not be accepted, so Slack's retry is processed.</summary>
    ValueTask ReleaseAsync(string eventId, CancellationToken cancellationToken = default);
}

/// <summary>Keeps the newest event ids for a time window, up to a fixed count.</summary>
public sealed class InMemoryEventDeduplicator(TimeProvider timeProvider, int capacity = 10_000, TimeSpan? window = null)
    : IEventDeduplicator
{
    // Slack's last retry comes ~6 minutes after the first delivery; an hour leaves a wide margin.
    private readonly TimeSpan window = window ?? TimeSpan.FromHours(1);
    private readonly LinkedList<(string EventId, DateTimeOffset ClaimedAt)> byAge = new();
    private readonly Dictionary<string, LinkedListNode<(string EventId, DateTimeOffset ClaimedAt)>> byId = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public ValueTask<bool> TryClaimAsync(string eventId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            Evict(oldest => now - oldest.ClaimedAt > window);
            if (byId.ContainsKey(eventId))
            {
                return ValueTask.FromResult(false);
            }

            Evict(_ => byAge.Count >= capacity);
            byId[eventId] = byAge.AddLast((eventId, now));
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAsync(string eventId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (byId.Remove(eventId, out var node))
            {
                byAge.Remove(node);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Evict(Func<(string EventId, DateTimeOffset ClaimedAt), bool> shouldEvict)
    {
        while (byAge.First is { } oldest && shouldEvict(oldest.Value))
        {
            byId.Remove(oldest.Value.EventId);
            byAge.RemoveFirst();
        }
    }
}
