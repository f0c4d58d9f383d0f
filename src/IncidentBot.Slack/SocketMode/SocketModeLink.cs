using IncidentBot.Slack.Api;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Keeps one Socket Mode connection open for as long as the service runs. When Slack asks for a
/// reconnect, the replacement is opened first and the old socket closed only after the new one
/// said hello, so there is no gap. After a drop it reconnects at once; drops in quick succession
/// and failed attempts back off.
/// </summary>
internal sealed class SocketModeLink(
    int number,
    SocketModeConnector connector,
    ReconnectBackoff backoff,
    CancellationTokenSource stopSocketMode,
    TimeProvider timeProvider,
    ILogger logger,
    Action? onReconnected = null)
{
    /// <summary>A connection that lasted this long was healthy: the next drop starts the backoff afresh.</summary>
    internal static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);
    internal static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    // Slack's answers that no retry will change; node-slack-sdk gives up on the same ones.
    private static readonly HashSet<string> FatalErrors = new(StringComparer.Ordinal)
    {
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired",
        "not_allowed_token_type", "missing_scope", "team_disabled", "user_removed_from_team",
    };

    private int connectionCount;
    // Drops and failed attempts since the last connection that lasted StableAfter.
    private int consecutiveFailures;

    public async Task RunAsync()
    {
        var stopping = stopSocketMode.Token;
        SocketModeConnection? current = null;
        try
        {
            current = await ConnectAsync(0, "starting", stopping);
            while (true)
            {
                await Task.WhenAny(current.DisconnectRequested, current.Completion).WaitAsync(stopping);
                // From here on the old connection is closed by the method that replaces it, whatever happens.
                var ended = current;
                current = null;
                current = ended.DisconnectRequested.IsCompleted
                    ? await ReplaceAsync(ended, await ended.DisconnectRequested, stopping)
                    : await ReconnectAsync(ended, await ended.Completion, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutdown, or Socket Mode was stopped for good.
        }
        catch (Exception exception)
        {
            logger.LogCritical(exception, "Socket Mode link {Link} failed and stopped", number);
        }
        finally
        {
            if (current is not null)
            {
                await current.CloseAsync("shutting down", CloseTimeout);
                await current.DisposeAsync();
            }
        }
    }

    private async Task<SocketModeConnection> ReplaceAsync(SocketModeConnection current, string reason, CancellationToken cancellationToken)
    {
        switch (reason)
        {
            case "link_disabled" or "socket_mode_disabled":
                logger.LogError("Slack turned Socket Mode off for this app ({Reason}); Socket Mode stops", reason);
                await RetireAsync(current, "Socket Mode disabled");
                await stopSocketMode.CancelAsync();
                throw new OperationCanceledException(cancellationToken);
            case "too_many_websockets":
                // Opening another one first would only go over the cap again: close, then wait.
                await RetireAsync(current, "too many connections");
                return await ConnectAsync(consecutiveFailures + 1, $"connection {current.Name} refused by Slack ({reason})", cancellationToken);
            default:
                // warning, refresh_requested, or a reason we do not know yet: the old socket keeps
                // delivering and acknowledging until the new one is ready.
                logger.LogInformation("Socket Mode connection {Connection}: Slack asked for a new connection ({Reason}); replacing it",
                    current.Name, reason);
                try
                {
                    return await ConnectAsync(0, $"replacing connection {current.Name}", cancellationToken);
                }
                finally
                {
                    await RetireAsync(current, "replaced");
                }
        }
    }

    private async Task<SocketModeConnection> ReconnectAsync(SocketModeConnection current, string how, CancellationToken cancellationToken)
    {
        var lived = timeProvider.GetUtcNow() - current.OpenedAt;
        // While the socket is down every slash command fails, so the first try goes at once: apps.connections.open
        // is not held by a client-side budget, and a 429 from Slack paces it through its Retry-After.
        var attempt = lived >= StableAfter ? 0 : consecutiveFailures;
        await current.DisposeAsync();
        var why = $"connection {current.Name} {how}";
        if (attempt == 0)
        {
            logger.LogWarning("Socket Mode link {Link}: {Why}; reconnecting at once", number, why);
        }

        var connection = await ConnectAsync(attempt, why, cancellationToken);
        // Counts this drop: should the new connection drop soon too, its reconnect waits.
        consecutiveFailures++;
        onReconnected?.Invoke();
        return connection;
    }

    /// <summary>Tries until a connection says hello, waiting <see cref="ReconnectBackoff"/> before attempt n ≥ 1; each wait is logged once.</summary>
    private async Task<SocketModeConnection> ConnectAsync(int attempt, string why, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (attempt > 0)
            {
                var delay = backoff.Delay(attempt);
                logger.LogWarning("Socket Mode link {Link}: {Why}; reconnecting in {Seconds:0.#} s (attempt {Attempt})", number, why, delay.TotalSeconds, attempt);
                await Task.Delay(delay, timeProvider, cancellationToken);
            }

            try
            {
                logger.LogDebug("Socket Mode link {Link}: connecting", number);
                var connection = await connector.ConnectAsync($"{number}.{++connectionCount}", cancellationToken);
                logger.LogDebug("Socket Mode connection {Connection} is open", connection.Name);
                consecutiveFailures = attempt;
                return connection;
            }
            catch (SlackApiException exception) when (FatalErrors.Contains(exception.Error))
            {
                logger.LogCritical("Socket Mode cannot connect: apps.connections.open answered {Error}; check Slack:AppToken. Socket Mode stops",
                    exception.Error);
                await stopSocketMode.CancelAsync();
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                attempt++;
                why = $"connecting failed: {CallFailure.Describe(exception)}";
            }
        }
    }

    private static async Task RetireAsync(SocketModeConnection connection, string reason)
    {
        await connection.CloseAsync(reason, CloseTimeout);
        await connection.DisposeAsync();
    }
}
