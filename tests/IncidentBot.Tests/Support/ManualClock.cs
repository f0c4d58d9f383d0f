namespace IncidentBot.Tests.Support;

/// <summary>
/// A clock whose "now" the test moves by hand while its timers keep real time. The assistant's test world runs the
/// whole application on it: the history sets the date, and the model's time-outs and retries must still fire.
/// A <c>FakeTimeProvider</c> would hold those timers until the test moved it; everywhere else, tests use that.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public ManualClock()
        : this(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
