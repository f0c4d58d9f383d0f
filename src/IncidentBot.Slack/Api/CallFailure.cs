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
        Find<SlackApiException>(exception) is not null || Find<HttpRequestException>(exception) is { StatusCode: not null };

    /// <summary>"Slack answered chat.postMessage with channel_not_found", "DNS lookup of slack.com failed", …</summary>
    public static string Describe(Exception exception) => Find<SlackApiException>(exception) is { } refused
        ? $"Slack answered {refused.Method} with {refused.Error}"
        : DescribeConnection(exception);

    /// <summary>The same without Slack's error codes: for any HTTP service.</summary>
    public static string DescribeConnection(Exception exception)
    {
        var request = Find<HttpRequestException>(exception);
        var endpoint = request is null ? null : Endpoint().Match(request.Message) is { Success: true } match ? match.Groups["endpoint"].Value : null;
        var at = endpoint is null ? "" : $" {endpoint}";
        return (request, Find<SocketException>(exception)) switch
        {
            ({ StatusCode: { } status }, _) => $"HTTP {(int)status} ({status})",
            ({ HttpRequestError: HttpRequestError.NameResolutionError }, _) or (_, { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData })
                => $"DNS lookup of{(endpoint is null ? " the host" : $" {endpoint.Split(':')[0]}")} failed",
            (_, { SocketErrorCode: SocketError.ConnectionRefused }) => $"connection to{(endpoint is null ? " the host" : at)} refused",
            (_, { SocketErrorCode: SocketError.TimedOut }) => $"connecting to{(endpoint is null ? " the host" : at)} timed out",
            (_, { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable }) => $"no route to{(endpoint is null ? " the host" : at)}",
            (_, { SocketErrorCode: SocketError.ConnectionReset }) => "the connection was reset",
            ({ HttpRequestError: HttpRequestError.SecureConnectionError }, _) => $"the TLS handshake with{(endpoint is null ? " the host" : at)} failed",
            _ when Find<TimeoutRejectedException>(exception) is { } timeout => $"no answer within {Seconds(timeout.Timeout)}",
            _ when Find<BrokenCircuitException>(exception) is not null => "calls are paused after repeated failures (circuit open)",
            _ when Find<RateLimiterRejectedException>(exception) is not null => "the per-method rate budget is exhausted",
            _ when Find<TimeoutException>(exception) is { } timeout => LogRedaction.Scrub(timeout.Message).TrimEnd('.'),
            _ when Find<TaskCanceledException>(exception) is not null => "no answer in time",
            _ when Find<WebSocketException>(exception) is { } socket => $"WebSocket failed: {LogRedaction.Scrub(socket.Message).TrimEnd('.')}",
            _ => LogRedaction.Scrub(Innermost(exception).Message).TrimEnd('.'),
        };
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static string Seconds(TimeSpan time) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.#} s");

    // SocketsHttpHandler: "Connection refused (127.0.0.1:5097)", "Name or service not known (slack.invalid:443)".
    [GeneratedRegex(@"\((?<endpoint>[^()\s]+:\d+)\)\s*$")]
    private static partial Regex Endpoint();
}
