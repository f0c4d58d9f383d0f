using System.Net;
using Polly;
using Polly.Retry;

namespace IncidentBot.Slack.Api;

/// <summary>
/// Retries what Slack means as "try again": 429 after its Retry-After (clamped), 5xx, 408 and
/// network failures with exponential backoff and jitter. ok:false answers arrive as HTTP 200 and
/// are never retried here.
/// </summary>
internal static class SlackResiliencePipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Create(SlackOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(RetryOptions(options, timeProvider));
        }

        return builder.Build();
    }

    private static RetryStrategyOptions<HttpResponseMessage> RetryOptions(SlackOptions options, TimeProvider timeProvider) => new()
    {
        MaxRetryAttempts = options.MaxRetryAttempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.RetryBaseDelay,
        ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TaskCanceledException>(exception => exception.InnerException is TimeoutException)
            .HandleResult(IsTransient),
        // Polly does not clamp a generated delay, so the cap is applied here.
        DelayGenerator = arguments => ValueTask.FromResult(
            RetryAfter(arguments.Outcome.Result, timeProvider) is { } delay ? Min(delay, options.MaxRetryAfter) : (TimeSpan?)null),
    };

    public static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider timeProvider)
    {
        if (response?.StatusCode != HttpStatusCode.TooManyRequests || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var delay = retryAfter.Delta ?? (retryAfter.Date - timeProvider.GetUtcNow());
        return delay is { } positive && positive > TimeSpan.Zero ? positive : TimeSpan.Zero;
    }

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;
}
