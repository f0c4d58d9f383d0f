using System.Threading.RateLimiting;

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

    // apps.connections.open is Tier 1, but a client-side budget of one a minute left every slash command
    // failing for a minute after a refresh. It is called only when a socket needs replacing, and a 429's
    // Retry-After paces it instead.
    private static readonly HashSet<string> Unmetered = new(StringComparer.Ordinal) { "apps.connections.open" };

    /// <summary>The documented tier, Tier 3 for a method not in the table, or null for a method left to Slack's 429s.</summary>
    public static RateTier? For(string method) => Unmetered.Contains(method) ? null : ByMethod.GetValueOrDefault(method, Tier3);

    /// <summary>A bucket of <see cref="Burst"/> tokens that gains one every 60 s / <see cref="PerMinute"/>; waiters leave oldest first.</summary>
    public TokenBucketRateLimiterOptions ToTokenBucket() => new()
    {
        TokenLimit = Burst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1 / PerMinute),
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        QueueLimit = SlackRateLimits.QueueLimit,
    };
}

/// <summary>One Web API call as the rate limits see it; <see cref="Channel"/> matters only to chat.postMessage.</summary>
public readonly record struct SlackCall(string Method, string? Channel = null)
{
    /// <summary>Carries the call on its <see cref="HttpRequestMessage"/> to the rate limiter of the Slack HttpClient.</summary>
    public static readonly HttpRequestOptionsKey<SlackCall> RequestOption = new("IncidentBot.Slack.Call");
}

/// <summary>
/// A token bucket per method (per channel for chat.postMessage), so a burst of calls waits its turn
/// here instead of tripping Slack's limits and being answered with 429s.
/// </summary>
/// <remarks>
/// The buckets refill on the application's <see cref="TimeProvider"/> (<see cref="ClockedTokenBucket"/>); idle buckets
/// are dropped by the partitioned limiter itself.
/// </remarks>
public sealed class SlackRateLimits(TimeProvider time) : IAsyncDisposable
{
    /// <summary>Calls waiting for one bucket beyond this are refused rather than queued without end.</summary>
    public const int QueueLimit = 1000;

    private readonly PartitionedRateLimiter<SlackCall> limiter = PartitionedRateLimiter.Create<SlackCall, string>(call => Partition(call, time));

    /// <summary>Waits until <paramref name="call"/> may go; the lease says whether it was granted.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(SlackCall call, CancellationToken cancellationToken = default) =>
        limiter.AcquireAsync(call, 1, cancellationToken);

    /// <summary>Tokens left and calls waiting in the bucket that <paramref name="call"/> draws from.</summary>
    public RateLimiterStatistics? GetStatistics(SlackCall call) => limiter.GetStatistics(call);

    public ValueTask DisposeAsync() => limiter.DisposeAsync();

    private static RateLimitPartition<string> Partition(SlackCall call, TimeProvider time) => RateTier.For(call.Method) switch
    {
        null => RateLimitPartition.GetNoLimiter(call.Method),
        var tier when tier == RateTier.MessagePerChannel => Bucket($"{call.Method}:{call.Channel}", tier, time),
        var tier => Bucket(call.Method, tier, time),
    };

    private static RateLimitPartition<string> Bucket(string key, RateTier tier, TimeProvider time) =>
        RateLimitPartition.Get(key, _ => new ClockedTokenBucket(tier.ToTokenBucket(), time));
}
