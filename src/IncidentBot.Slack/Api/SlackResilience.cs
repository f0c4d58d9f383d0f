using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Telemetry;

namespace IncidentBot.Slack.Api;

/// <summary>
/// The resilience handlers of the Slack HttpClients. Web API calls: total timeout → retry → circuit
/// breaker → rate budget → attempt timeout. Retried: 429 after its Retry-After (clamped), 5xx, 408,
/// network failures and attempt timeouts, with exponential backoff and jitter. Never retried: other
/// 4xx, and <c>ok:false</c> answers, which arrive as HTTP 200.
/// </summary>
internal static class SlackResilience
{
    public static void AddSlackApiResilience(this IHttpClientBuilder http) =>
        http.AddResilienceHandler("slack-api", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            LogOnlyAtDebug(pipeline, context.ServiceProvider);
            pipeline.AddTimeout(options.ApiTotalTimeout);
            AddRetry(pipeline, options, time);
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                // A 429 speaks of one method's budget, not of Slack being down.
                ShouldHandle = arguments => ValueTask.FromResult(
                    arguments.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests && HttpClientResiliencePredicates.IsTransient(arguments.Outcome)),
                FailureRatio = 0.5,
                MinimumThroughput = 10,
            });
            if (options.UseRateBudget)
            {
                var limits = context.ServiceProvider.GetRequiredService<SlackRateLimits>();
                pipeline.AddRateLimiter(new RateLimiterStrategyOptions
                {
                    RateLimiter = arguments => limits.AcquireAsync(CallOf(arguments.Context), arguments.Context.CancellationToken),
                });
            }

            pipeline.AddTimeout(options.ApiAttemptTimeout);
        });

    /// <summary>A response_url: one short total timeout over retries of what Slack means as "try again".</summary>
    public static void AddResponseUrlResilience(this IHttpClientBuilder http, TimeSpan timeout) =>
        http.AddResilienceHandler("slack-response-url", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value;
            LogOnlyAtDebug(pipeline, context.ServiceProvider);
            pipeline.AddTimeout(timeout);
            AddRetry(pipeline, options, context.ServiceProvider.GetRequiredService<TimeProvider>());
        });

    /// <summary>
    /// Each attempt, retry and circuit change would otherwise be a log line with a stack trace; the caller logs
    /// what the call came to, once, with its cause (<see cref="CallFailure"/>).
    /// </summary>
    private static void LogOnlyAtDebug(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services) =>
        pipeline.ConfigureTelemetry(new TelemetryOptions(services.GetRequiredService<IOptions<TelemetryOptions>>().Value)
        {
            SeverityProvider = _ => ResilienceEventSeverity.Debug,
        });

    private static void AddRetry(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, SlackOptions options, TimeProvider time)
    {
        if (options.MaxRetryAttempts == 0)
        {
            return;
        }

        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
        }.HonouringClampedRetryAfter(options.MaxRetryAfter, time));
    }

    private static SlackCall CallOf(ResilienceContext context) =>
        context.GetRequestMessage()?.Options.TryGetValue(SlackCall.RequestOption, out var call) == true
            ? call
            : new SlackCall("unknown");
}
