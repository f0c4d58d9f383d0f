namespace IncidentBot.Testing;

/// <summary>A clock that moves only when told to, with timers that fire as it passes them.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private DateTimeOffset now = start;
    private TaskCompletionSource timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ManualTimeProvider() : this(new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>How far in the future the earliest pending timer fires, or null when none is pending.</summary>
    public TimeSpan? NextTimerDueIn
    {
        get
        {
            lock (gate)
            {
                return timers.Count == 0 ? null : timers.Min(timer => timer.DueAt) - now;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Waits (in real time) until code has scheduled at least <paramref name="count"/> timers on this clock.</summary>
    public async Task WaitForTimerAsync(int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task created;
            lock (gate)
            {
                if (timers.Count >= count)
                {
                    return;
                }

                created = timerCreated.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Fewer than {count} timers were scheduled on the manual clock.");
            }

            await Task.WhenAny(created, Task.Delay(remaining));
        }
    }

    /// <summary>Moves the clock forward, firing each timer at its own due time on the way.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (gate)
        {
            target = now + by;
        }

        while (TakeDueTimer(target) is { } due)
        {
            due.Fire();
        }

        lock (gate)
        {
            now = target;
        }
    }

    private ManualTimer? TakeDueTimer(DateTimeOffset target)
    {
        lock (gate)
        {
            var due = timers.Where(timer => timer.DueAt <= target).MinBy(timer => timer.DueAt);
            if (due is null)
            {
                return null;
            }

            now = due.DueAt > now ? due.DueAt : now;
            timers.Remove(due);
            if (due.Period > TimeSpan.Zero)
            {
                due.DueAt = now + due.Period;
                timers.Add(due);
            }

            return due;
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        TaskCompletionSource? created = null;
        lock (gate)
        {
            timers.Remove(timer);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                timer.DueAt = now + dueTime;
                timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                timers.Add(timer);
                created = timerCreated;
                timerCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        created?.TrySetResult();
    }

    private void Unschedule(ManualTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }
        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Unschedule(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
