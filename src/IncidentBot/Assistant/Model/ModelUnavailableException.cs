using System.ClientModel;
using IncidentBot.Slack.Api;
using Microsoft.SemanticKernel;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace IncidentBot.Assistant.Model;

/// <summary>
/// The model gave no usable answer: it failed, timed out, was rate-limited, is paused by the circuit breaker,
/// or answered with nothing. The feature's deterministic core answers instead, and the message ("the model was
/// rate-limited (HTTP 429)") becomes part of the answer's fallback reason, so it says what happened in a responder's words.
/// </summary>
public sealed class ModelUnavailableException(string reason, Exception? innerException = null)
    : StepUnavailableException($"the model {reason}", innerException)
{
    /// <summary>What went wrong, as a phrase that follows "the model": "was rate-limited (HTTP 429)".</summary>
    public string Reason { get; } = reason;

    public static string Describe(Exception exception, TimeSpan timeout) => exception switch
    {
        ModelUnavailableException unavailable => unavailable.Reason,

        // The connector wraps the SDK's ClientResultException; the embedding generator does not.
        HttpOperationException { StatusCode: { } status } => Describe((int)status, timeout),
        ClientResultException { Status: > 0 } e => Describe(e.Status, timeout),
        HttpOperationException or ClientResultException or HttpRequestException => $"could not be reached ({CallFailure.DescribeConnection(exception)})",
        TimeoutRejectedException or TimeoutException or OperationCanceledException => $"did not answer within {Seconds(timeout)} s",
        BrokenCircuitException => "is paused after repeated failures",
        _ => $"failed ({exception.GetType().Name})",
    };

    /// <summary>What the last response or failure seen by the resilience handler says.</summary>
    public static string Describe(Outcome<HttpResponseMessage> outcome, TimeSpan timeout) =>
        outcome.Exception is { } exception ? Describe(exception, timeout) : Describe((int)outcome.Result!.StatusCode, timeout);

    private static string Describe(int status, TimeSpan timeout) => status switch
    {
        401 or 403 => $"refused the API key (HTTP {status})",
        429 => "was rate-limited (HTTP 429)",
        408 => $"did not answer within {Seconds(timeout)} s",
        >= 500 => $"failed (HTTP {status})",
        _ => $"refused the request (HTTP {status})",
    };

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
