using System.ClientModel;
using System.Globalization;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

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

/// <summary>
/// The one pipeline every call to the model goes through, built once: total timeout → retry (429 after its
/// Retry-After, clamped; 408, 5xx, network; never 400 or 401) → circuit breaker → attempt timeout. The SDK's
/// own retries are off, so this is the only retry. The circuit's opening and closing are logged, one line
/// each, rather than every failed request.
/// </summary>
internal static class ModelResilience
{
    /// <summary>The failure before the last retry, so a call that then runs out of time says what kept failing.</summary>
    public static readonly ResiliencePropertyKey<Exception> LastFailure = new("IncidentBot.Model.LastFailure");

    public static ResiliencePipeline Create(string what, ModelResilienceOptions options, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = time, Name = what }
            .AddTimeout(options.Timeout)
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldHandle = new PredicateBuilder().Handle<ClientResultException>(IsTransient).Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),

                // Polly does not clamp a generated delay, so the cap is applied here.
                DelayGenerator = arguments => ValueTask.FromResult(
                    RetryAfter(arguments.Outcome.Exception, time) is { } delay ? Min(delay, options.MaxRetryAfter) : (TimeSpan?)null),
                OnRetry = arguments =>
                {
                    if (arguments.Outcome.Exception is { } failure)
                    {
                        arguments.Context.Properties.Set(LastFailure, failure);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = Math.Max(2, options.MinimumThroughput),
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                OnOpened = arguments =>
                {
                    logger.LogWarning(
                        "The {What} {Reason}; the assistant answers without it for {BreakSeconds} s, then tries it again",
                        what, ModelUnavailableException.Describe(arguments.Outcome.Exception ?? new TimeoutRejectedException(), options.Timeout),
                        arguments.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("The {What} answers again", what);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();

    /// <summary>408, 429, 5xx and network failures (status 0); a 400 or 401 would only fail again.</summary>
    public static bool IsTransient(ClientResultException exception) => exception.Status is 0 or 408 or 429 or >= 500;

    /// <summary>
    /// Runs one call through the pipeline. When the total timeout ends it during a retry, the failure that was
    /// being retried (a 429, a 500) is thrown rather than the timeout, since that is what went wrong.
    /// </summary>
    public static async Task<T> ExecuteAsync<T>(this ResiliencePipeline pipeline, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return await pipeline.ExecuteAsync(async (ctx, _) => await call(ctx.CancellationToken), context, 0);
        }
        catch (TimeoutRejectedException) when (context.Properties.TryGetValue(LastFailure, out var failure) && failure is ClientResultException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static TimeSpan? RetryAfter(Exception? exception, TimeProvider time)
    {
        if (exception is not ClientResultException { Status: 429 } limited || limited.GetRawResponse() is not { } response
            || !response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Max(at - time.GetUtcNow(), TimeSpan.Zero)
            : null;
    }

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;

    private static TimeSpan Max(TimeSpan left, TimeSpan right) => left > right ? left : right;
}
