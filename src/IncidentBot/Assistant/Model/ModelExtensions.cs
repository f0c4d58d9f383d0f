using IncidentBot.Configuration;
using IncidentBot.Slack.Api;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Polly;
using Polly.Fallback;
using Polly.Telemetry;
using Polly.Timeout;

namespace IncidentBot.Assistant.Model;

public static class ModelExtensions
{
    /// <summary>What the failure being retried says, in <see cref="ModelUnavailableException.Reason"/>'s words.</summary>
    private static readonly ResiliencePropertyKey<string> Retried = new("IncidentBot.Model.Retried");

    /// <summary>
    /// The model of <c>Ai:*</c>: its chat and embedding clients (<see cref="ModelClients"/>), each on an HttpClient
    /// whose resilience handler is the only retry (total timeout → retry → circuit breaker → attempt timeout, and
    /// around them the failure being retried when the total timeout ends the wait), and
    /// the kernel the model calls functions through: <see cref="IncidentPlugin"/> behind <see cref="ReadOnlyFunctionFilter"/>.
    /// </summary>
    public static IServiceCollection AddModel(this IServiceCollection services, ModelResilienceOptions? resilience = null)
    {
        services.TryAddSingleton(sp => resilience
            ?? new ModelResilienceOptions { Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<AiOptions>>().Value.TimeoutSeconds) });
        AddHttpClient(services, ModelClients.ChatHttpClient, "chat model");
        AddHttpClient(services, ModelClients.EmbeddingHttpClient, "embedding model");
        services.AddSingleton<ModelClients>();
        services.AddSingleton(sp => PluginTools.CreatePlugin(sp.GetRequiredService<IncidentPlugin>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IFunctionInvocationFilter, ReadOnlyFunctionFilter>();
        services.AddKernel();
        return services;
    }

    private static void AddHttpClient(IServiceCollection services, string name, string what) =>
        services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan)

            // One OpenAI client holds it for the process's life, so connections are renewed rather than handlers.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("resilience", (pipeline, context) => Configure(pipeline, context.ServiceProvider, what));

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services, string what)
    {
        var options = services.GetRequiredService<ModelResilienceOptions>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<ModelClients>();

        // The circuit's opening and closing are logged once each below; every retry and timeout only at Debug.
        pipeline.ConfigureTelemetry(new TelemetryOptions(services.GetRequiredService<IOptions<TelemetryOptions>>().Value)
        {
            SeverityProvider = _ => ResilienceEventSeverity.Debug,
        });
        pipeline
            .AddFallback(RetriedFailure())
            .AddTimeout(options.Timeout)
            .AddRetry(Retry(options, services.GetRequiredService<TimeProvider>()))
            .AddCircuitBreaker(CircuitBreaker(options, logger, what))
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Opens when half or more of the calls in the sampling window failed (at least <see cref="ModelResilienceOptions.MinimumThroughput"/> calls); says so once, and once when it closes.</summary>
    private static HttpCircuitBreakerStrategyOptions CircuitBreaker(ModelResilienceOptions options, ILogger logger, string what) => new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = Math.Max(2, options.MinimumThroughput),
        SamplingDuration = options.SamplingDuration,
        BreakDuration = options.BreakDuration,
        OnOpened = arguments =>
        {
            logger.LogWarning(
                "The {What} {Reason}; the assistant answers without it for {BreakSeconds} s, then tries it again",
                what, ModelUnavailableException.Describe(arguments.Outcome, options.Timeout), arguments.BreakDuration.TotalSeconds);
            return ValueTask.CompletedTask;
        },
        OnClosed = _ =>
        {
            logger.LogInformation("The {What} answers again", what);
            return ValueTask.CompletedTask;
        },
    };

    /// <summary>
    /// When the total timeout ends a call while a retry waits, what was being retried (a 429, a 500) is what went
    /// wrong, not the timeout: the call fails with that.
    /// </summary>
    private static FallbackStrategyOptions<HttpResponseMessage> RetriedFailure() => new()
    {
        ShouldHandle = arguments => ValueTask.FromResult(
            arguments.Outcome.Exception is TimeoutRejectedException && arguments.Context.Properties.TryGetValue(Retried, out _)),
        FallbackAction = arguments => Outcome.FromExceptionAsValueTask<HttpResponseMessage>(
            new ModelUnavailableException(arguments.Context.Properties.GetValue(Retried, ""), arguments.Outcome.Exception)),
    };

    /// <summary>408, 429, 5xx and network failures (never 400 or 401), 429 after its Retry-After, clamped.</summary>
    private static HttpRetryStrategyOptions Retry(ModelResilienceOptions options, TimeProvider time)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, options.MaxRetries),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            OnRetry = arguments =>
            {
                arguments.Context.Properties.Set(Retried, ModelUnavailableException.Describe(arguments.Outcome, options.Timeout));
                return ValueTask.CompletedTask;
            },
        };

        return retry.HonouringClampedRetryAfter(options.MaxRetryAfter, time);
    }
}
