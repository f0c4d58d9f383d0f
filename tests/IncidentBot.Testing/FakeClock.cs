using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Testing;

/// <summary>
/// <see cref="FakeTimeProvider"/> (time moves only when the test says so, firing timers on the way),
/// plus what it does not offer: which timers the code under test has scheduled. A test waits for the
/// code to start waiting before it moves the clock, so nothing depends on how fast the code got there.
/// </summary>
public sealed class FakeClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock gate = new();
    private readonly Dictionary<ObservedTimer, DateTimeOffset> pending = [];
    private TaskCompletionSource timersChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeClock() : this(new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>How far ahead the earliest pending timer fires, or null when none is pending.</summary>
    public TimeSpan? NextTimerDueIn
    {
        get
        {
            // The clock is read outside the gate: FakeTimeProvider may fire timers, which take the gate, under its own lock.
            var now = GetUtcNow();
            lock (gate)
            {
                return pending.Count == 0 ? null : pending.Values.Min() - now;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(this);
        timer.Inner = base.CreateTimer(
            callbackState =>
            {
                timer.Fired();
                callback(callbackState);
            },
            state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Waits (in real time, 10 s at most) until at least <paramref name="count"/> timers are pending.</summary>
    public Task WaitForTimerAsync(int count = 1, TimeSpan? timeout = null) =>
        WaitUntilAsync(_ => pending.Count >= count, $"Fewer than {count} timers were pending on the fake clock.", timeout);

    /// <summary>Waits until a pending timer fires <paramref name="dueIn"/> from now, e.g. a retry's delay.</summary>
    public Task WaitForTimerAsync(TimeSpan dueIn, TimeSpan? timeout = null) =>
        WaitUntilAsync(now => pending.Values.Any(due => due - now == dueIn), $"No timer due in {dueIn} was pending on the fake clock.", timeout);

    /// <summary>
    /// Waits until no pending timer fires <paramref name="dueIn"/> from now: e.g. an HTTP call's attempt timeout, gone
    /// once the call has ended, so moving the clock cannot time out a call that is still on its way back.
    /// </summary>
    public Task WaitUntilNoTimerAsync(TimeSpan dueIn, TimeSpan? timeout = null) =>
        WaitUntilAsync(now => !pending.Values.Any(due => due - now == dueIn), $"A timer due in {dueIn} was still pending on the fake clock.", timeout);

    private async Task WaitUntilAsync(Func<DateTimeOffset, bool> condition, string failure, TimeSpan? timeout)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task next;
            var now = GetUtcNow();
            lock (gate)
            {
                if (condition(now))
                {
                    return;
                }

                next = timersChanged.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(failure);
            }

            await Task.WhenAny(next, Task.Delay(remaining));
        }
    }

    private void Track(ObservedTimer timer, DateTimeOffset? dueAt)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            if (dueAt is { } due)
            {
                pending[timer] = due;
            }
            else
            {
                pending.Remove(timer);
            }

            signal = timersChanged;
            timersChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    private sealed class ObservedTimer(FakeClock clock) : ITimer
    {
        private TimeSpan period = Timeout.InfiniteTimeSpan;
        private DateTimeOffset dueAt;

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            this.period = period;
            dueAt = clock.GetUtcNow() + dueTime;
            clock.Track(this, dueTime == Timeout.InfiniteTimeSpan ? null : dueAt);
            return Inner.Change(dueTime, period);
        }

        public void Fired()
        {
            var periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
            dueAt = periodic ? dueAt + period : dueAt;
            clock.Track(this, periodic ? dueAt : null);
        }

        public void Dispose()
        {
            clock.Track(this, null);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            clock.Track(this, null);
            return Inner.DisposeAsync();
        }
    }
}
