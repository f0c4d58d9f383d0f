using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// One WebSocket to Slack. Reads whole messages (however many frames they span), hands each
/// envelope to the handler without holding up the next read, and sends its ack on this same
/// socket. Ping and pong are ClientWebSocket's: it pings Slack, answers Slack's pings, and aborts
/// the socket when no pong comes back, which ends <see cref="Completion"/> like any other drop.
/// </summary>
internal sealed class SocketModeConnection : IAsyncDisposable
{
    internal static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);
    internal static readonly TimeSpan PongTimeout = TimeSpan.FromSeconds(20);
    private const int ChunkBytes = 16 * 1024;

    private readonly ClientWebSocket socket;
    private readonly SocketModeEnvelopeHandler envelopes;
    private readonly int maxMessageBytes;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly CancellationToken handlerToken;
    private readonly SemaphoreSlim sendGate = new(1, 1);
    private readonly TaskCompletionSource<SocketModeMessage> hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> disconnectRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private readonly HashSet<Task> inFlight = [];
    private Task<string> completion = Task.FromResult("not started");

    private SocketModeConnection(
        string name, ClientWebSocket socket, SocketModeEnvelopeHandler envelopes, int maxMessageBytes,
        TimeProvider timeProvider, ILogger logger, CancellationToken handlerToken)
    {
        Name = name;
        this.socket = socket;
        this.envelopes = envelopes;
        this.maxMessageBytes = maxMessageBytes;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.handlerToken = handlerToken;
        OpenedAt = timeProvider.GetUtcNow();
    }

    /// <summary>"link.connection", e.g. "2.5": the fifth connection of the second link; safe to log.</summary>
    public string Name { get; }

    public DateTimeOffset OpenedAt { get; }

    /// <summary>Slack's <c>hello</c>; faults if the socket ends before it arrives.</summary>
    public Task<SocketModeMessage> Hello => hello.Task;

    /// <summary>Slack's reason once it sends <c>disconnect</c>; the socket still delivers until it is closed.</summary>
    public Task<string> DisconnectRequested => disconnectRequested.Task;

    /// <summary>Completes, with a loggable description, when the socket has closed or dropped.</summary>
    public Task<string> Completion => completion;

    /// <param name="handlerToken">Cancels envelope handling (shutdown); closing this socket does not.</param>
    public static async Task<SocketModeConnection> OpenAsync(
        Uri url, string name, SocketModeEnvelopeHandler envelopes, int maxMessageBytes, TimeProvider timeProvider,
        ILogger logger, CancellationToken handlerToken, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = PingInterval;
        socket.Options.KeepAliveTimeout = PongTimeout;
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new SocketModeConnection(name, socket, envelopes, maxMessageBytes, timeProvider, logger, handlerToken);
        connection.completion = connection.ReceiveAllAsync();
        return connection;
    }

    /// <summary>
    /// Lets the acks still being worked out go out first (on this socket, as Slack requires), then
    /// closes with a handshake; a socket that does not finish within <paramref name="timeout"/> is aborted.
    /// </summary>
    public async Task CloseAsync(string reason, TimeSpan timeout)
    {
        Task[] pending;
        lock (gate)
        {
            pending = [.. inFlight];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(timeout, timeProvider);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Closing Socket Mode connection {Connection} with {Count} envelopes still being handled", Name, pending.Length);
        }
        catch (Exception)
        {
            // Each envelope logs its own failure.
        }

        await sendGate.WaitAsync(CancellationToken.None);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            // Already gone; Completion says how.
        }
        finally
        {
            sendGate.Release();
        }

        try
        {
            await completion.WaitAsync(timeout, timeProvider);
        }
        catch (TimeoutException)
        {
            socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        socket.Abort();
        await completion;
        socket.Dispose();
    }

    private async Task<string> ReceiveAllAsync()
    {
        var chunk = new byte[ChunkBytes];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                var (type, tooLarge) = await ReceiveMessageAsync(chunk, message);
                if (type == WebSocketMessageType.Close)
                {
                    return await AnswerCloseAsync();
                }

                if (tooLarge || type != WebSocketMessageType.Text)
                {
                    logger.LogWarning("Ignoring a Socket Mode {MessageType} message on connection {Connection}: {Reason}",
                        type, Name, tooLarge ? $"larger than {maxMessageBytes} bytes" : "not text");
                    continue;
                }

                Dispatch(message.GetBuffer().AsSpan(0, (int)message.Length));
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return $"dropped ({LogRedaction.Scrub(exception.Message)})";
        }
        catch (Exception exception)
        {
            // A bug here must not stop the link: the connection ends like a drop and is replaced.
            logger.LogError(exception, "Socket Mode connection {Connection} failed while reading", Name);
            return $"failed ({exception.GetType().Name})";
        }
        finally
        {
            if (hello.TrySetException(new WebSocketException("The Socket Mode connection ended before Slack said hello.")))
            {
                // Whoever waited for hello has given up already (timeout, shutdown); nobody else will look.
                _ = hello.Task.Exception;
            }
        }
    }

    /// <summary>Reads frames until the end of one message; a message over the cap is read to its end and reported, not kept.</summary>
    private async Task<(WebSocketMessageType Type, bool TooLarge)> ReceiveMessageAsync(byte[] chunk, MemoryStream message)
    {
        var tooLarge = false;
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, false);
            }

            tooLarge |= message.Length + result.Count > maxMessageBytes;
            if (!tooLarge)
            {
                message.Write(chunk, 0, result.Count);
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType, tooLarge);
            }
        }
    }

    private async Task<string> AnswerCloseAsync()
    {
        var description = socket.CloseStatusDescription is { Length: > 0 } text
            ? $"closed by Slack ({(int?)socket.CloseStatus}: {LogRedaction.Scrub(text)})"
            : $"closed by Slack ({(int?)socket.CloseStatus})";
        if (socket.State != WebSocketState.CloseReceived)
        {
            // We started the close; this is Slack's answer.
            return "closed";
        }

        await sendGate.WaitAsync(CancellationToken.None);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            // The close handshake is a courtesy; the socket is over either way.
        }
        finally
        {
            sendGate.Release();
        }

        return description;
    }

    private void Dispatch(ReadOnlySpan<byte> utf8)
    {
        var message = SocketModeMessage.Parse(utf8);
        switch (message)
        {
            case null:
                logger.LogWarning("Ignoring a malformed Socket Mode message ({Bytes} bytes) on connection {Connection}", utf8.Length, Name);
                break;
            case { Type: SocketModeMessage.HelloType }:
                logger.LogInformation("Socket Mode connection {Connection}: connected, hello from {Host} ({Count} connections open)",
                    Name, message.DebugInfo?.Host, message.NumConnections);
                hello.TrySetResult(message);
                break;
            case { Type: SocketModeMessage.DisconnectType }:
                disconnectRequested.TrySetResult(message.Reason ?? "");
                break;
            case { EnvelopeId.Length: > 0 }:
                Track(HandleEnvelopeAsync(message));
                break;
            default:
                logger.LogInformation("Ignoring a Socket Mode message of type {Type} without envelope_id on connection {Connection}", message.Type, Name);
                break;
        }
    }

    private async Task HandleEnvelopeAsync(SocketModeMessage envelope)
    {
        // Off the receive loop: a slash command may take its 2.5 s while other envelopes keep arriving.
        await Task.Yield();
        try
        {
            var ack = await envelopes.HandleAsync(envelope, handlerToken);
            if (ack is not null && !await TrySendAsync(ack.ToUtf8()))
            {
                logger.LogWarning("Could not acknowledge Socket Mode {Type} envelope {EnvelopeId}: connection {Connection} is closing",
                    envelope.Type, envelope.EnvelopeId, Name);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !handlerToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Socket Mode {Type} envelope {EnvelopeId} failed and was not acknowledged", envelope.Type, envelope.EnvelopeId);
        }
    }

    private async Task<bool> TrySendAsync(byte[] utf8)
    {
        // ClientWebSocket allows one send at a time; acks finish in any order.
        await sendGate.WaitAsync(CancellationToken.None);
        try
        {
            if (socket.State != WebSocketState.Open)
            {
                return false;
            }

            await socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            return true;
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            sendGate.Release();
        }
    }

    private void Track(Task work)
    {
        lock (gate)
        {
            inFlight.Add(work);
        }

        work.ContinueWith(
            finished =>
            {
                lock (gate)
                {
                    inFlight.Remove(finished);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
