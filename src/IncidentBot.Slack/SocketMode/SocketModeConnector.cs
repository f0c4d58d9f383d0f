using IncidentBot.Slack.Api;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Opens one Socket Mode connection: a fresh URL from apps.connections.open (its ticket is good
/// once), the WebSocket, and Slack's <c>hello</c>. Only a connection that said hello is returned;
/// the URL itself is never logged.
/// </summary>
internal sealed class SocketModeConnector(
    ISlackApiClient slack,
    SocketModeEnvelopeHandler envelopes,
    SlackOptions options,
    TimeProvider timeProvider,
    ILogger logger,
    CancellationToken handlerToken)
{
    /// <summary>From the WebSocket handshake to Slack's hello. apps.connections.open has its own limits (HTTP timeout, retries, rate budget).</summary>
    internal static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public async Task<SocketModeConnection> ConnectAsync(string name, CancellationToken cancellationToken = default)
    {
        var url = Url(await slack.Apps.ConnectionsOpenAsync(cancellationToken));
        using var timeout = new CancellationTokenSource(ConnectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var connection = await SocketModeConnection.OpenAsync(
                url, name, envelopes, options.MaxRequestBodyBytes, timeProvider, logger, handlerToken, linked.Token);
            try
            {
                await connection.Hello.WaitAsync(linked.Token);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No hello from Slack within {ConnectTimeout.TotalSeconds} s of connecting.");
        }
    }

    private Uri Url(string url) =>
        new(options.SocketModeDebugReconnects ? url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "debug_reconnects=true" : url);
}
