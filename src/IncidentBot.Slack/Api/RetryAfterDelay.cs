using Microsoft.Extensions.Http.Resilience;

namespace IncidentBot.Slack.Api;

/// <summary>
/// The one reading of an HTTP <c>Retry-After</c> (seconds or a date) and the one clamp of it, for every HttpClient
/// that retries: Slack's Web API here, the model and the DORA sender in the application.
/// </summary>
public static class RetryAfterDelay
{
    /// <summary>The response's Retry-After as a wait, never negative; null when it has none.</summary>
    public static TimeSpan? Read(HttpResponseMessage? response, TimeProvider time)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var delay = retryAfter.Delta ?? (retryAfter.Date - time.GetUtcNow());
        return delay is { } positive && positive > TimeSpan.Zero ? positive : TimeSpan.Zero;
    }

    /// <summary>
    /// Retries after the response's Retry-After, cut to <paramref name="max"/>, and without one after the strategy's own
    /// backoff. The framework honours Retry-After unclamped, and Polly does not clamp a generated delay: this does.
    /// </summary>
    public static HttpRetryStrategyOptions HonouringClampedRetryAfter(this HttpRetryStrategyOptions retry, TimeSpan max, TimeProvider time)
    {
        retry.ShouldRetryAfterHeader = false;
        retry.DelayGenerator = arguments => ValueTask.FromResult(Read(arguments.Outcome.Result, time) is { } delay ? Clamp(delay, max) : (TimeSpan?)null);
        return retry;
    }

    public static TimeSpan Clamp(TimeSpan delay, TimeSpan max) => delay < max ? delay : max;
}
