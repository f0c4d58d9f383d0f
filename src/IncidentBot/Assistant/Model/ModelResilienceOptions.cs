namespace IncidentBot.Assistant.Model;

/// <summary>How patient the assistant is with the model. Defaults fit a responder waiting in Slack.</summary>
public sealed record ModelResilienceOptions
{
    /// <summary>One call to the model, its retries included (<c>Ai:TimeoutSeconds</c>).</summary>
    public required TimeSpan Timeout { get; init; }
    public int MaxRetries { get; init; } = 2;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A longer Retry-After is cut to this; the total timeout ends the wait anyway.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The circuit opens when at least this many calls in <see cref="SamplingDuration"/> failed, half of them or more.</summary>
    public int MinimumThroughput { get; init; } = 4;
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt may use most of the timeout, leaving a retry some room after a quick failure.</summary>
    public TimeSpan AttemptTimeout => Timeout * 0.75;
}
