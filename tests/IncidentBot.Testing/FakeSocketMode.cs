using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Testing;

/// <summary>
/// The Socket Mode side of <see cref="FakeSlack"/>: apps.connections.open hands out
/// <c>ws://127.0.0.1:{port}/link/?ticket=…</c> on the same server, each ticket good for one
/// connection as with Slack. Each accepted socket is a <see cref="FakeSocket"/> the test drives:
/// hello, envelopes, disconnect, abort.
/// </summary>
public sealed class FakeSocketMode
{
    private readonly Func<Uri> baseUrl;
    private readonly Lock gate = new();
    private readonly HashSet<string> unusedTickets = new(StringComparer.Ordinal);
    private readonly List<string> issuedUrls = [];
    private readonly List<FakeSocket> sockets = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int refused;
    private int refuseNext;
    private int accepted;

    internal FakeSocketMode(Func<Uri> baseUrl) => this.baseUrl = baseUrl;

    /// <summary>Greet each new connection with hello at once, as Slack does; false lets the test send it (<see cref="FakeSocket.SendHelloAsync"/>).</summary>
    public bool SendHelloOnConnect { get; set; } = true;

    /// <summary>Every socket accepted so far, in order.</summary>
    public IReadOnlyList<FakeSocket> Connections
    {
        get
        {
            lock (gate)
            {
                return [.. sockets];
            }
        }
    }

    public IReadOnlyList<FakeSocket> OpenConnections => Connections.Where(socket => socket.IsOpen).ToList();

    /// <summary>The URLs apps.connections.open answered with, in order.</summary>
    public IReadOnlyList<string> IssuedUrls
    {
        get
        {
            lock (gate)
            {
                return [.. issuedUrls];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> upgrade requests are refused with 503 (their tickets used up), as by an unavailable Slack edge.</summary>
    public void RefuseNextConnections(int count)
    {
        lock (gate)
        {
            refuseNext += count;
        }
    }

    /// <summary>Upgrade requests refused: unknown or already used ticket, or <see cref="RefuseNextConnections"/>.</summary>
    public int RefusedConnections
    {
        get
        {
            lock (gate)
            {
                return refused;
            }
        }
    }

    /// <summary>The socket accepted as number <paramref name="index"/> (0 = first), waiting for it if need be.</summary>
    public async Task<FakeSocket> WaitForConnectionAsync(int index = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (sockets.Count > index)
                {
                    return sockets[index];
                }

                next = changed.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"FakeSocketMode accepted {Connections.Count} connection(s), not {index + 1}.");
            }

            await Task.WhenAny(next, Task.Delay(remaining));
        }
    }

    internal string IssueUrl()
    {
        lock (gate)
        {
            var ticket = $"secret-ticket-{issuedUrls.Count + 1}-{Guid.NewGuid():N}";
            unusedTickets.Add(ticket);
            var url = $"ws://{baseUrl().Authority}/link/?ticket={ticket}&app_id=A0FAKE";
            issuedUrls.Add(url);
            return url;
        }
    }

    internal void AbortAll()
    {
        foreach (var socket in Connections)
        {
            socket.Abort();
        }
    }

    internal async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var ticket = context.Request.Query["ticket"].ToString();
        lock (gate)
        {
            if (!unusedTickets.Remove(ticket))
            {
                refused++;
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (refuseNext > 0)
            {
                refuseNext--;
                refused++;
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
        }

        var (webSocket, stream) = await UpgradeAsync(context);
        var socket = new FakeSocket(
            Interlocked.Increment(ref accepted) - 1, webSocket, stream, context, ticket, context.Request.Query["debug_reconnects"] == "true");
        // Hello goes first, so whatever a test sends on a socket it was handed comes after it.
        if (SendHelloOnConnect)
        {
            await socket.SendHelloAsync();
        }

        TaskCompletionSource signal;
        lock (gate)
        {
            sockets.Add(socket);
            signal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
        await socket.RunAsync();
    }
    /// <summary>
    /// The handshake of RFC 6455 4.2.2, done here rather than by ASP.NET Core so the socket runs on a stream the fake can
    /// ping through (<see cref="FakeSocket.PingAsync"/>).
    /// </summary>
    private static async Task<(WebSocket, PingingStream)> UpgradeAsync(HttpContext context)
    {
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        var accept = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        var upgrade = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>()!;
        var stream = new PingingStream(await upgrade.UpgradeAsync());
        return (WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero }), stream);
    }
}

/// <summary>One client connection as the fake Slack sees it: what it sent, and buttons to push.</summary>
public sealed class FakeSocket
{
    private readonly WebSocket webSocket;
    private readonly PingingStream stream;
    private readonly HttpContext context;
    private readonly SemaphoreSlim sendGate = new(1, 1);
    private readonly Lock gate = new();
    private readonly List<JsonElement> received = [];
    private readonly TaskCompletionSource<WebSocketCloseStatus?> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int envelopeCount;

    internal FakeSocket(int index, WebSocket webSocket, PingingStream stream, HttpContext context, string ticket, bool debugReconnects)
    {
        Index = index;
        this.webSocket = webSocket;
        this.stream = stream;
        this.context = context;
        Ticket = ticket;
        DebugReconnects = debugReconnects;
    }

    /// <summary>Numbers sockets in the order they were accepted (0 = first).</summary>
    public int Index { get; }
    public string Ticket { get; }

    /// <summary>Whether the client asked for debug_reconnects=true.</summary>
    public bool DebugReconnects { get; }

    public bool IsOpen => !closed.Task.IsCompleted;

    /// <summary>Completes when the socket ends: with the client's close status, or null if it was aborted.</summary>
    public Task<WebSocketCloseStatus?> Closed => closed.Task;

    /// <summary>The JSON messages the client sent (acks), in order.</summary>
    public IReadOnlyList<JsonElement> Received
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    public Task SendHelloAsync(int numConnections = 1) => SendAsync(new JsonObject
    {
        ["type"] = "hello",
        ["num_connections"] = numConnections,
        ["debug_info"] = new JsonObject { ["host"] = $"applink-fake-{Index}", ["build_number"] = 1, ["approximate_connection_time"] = 18060 },
        ["connection_info"] = new JsonObject { ["app_id"] = "A0FAKE" },
    }.ToJsonString());

    public Task SendDisconnectAsync(string reason) => SendAsync(new JsonObject
    {
        ["type"] = "disconnect",
        ["reason"] = reason,
        ["debug_info"] = new JsonObject { ["host"] = $"applink-fake-{Index}" },
    }.ToJsonString());

    /// <summary>Wraps <paramref name="payloadJson"/> in an envelope and sends it; returns its envelope_id.</summary>
    public async Task<string> SendEnvelopeAsync(
        string type, string payloadJson, bool acceptsResponsePayload = false, string? envelopeId = null, int retryAttempt = 0, int frames = 1)
    {
        envelopeId ??= $"env-{Index}-{Interlocked.Increment(ref envelopeCount)}";
        var envelope = new JsonObject
        {
            ["envelope_id"] = envelopeId,
            ["type"] = type,
            ["payload"] = JsonNode.Parse(payloadJson),
            ["accepts_response_payload"] = acceptsResponsePayload,
        };
        if (type == "events_api")
        {
            envelope["retry_attempt"] = retryAttempt;
            envelope["retry_reason"] = retryAttempt > 0 ? "timeout" : "";
        }

        await SendAsync(envelope.ToJsonString(), frames);
        return envelopeId;
    }

    /// <summary>Sends <paramref name="text"/> as one text message split over <paramref name="frames"/> frames.</summary>
    public async Task SendAsync(string text, int frames = 1)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        frames = Math.Clamp(frames, 1, Math.Max(bytes.Length, 1));
        var size = (bytes.Length + frames - 1) / frames;
        await sendGate.WaitAsync();
        try
        {
            for (var frame = 0; frame < frames; frame++)
            {
                var offset = Math.Min(frame * size, bytes.Length);
                var count = Math.Min(size, bytes.Length - offset);
                await webSocket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, frame == frames - 1, CancellationToken.None);
            }
        }
        finally
        {
            sendGate.Release();
        }
    }

    /// <summary>The client's ack for <paramref name="envelopeId"/>; fails after <paramref name="timeout"/> (default 10 s).</summary>
    public Task<JsonElement> WaitForAckAsync(string envelopeId, TimeSpan? timeout = null) =>
        WaitForAsync(message => message.TryGetProperty("envelope_id", out var id) && id.GetString() == envelopeId, timeout);

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task next;
            lock (gate)
            {
                foreach (var message in received)
                {
                    if (match(message))
                    {
                        return message;
                    }
                }

                next = changed.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Socket {Index} received no matching message; received: {string.Join(", ", Received.Select(m => m.GetRawText()))}");
            }

            await Task.WhenAny(next, Task.Delay(remaining));
        }
    }

    /// <summary>Pings the client, as Slack does now and then, and returns once its pong has arrived.</summary>
    public Task PingAsync(CancellationToken cancellationToken = default) => stream.PingAsync(cancellationToken);

    /// <summary>Drops the connection without a close handshake, as a network failure or a Slack restart would.</summary>
    public void Abort()
    {
        if (!IsOpen)
        {
            return;
        }

        try
        {
            context.Abort();
            webSocket.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request ended in the meantime.
        }
    }

    internal async Task RunAsync()
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        WebSocketCloseStatus? status = null;
        try
        {
            while (true)
            {
                var result = await webSocket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    status = webSocket.CloseStatus;
                    await sendGate.WaitAsync();
                    try
                    {
                        await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                    finally
                    {
                        sendGate.Release();
                    }

                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    Record(message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Aborted by either side.
        }
        finally
        {
            closed.TrySetResult(status);
        }
    }

    private void Record(byte[] utf8)
    {
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(utf8);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            json = JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(utf8));
        }

        TaskCompletionSource signal;
        lock (gate)
        {
            received.Add(json);
            signal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }
}
