using System.Threading.RateLimiting;

namespace IncidentBot.Slack.Api;

/// <summary>
/// A token bucket that refills on a <see cref="TimeProvider"/>: <see cref="TokenBucketRateLimiterOptions.TokensPerPeriod"/> tokens
/// each <see cref="TokenBucketRateLimiterOptions.ReplenishmentPeriod"/> while it is below <see cref="TokenBucketRateLimiterOptions.TokenLimit"/>.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting's <see cref="TokenBucketRateLimiter"/> refills on the real clock (a Timer, or Stopwatch
/// when replenished by hand), which a fake clock cannot move, and replenished by hand it credits the time it sat full,
/// so a burst after a quiet spell got more than <see cref="TokenBucketRateLimiterOptions.TokenLimit"/> calls through at once.
/// Here the tokens are the permits of a <see cref="ConcurrencyLimiter"/>, which keeps the queue (order, limit,
/// cancellation): a granted call keeps its permit as a spent token, and the oldest spent tokens are given back as their
/// periods come due. The clock is read when a call asks; a timer runs only while calls wait.
/// <see cref="TokenBucketRateLimiterOptions.AutoReplenishment"/> is not read: the bucket always refills itself.
/// </remarks>
internal sealed class ClockedTokenBucket : RateLimiter
{
    private static readonly RateLimitLease Spent = new SpentLease();

    private readonly TokenBucketRateLimiterOptions options;
    private readonly TimeProvider time;
    private readonly ConcurrencyLimiter tokens;
    private readonly ITimer refillTimer;
    private readonly Lock gate = new();
    private readonly Queue<RateLimitLease> spent = new();

    // Tokens accrue from when the bucket last fell below full; periodsCredited of those periods have been given back.
    private long accruingSince;
    private long periodsCredited;
    private bool disposed;

    public ClockedTokenBucket(TokenBucketRateLimiterOptions options, TimeProvider time)
    {
        this.options = options;
        this.time = time;
        tokens = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.TokenLimit,
            QueueLimit = options.QueueLimit,
            QueueProcessingOrder = options.QueueProcessingOrder,
        });
        accruingSince = time.GetTimestamp();
        refillTimer = time.CreateTimer(_ => RefillWhenDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// How long, on the real clock, the bucket has been full with no one waiting: the partitioned limiter asks every
    /// 100 ms and drops a bucket idle for 10 s, which changes nothing, as a new one starts full. Due tokens come back first.
    /// </summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            Refill();
            return tokens.IdleDuration;
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        Refill();
        return tokens.GetStatistics();
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        RefuseMoreThanOne(permitCount);
        Refill();
        return Spend(tokens.AttemptAcquire(permitCount), permitCount);
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        RefuseMoreThanOne(permitCount);
        Refill();
        var waiting = tokens.AcquireAsync(permitCount, cancellationToken);
        if (!waiting.IsCompleted)
        {
            ScheduleRefill();
        }

        return Spend(await waiting, permitCount);
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        refillTimer.Dispose();
        // Fails the calls still waiting.
        tokens.Dispose();
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    // A lease of several tokens would come back as one, all in one period.
    private static void RefuseMoreThanOne(int permitCount) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);

    private RateLimitLease Spend(RateLimitLease lease, int permitCount)
    {
        if (!lease.IsAcquired || permitCount == 0)
        {
            return lease;
        }

        var now = time.GetTimestamp();
        lock (gate)
        {
            if (spent.Count == 0)
            {
                accruingSince = now;
                periodsCredited = 0;
            }

            spent.Enqueue(lease);
        }

        // A call granted by a refill spends its token after the refill looked for waiters.
        ScheduleRefill();
        return Spent;
    }

    private void RefillWhenDue()
    {
        Refill();
        ScheduleRefill();
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        RateLimitLease[] due;
        lock (gate)
        {
            var periods = time.GetElapsedTime(accruingSince, now).Ticks / options.ReplenishmentPeriod.Ticks;
            if (disposed || spent.Count == 0 || periods <= periodsCredited)
            {
                return;
            }

            due = new RateLimitLease[Math.Min(spent.Count, (periods - periodsCredited) * options.TokensPerPeriod)];
            for (var i = 0; i < due.Length; i++)
            {
                due[i] = spent.Dequeue();
            }

            periodsCredited = periods;
        }

        // Outside the lock: giving a token back hands it to the oldest waiting call.
        foreach (var lease in due)
        {
            lease.Dispose();
        }
    }

    // The timer is changed outside the lock: a fake clock fires timers under its own lock, and a timer callback takes this one.
    private void ScheduleRefill()
    {
        var now = time.GetTimestamp();
        TimeSpan dueIn;
        lock (gate)
        {
            if (disposed || spent.Count == 0 || tokens.GetStatistics()!.CurrentQueuedCount == 0)
            {
                return;
            }

            dueIn = Periods(periodsCredited + 1) - time.GetElapsedTime(accruingSince, now);
        }

        try
        {
            refillTimer.Change(dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile, which failed the waiting calls.
        }
    }

    private TimeSpan Periods(long count) => TimeSpan.FromTicks(options.ReplenishmentPeriod.Ticks * count);

    /// <summary>What the caller holds: its token stays spent when the lease is disposed.</summary>
    private sealed class SpentLease : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
