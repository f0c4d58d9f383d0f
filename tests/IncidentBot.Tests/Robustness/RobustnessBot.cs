using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Robustness;

/// <summary>
/// One bot on Kestrel with fake Slack, shared by the cases of a test class, with an incident that
/// has its channel, so hostile requests have something real to aim at. It can take a snapshot of
/// everything the REST API shows, and drain the Slack work queue by sending a marker message and
/// waiting for it: the durable queue runs oldest first, so whatever a case queued has run by then.
/// </summary>
public sealed class RobustnessBot : IAsyncLifetime
{
    public const string MarkerPrefix = "robustness-marker-";
    private static long markerCounter;
    private static long tsCounter;

    public SlackTestBot Slack { get; private set; } = null!;

    public long Incident { get; private set; }

    public string IncidentChannel { get; private set; } = "";

    /// <summary>A channel the bot is in that belongs to no incident.</summary>
    public string OtherChannel => Slack.Ops.Id;

    public string TeamId => Slack.Slack.TeamId;

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        // The fake Slack answers every call at once. Slack's per-method budget (20 new channels a minute, on the real
        // clock) would make the cases' many declarations wait minutes, which is not what they are about; the budget
        // has tests of its own.
        Slack = await SlackTestBot.StartAsync(extraSettings: new Dictionary<string, string?> { ["Slack:UseRateBudget"] = "false" });
        Incident = await Slack.DeclareAsync("Robustness target incident");
        IncidentChannel = (await Slack.ChannelOfAsync(Incident)).Id;
        // The declaration's own follow-up (card, pin, announcement) settles before any snapshot is taken.
        await Slack.Slack.WaitForCallAsync("pins.add", c => c.Arg("channel") == IncidentChannel);
        await DrainAsync();
    }

    public async Task DisposeAsync() => await Slack.DisposeAsync();

    /// <summary>A message ts nobody else uses.</summary>
    public static string UniqueTs() => $"1750000000.{Interlocked.Increment(ref tsCounter):D6}";

    /// <summary>A signed event_callback envelope around <paramref name="innerEvent"/> (JSON text).</summary>
    public string Envelope(string innerEvent, string? eventId = null) =>
        $$"""{"token":"legacy","team_id":"{{TeamId}}","api_app_id":"A0BOT","event":{{innerEvent}},"type":"event_callback","event_id":"{{eventId ?? "Ev" + Guid.NewGuid().ToString("N")}}","event_time":{{Now}}}""";

    /// <summary>A plain message event as JSON text.</summary>
    public static string MessageEvent(string channel, string text, string? ts = null) =>
        new JsonObject
        {
            ["type"] = "message",
            ["channel"] = channel,
            ["user"] = SlackTestBot.Responder,
            ["text"] = text,
            ["ts"] = ts ?? UniqueTs(),
            ["channel_type"] = "channel",
        }.ToJsonString();

    public RawRequest SignedEvent(string json) =>
        RawRequest.Post("/slack/events", json, "application/json").SignedBy(SlackTestBot.SigningSecret, Now);

    public async Task<HttpResponseMessage> SendAsync(RawRequest request)
    {
        using var client = Slack.Bot.AnonymousClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        using var message = request.ToMessage();
        return await client.SendAsync(message);
    }

    /// <summary>Waits until every Slack event accepted so far has run.</summary>
    public async Task DrainAsync()
    {
        var marker = MarkerPrefix + Interlocked.Increment(ref markerCounter).ToString(CultureInfo.InvariantCulture);
        using var response = await SendAsync(SignedEvent(Envelope(MessageEvent(IncidentChannel, marker))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await SlackTestBot.EventuallyAsync(
            async () => (await TimelineAsync(Incident)).Any(e => e.GetProperty("text").GetString() == marker),
            TimeSpan.FromSeconds(60));
    }

    /// <summary>The whole timeline, oldest first, through the REST API's pages.</summary>
    public async Task<List<JsonElement>> TimelineAsync(long number)
    {
        var entries = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var path = $"/api/incidents/{number}/timeline" + (cursor is null ? "" : $"?cursor={Uri.EscapeDataString(cursor)}");
            var page = await TestBot.ReadSuccessAsync(await Slack.Bot.Client.GetAsync(path));
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return entries;
    }

    public async Task<List<JsonElement>> IncidentsAsync()
    {
        var page = await TestBot.ReadSuccessAsync(await Slack.Bot.Client.GetAsync("/api/incidents?limit=500"));
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>
    /// Every incident as the API shows it, and every timeline entry of every incident except the
    /// drain markers: if two snapshots are equal, nothing was stored in between.
    /// </summary>
    public async Task<string> SnapshotAsync()
    {
        await DrainAsync();
        var text = new StringBuilder();
        foreach (var incident in await IncidentsAsync())
        {
            text.AppendLine(incident.GetRawText());
            foreach (var entry in await TimelineAsync(incident.GetProperty("number").GetInt64()))
            {
                if (entry.GetProperty("text").GetString()?.StartsWith(MarkerPrefix, StringComparison.Ordinal) != true)
                {
                    text.Append("  ").AppendLine(entry.GetRawText());
                }
            }
        }

        return text.ToString();
    }

    public async Task AssertStillHealthyAsync()
    {
        using var client = Slack.Bot.AnonymousClient();
        using var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
