using IncidentBot.Incidents;
using IncidentBot.Telemetry;

namespace IncidentBot.Assistant;

/// <summary>One way a feature writes its answer: the deterministic core, or the optional model step.</summary>
public interface IAssistantStep
{
    /// <summary>Shown with every answer (<see cref="AssistantAnswer.Engine"/>); one of <see cref="AssistantEngines"/>.</summary>
    string Engine { get; }
}

/// <summary>
/// A step could not answer for a reason expected to pass (a model down, rate-limited, too slow); the message says
/// what happened in a responder's words ("the model was rate-limited (HTTP 429)").
/// </summary>
public abstract class StepUnavailableException(string message, Exception? innerException) : Exception(message, innerException);

/// <summary>
/// The steps of one feature in the order they are asked: the model step first when a model is configured, the
/// deterministic core always last. The one place where a failing step hands the request to the next, and where
/// the answer is told so (<see cref="AssistantAnswer.FallbackReason"/>).
/// </summary>
public sealed class FeatureSteps<TStep>(
    IEnumerable<TStep> steps, IncidentBotMetrics metrics, TimeProvider time, ILogger<FeatureSteps<TStep>> logger)
    where TStep : IAssistantStep
{
    /// <summary>The feature's folder and namespace: summary, related, questions, postmortem.</summary>
    private static readonly string Feature = typeof(TStep).Namespace![(typeof(TStep).Namespace!.LastIndexOf('.') + 1)..].ToLowerInvariant();

    private readonly IReadOnlyList<TStep> steps = [.. steps.OrderBy(step => step.Engine == AssistantEngines.Deterministic ? 1 : 0)];

    /// <summary>
    /// Asks each step in turn; a step's failure (not the caller's cancellation, not a missing or invalid
    /// incident, which every step would report alike) passes the request to the next, and the answer says so.
    /// </summary>
    public async Task<T> AskAsync<T>(Func<TStep, Task<T>> ask, CancellationToken cancellationToken)
        where T : AssistantAnswer
    {
        string? fallbackReason = null;
        for (var i = 0; ; i++)
        {
            var step = steps[i];
            var started = time.GetTimestamp();
            try
            {
                var answer = await ask(step);
                metrics.Answered(Feature, step.Engine, answered: true, time.GetElapsedTime(started));
                return fallbackReason is null ? answer : (T)(answer with { FallbackReason = fallbackReason });
            }
            catch (StepUnavailableException e) when (i < steps.Count - 1 && !cancellationToken.IsCancellationRequested)
            {
                // Expected while a model is down: its circuit breaker logs that once, not every answer.
                logger.LogDebug(e, "The {Engine} engine did not answer; asking the {Next} engine", step.Engine, steps[i + 1].Engine);
                FellBack(step, started, expected: true);
                fallbackReason = $"The {step.Engine} engine did not answer: {e.Message}. This answer is from the {steps[i + 1].Engine} engine.";
            }
            catch (Exception e) when (i < steps.Count - 1 && !cancellationToken.IsCancellationRequested
                && e is not (IncidentNotFoundException or IncidentValidationException))
            {
                logger.LogWarning(e, "The {Engine} engine failed; asking the {Next} engine", step.Engine, steps[i + 1].Engine);
                FellBack(step, started, expected: false);
                fallbackReason = $"The {step.Engine} engine did not answer ({e.GetType().Name}); this answer is from the {steps[i + 1].Engine} engine.";
            }
        }
    }

    private void FellBack(TStep step, long started, bool expected)
    {
        metrics.Answered(Feature, step.Engine, answered: false, time.GetElapsedTime(started));
        metrics.FellBack(Feature, step.Engine, expected);
    }
}
