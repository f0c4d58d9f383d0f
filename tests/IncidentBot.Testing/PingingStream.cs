namespace IncidentBot.Testing;

/// <summary>
/// The server's side of an upgraded WebSocket connection, under the server's <see cref="System.Net.WebSockets.WebSocket"/>:
/// it lets the fake send a ping frame when the test says so and sees the client's pong frames go by. A WebSocket's own
/// keep-alive pings run on real timers; these take no time but a round trip.
/// </summary>
internal sealed class PingingStream(Stream inner) : Stream
{
    private const byte PingFrame = 0x89;
    private const int PongOpcode = 0xA;

    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly Lock gate = new();
    private readonly List<byte> header = [];
    private long payloadLeft;
    private TaskCompletionSource pong = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Sends an empty ping frame and completes when the client's next pong has arrived.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        Task answered;
        lock (gate)
        {
            answered = pong.Task;
        }

        await writeGate.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(new byte[] { PingFrame, 0 }, cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }
        finally
        {
            writeGate.Release();
        }

        await answered.WaitAsync(cancellationToken);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        See(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <remarks>The WebSocket writes each frame in one call, so a ping never lands inside another frame.</remarks>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            writeGate.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Follows the client's frames (RFC 6455 5.2: always masked) through their headers, skipping payloads.</summary>
    private void See(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (payloadLeft > 0)
            {
                payloadLeft--;
                continue;
            }

            header.Add(b);
            if (HeaderLength() is { } length && header.Count == length)
            {
                payloadLeft = PayloadLength();
                if ((header[0] & 0x0F) == PongOpcode)
                {
                    Ponged();
                }

                header.Clear();
            }
        }
    }

    /// <summary>Null until the first two bytes say how long the header is.</summary>
    private int? HeaderLength() => header.Count < 2 ? null : 2 + (header[1] & 0x7F) switch { 126 => 2, 127 => 8, _ => 0 } + 4;

    private long PayloadLength()
    {
        var length = header[1] & 0x7F;
        var extended = length switch { 126 => 2, 127 => 8, _ => 0 };
        long value = extended == 0 ? length : 0;
        for (var i = 0; i < extended; i++)
        {
            value = (value << 8) | header[2 + i];
        }

        return value;
    }

    private void Ponged()
    {
        TaskCompletionSource answered;
        lock (gate)
        {
            answered = pong;
            pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        answered.TrySetResult();
    }
}
