using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Support;

/// <summary>
/// Signed Slack <c>message</c> events, each unique (event id, ts, text), from any number of concurrent senders: event n
/// goes to bot n modulo the bots (replicas behind a load balancer) and to the channels in turn. What each bot
/// acknowledged with a 200 is kept. The senders go on until <see cref="Stop"/>.
/// </summary>
public sealed class SignedMessageStream(
    IReadOnlyList<Uri> bots, IReadOnlyList<string> channels, string teamId, string signingSecret, string textPrefix)
{
    private readonly CancellationTokenSource stop = new();
    private readonly SlackRequestSigner signer = new(signingSecret);
    private readonly ConcurrentBag<string>[] acked = [.. bots.Select(_ => new ConcurrentBag<string>())];
    private int sequence;
    private int ackedCount;
    private int failed;

    /// <summary>Every text acknowledged, by any bot.</summary>
    public IReadOnlyList<string> Acked => [.. acked.SelectMany(texts => texts)];

    public int AckedCount => Volatile.Read(ref ackedCount);

    /// <summary>The texts the bot at this index acknowledged.</summary>
    public IReadOnlyCollection<string> AckedBy(int bot) => acked[bot];

    public int Sent => Volatile.Read(ref sequence);

    public int Failed => Volatile.Read(ref failed);

    public bool IsStreamed(string text) => text.StartsWith(textPrefix, StringComparison.Ordinal);

    public void Stop() => stop.Cancel();

    public async Task SendUntilStoppedAsync()
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref sequence);
            var bot = n % bots.Count;
            var text = textPrefix + n.ToString("D6", CultureInfo.InvariantCulture);
            try
            {
                using var request = signer.Event(Envelope(n, text, channels[n / bots.Count % channels.Count]));
                request.RequestUri = new Uri(bots[bot], SlackRequestSigner.EventsPath);
                using var response = await client.SendAsync(request, stop.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acked[bot].Add(text);
                    Interlocked.Increment(ref ackedCount);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // The process is gone (or going): this one was never acknowledged.
                Interlocked.Increment(ref failed);
                if (!stop.IsCancellationRequested)
                {
                    await Task.Delay(20);
                }
            }
        }
    }

    private string Envelope(int n, string text, string channel) => new JsonObject
    {
        ["token"] = "legacy",
        ["team_id"] = teamId,
        ["api_app_id"] = "A0BOT",
        ["event"] = new JsonObject
        {
            ["type"] = "message",
            ["channel"] = channel,
            ["user"] = SlackTestBot.Responder,
            ["text"] = text,
            ["ts"] = $"1760000000.{n:D6}",
            ["channel_type"] = "channel",
        },
        ["type"] = "event_callback",
        ["event_id"] = $"Ev{textPrefix}{n:D6}",
        ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    }.ToJsonString();
}
