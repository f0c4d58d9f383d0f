namespace IncidentBot.Slack.Api;

/// <summary>How many calls per minute a method may make, and how many may go at once before waiting.</summary>
public sealed record RateTier(string Name, double PerMinute, int Burst)
{
    public static readonly RateTier Tier1 = new("Tier 1", 1, 2);
    public static readonly RateTier Tier2 = new("Tier 2", 20, 5);
    public static readonly RateTier Tier3 = new("Tier 3", 50, 10);
    public static readonly RateTier Tier4 = new("Tier 4", 100, 20);
    /// <summary>auth.test, chat.getPermalink: "hundreds per minute".</summary>
    public static readonly RateTier Hundreds = new("Special (hundreds)", 600, 50);
    /// <summary>chat.postMessage: about one message per second per channel, short bursts allowed.</summary>
    public static readonly RateTier MessagePerChannel = new("Special (1/s per channel)", 60, 3);

    private static readonly Dictionary<string, RateTier> ByMethod = new(StringComparer.Ordinal)
    {
        ["apps.connections.open"] = Tier1,
        ["auth.test"] = Hundreds,
        ["chat.getPermalink"] = Hundreds,
        ["chat.postEphemeral"] = Tier4,
        ["chat.postMessage"] = MessagePerChannel,
        ["chat.update"] = Tier3,
        ["conversations.create"] = Tier2,
        ["conversations.history"] = Tier3,
        ["conversations.info"] = Tier3,
        ["conversations.invite"] = Tier3,
        ["conversations.join"] = Tier3,
        ["conversations.list"] = Tier2,
        ["conversations.members"] = Tier4,
        ["conversations.replies"] = Tier3,
        ["conversations.setTopic"] = Tier2,
        ["pins.add"] = Tier2,
        ["users.info"] = Tier4,
        ["views.open"] = Tier4,
        ["views.publish"] = Tier4,
        ["views.update"] = Tier4,
    };

    /// <summary>The documented tier, or Tier 3 for a method not in the table.</summary>
    public static RateTier For(string method) => ByMethod.GetValueOrDefault(method, Tier3);
}

/// <summary>
/// A token bucket per method (per channel for chat.postMessage), so a burst of calls waits its
/// turn here instead of tripping Slack's limits and being answered with 429s.
/// </summary>
public sealed class SlackRateBudget(TimeProvider timeProvider)
{
    private readonly Dictionary<string, TokenBucket> buckets = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Waits until <paramref name="method"/> may be called again.</summary>
    /// <param name="channel">Only chat.postMessage keeps a separate budget per channel.</param>
    public async ValueTask WaitAsync(string method, string? channel = null, CancellationToken cancellationToken = default)
    {
        var bucket = BucketFor(method, channel);
        var wait = bucket.Reserve();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            bucket.Return();
            throw;
        }
    }

    private TokenBucket BucketFor(string method, string? channel)
    {
        var tier = RateTier.For(method);
        var key = tier == RateTier.MessagePerChannel ? $"{method}:{channel}" : method;
        lock (gate)
        {
            if (!buckets.TryGetValue(key, out var bucket))
            {
                bucket = new TokenBucket(tier, timeProvider);
                buckets[key] = bucket;
            }

            return bucket;
        }
    }

    /// <remarks>
    /// Tokens may go negative: each waiter reserves its slot when it arrives, and the deficit
    /// says how long it has to wait, so waiters leave in arrival order without a queue.
    /// </remarks>
    private sealed class TokenBucket(RateTier tier, TimeProvider timeProvider)
    {
        private readonly Lock gate = new();
        private double tokens = tier.Burst;
        private long refilledAt = timeProvider.GetTimestamp();

        public TimeSpan Reserve()
        {
            lock (gate)
            {
                var now = timeProvider.GetTimestamp();
                var elapsed = timeProvider.GetElapsedTime(refilledAt, now);
                tokens = Math.Min(tier.Burst, tokens + (elapsed.TotalMinutes * tier.PerMinute));
                refilledAt = now;
                tokens -= 1;
                return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(-tokens / tier.PerMinute);
            }
        }

        public void Return()
        {
            lock (gate)
            {
                tokens = Math.Min(tier.Burst, tokens + 1);
            }
        }
    }
}
