namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// How long to wait before the n-th consecutive reconnect attempt: about <c>first</c>, then twice as
/// long each time up to <c>max</c>. Half of each wait is random ("equal jitter"), so connections
/// that dropped together do not come back in step.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan first, TimeSpan max, Random? random = null)
{
    private readonly Random random = random ?? Random.Shared;

    /// <param name="attempt">1 for the first attempt after a drop; 0 or less means at once.</param>
    public TimeSpan Delay(int attempt)
    {
        if (attempt <= 0)
        {
            return TimeSpan.Zero;
        }

        var ceiling = Math.Min(first.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)), max.TotalMilliseconds);
        var half = ceiling / 2;
        return TimeSpan.FromMilliseconds(half + random.NextDouble() * half);
    }
}
