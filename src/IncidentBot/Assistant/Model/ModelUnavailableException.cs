using System.ClientModel;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// The model gave no usable answer: it failed, timed out, was rate-limited, is paused by the circuit breaker,
/// or answered with nothing. <see cref="IncidentAssistant"/> then asks the deterministic engine, and the
/// message becomes part of the answer's fallback reason, so it says what happened in a responder's words.
/// </summary>
public sealed class ModelUnavailableException(string reason, Exception? innerException = null) : Exception(reason, innerException)
{
    /// <summary>What went wrong, as a phrase that follows "the model": "was rate-limited (HTTP 429)".</summary>
    public string Reason => Message;

    public static string Describe(Exception exception, TimeSpan timeout) => exception switch
    {
        ModelUnavailableException unavailable => unavailable.Reason,
        ClientResultException { Status: 401 or 403 } e => $"refused the API key (HTTP {e.Status})",
        ClientResultException { Status: 429 } => "was rate-limited (HTTP 429)",
        ClientResultException { Status: 408 } => $"did not answer within {Seconds(timeout)} s",
        ClientResultException { Status: >= 500 } e => $"failed (HTTP {e.Status})",
        ClientResultException { Status: 0 } or HttpRequestException => "could not be reached",
        ClientResultException e => $"refused the request (HTTP {e.Status})",
        TimeoutRejectedException or TimeoutException or OperationCanceledException => $"did not answer within {Seconds(timeout)} s",
        BrokenCircuitException => "is paused after repeated failures",
        _ => $"failed ({exception.GetType().Name})",
    };

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
