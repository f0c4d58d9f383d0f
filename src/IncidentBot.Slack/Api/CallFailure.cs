using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using IncidentBot.Slack.SocketMode;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace IncidentBot.Slack.Api;

/// <summary>
/// Why an outbound call failed, as a short phrase for a log line or an answer: the DNS failure, the refused
/// connection, the timeout, the HTTP status or Slack's error code, never a stack trace. Used for Slack and for any
/// other HTTP service the bot calls.
/// </summary>
public static partial class CallFailure
{
    /// <summary>True when the other side answered (an error code or an HTTP status) rather than could not be reached.</summary>
    public static bool WasAnswered(Exception exception) =>
        exception.Find<SlackApiException>() is not null || exception.Find<HttpRequestException>() is { StatusCode: not null };

    /// <summary>"Slack answered chat.postMessage with channel_not_found", "DNS lookup of slack.com failed", …</summary>
    public static string Describe(Exception exception) => exception.Find<SlackApiException>() is { } refused
        ? $"Slack answered {refused.Method} with {refused.Error}"
        : DescribeConnection(exception);

    /// <summary>The same without Slack's error codes: for any HTTP service.</summary>
    public static string DescribeConnection(Exception exception)
    {
        if (exception.Find<BrokenCircuitException>() is { } open)
        {
            return open.InnerException is { } last
                ? $"calls are paused after repeated failures (circuit open; the last: {DescribeConnection(last)})"
                : "calls are paused after repeated failures (circuit open)";
        }

        var request = exception.Find<HttpRequestException>();
        var endpoint = EndpointIn(exception);
        var at = endpoint is null ? "" : $" {endpoint}";
        return (request, exception.Find<SocketException>()) switch
        {
            ({ StatusCode: { } status }, _) => $"HTTP {(int)status} ({status})",
            ({ HttpRequestError: HttpRequestError.NameResolutionError }, _) or (_, { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData })
                => $"DNS lookup of{(endpoint is null ? " the host" : $" {endpoint.Split(':')[0]}")} failed",
            (_, { SocketErrorCode: SocketError.ConnectionRefused }) => $"connection to{(endpoint is null ? " the host" : at)} refused",
            (_, { SocketErrorCode: SocketError.TimedOut }) => $"connecting to{(endpoint is null ? " the host" : at)} timed out",
            (_, { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable }) => $"no route to{(endpoint is null ? " the host" : at)}",
            (_, { SocketErrorCode: SocketError.ConnectionReset }) => "the connection was reset",
            ({ HttpRequestError: HttpRequestError.SecureConnectionError }, _) => $"the TLS handshake with{(endpoint is null ? " the host" : at)} failed",
            _ when exception.Find<TimeoutRejectedException>() is { } timeout => $"no answer within {Seconds(timeout.Timeout)}",
            _ when exception.Find<RateLimiterRejectedException>() is not null => "the per-method rate budget is exhausted",
            _ when exception.Find<TimeoutException>() is { } timeout => LogRedaction.Scrub(timeout.Message).TrimEnd('.'),
            _ when exception.Find<TaskCanceledException>() is not null => "no answer in time",
            _ when exception.Find<WebSocketException>() is { } socket => $"WebSocket failed: {LogRedaction.Scrub(socket.Message).TrimEnd('.')}",
            _ => LogRedaction.Scrub(exception.GetBaseException().Message).TrimEnd('.'),
        };
    }

    /// <summary>The host and port SocketsHttpHandler names, from whichever exception of the chain says it (the transport wraps its own).</summary>
    private static string? EndpointIn(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException && Endpoint().Match(e.Message) is { Success: true } match)
            {
                return match.Groups["endpoint"].Value;
            }
        }

        return null;
    }

    private static string Seconds(TimeSpan time) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.#} s");

    // SocketsHttpHandler: "Connection refused (127.0.0.1:5097)", "Name or service not known (slack.invalid:443)".
    [GeneratedRegex(@"\((?<endpoint>[^()\s]+:\d+)\)\s*$")]
    private static partial Regex Endpoint();
}
