using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Testing;

namespace IncidentBot.Tests.Support;

/// <summary>The bot on Kestrel wired to a fake Slack on loopback, with a signer for requests "from Slack".</summary>
public sealed class SlackTestBot : IAsyncDisposable
{
    public const string SigningSecret = "test-signing-secret-0123456789";
    public const string Responder = "U0RESP1";
    public const string OpsChannelName = "ops";

    private readonly TemporaryDatabase database;
    private readonly TimeProvider? clock;
    private int eventCounter;

    private SlackTestBot(TemporaryDatabase database, FakeSlack slack, TestBot bot, FakeChannel ops, FakeChannel announcements, TimeProvider? clock)
    {
        this.database = database;
        this.clock = clock;
        Slack = slack;
        Bot = bot;
        Ops = ops;
        Announcements = announcements;
        Signer = new SlackRequestSigner(SigningSecret, clock);
    }

    public FakeSlack Slack { get; }
    public TestBot Bot { get; }
    public FakeChannel Ops { get; }
    public FakeChannel Announcements { get; }
    public SlackRequestSigner Signer { get; }

    /// <param name="socketMode">Slack reaches the bot over a Socket Mode connection instead of HTTP requests.</param>
    /// <param name="clock">The bot's clock, which also signs the requests "from Slack"; with it, no rate budget holds calls back.</param>
    /// <param name="extraSettings">Configuration added to the Slack settings, e.g. to turn a feature on.</param>
    public static async Task<SlackTestBot> StartAsync(
        TemporaryDatabase? database = null, FakeSlack? slack = null, bool socketMode = false, IDictionary<string, string?>? extraSettings = null,
        TimeProvider? clock = null)
    {
        database ??= new TemporaryDatabase();
        slack ??= await FakeSlack.StartAsync();
        slack.AddUser(Responder, "alice");
        var ops = slack.Channels.Values.FirstOrDefault(c => c.Name == OpsChannelName) ?? slack.AddChannel(OpsChannelName, members: Responder);
        var announcements = slack.Channels.Values.FirstOrDefault(c => c.Name == "incidents") ?? slack.AddChannel("incidents");
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Slack:AnnouncementChannel"] = announcements.Id,
            ["Slack:RetryBaseDelay"] = "00:00:00.050",
        };
        if (clock is not null)
        {
            // Slack's per-method budget refills on the bot's clock: one that a test holds still would hold back every
            // call past a burst. The budget's own tests are in IncidentBot.Slack.Tests.
            settings["Slack:UseRateBudget"] = "false";
        }

        if (socketMode)
        {
            settings["Slack:SigningSecret"] = "";
            settings["Slack:AppToken"] = slack.AppToken;
            settings["Slack:SocketModeConnections"] = "1";
            settings["Slack:SocketModeReconnectDelay"] = "00:00:00.050";
        }

        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var bot = await TestBot.StartAsync(database.ConnectionString, clock, settings);
        return new SlackTestBot(database, slack, bot, ops, announcements, clock);
    }

    /// <summary>Stops the bot, keeping its database, the fake Slack and the clock, and starts it again.</summary>
    /// <param name="whileStopped">Runs between stop and start, e.g. to change the database as a crash would.</param>
    public async Task<SlackTestBot> RestartAsync(Func<string, Task>? whileStopped = null)
    {
        await Bot.DisposeAsync();
        if (whileStopped is not null)
        {
            await whileStopped(database.ConnectionString);
        }

        return await StartAsync(database, Slack, clock: clock);
    }

    public async Task<HttpResponseMessage> CommandAsync(string text, string? channelId = null, string user = Responder)
    {
        var channel = channelId ?? Ops.Id;
        var request = Signer.SlashCommand(new Dictionary<string, string>
        {
            ["command"] = "/incident",
            ["text"] = text,
            ["user_id"] = user,
            ["user_name"] = "alice",
            ["channel_id"] = channel,
            ["team_id"] = Slack.TeamId,
            ["trigger_id"] = "1.2.3",
            ["response_url"] = Slack.ResponseUrl(),
        });
        return await SendAsync(request);
    }

    /// <summary>Sends an inner event in an event_callback envelope; returns the event id used.</summary>
    public async Task<(HttpResponseMessage Response, string EventId)> EventAsync(object innerEvent, string? eventId = null, int retryNum = 0)
    {
        eventId ??= $"Ev{Interlocked.Increment(ref eventCounter):D6}";
        var envelope = new JsonObject
        {
            ["token"] = "legacy",
            ["team_id"] = Slack.TeamId,
            ["api_app_id"] = "A0BOT",
            ["event"] = JsonSerializer.SerializeToNode(innerEvent),
            ["type"] = "event_callback",
            ["event_id"] = eventId,
            ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        return (await SendAsync(Signer.Event(envelope.ToJsonString(), retryNum: retryNum)), eventId);
    }

    /// <summary>
    /// Returns once everything Slack sent before is handled: the bot runs accepted work in order, so a channel
    /// message sent now reaches the timeline only after what came before it.
    /// </summary>
    public async Task DrainAsync(long number, string channel)
    {
        var marker = $"drain-marker-{Interlocked.Increment(ref eventCounter)}";
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Interlocked.Increment(ref eventCounter):D6}";
        await EventAsync(new { type = "message", channel, user = Responder, text = marker, ts, channel_type = "channel" });
        await EventuallyAsync(async () => (bool?)((await TimelineAsync(number)).Any(e => e.GetProperty("text").GetString() == marker) ? true : null));
    }

    /// <summary>Returns once the incident's Slack progress record says every change has been said in its channel.</summary>
    public Task WaitUntilSlackIsToldAsync(long number, TimeSpan? timeout = null) => EventuallyAsync<bool?>(async () =>
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT COUNT(*) FROM incident_slack_sync s JOIN incidents i ON i.number = s.incident_number
            WHERE s.incident_number = $number AND s.card_version >= i.version
                AND s.lines_through_entry_id >= (SELECT MAX(id) FROM timeline_entries WHERE incident_number = $number AND kind NOT IN ('message', 'member_joined'))
                AND s.announced_through_entry_id >= s.lines_through_entry_id;
            """;
        query.Parameters.AddWithValue("$number", number);
        return (long)(await query.ExecuteScalarAsync())! == 1 ? true : null;
    }, timeout);

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using var client = Bot.AnonymousClient();
        return await client.SendAsync(request);
    }

    // The test's own view of the stored state sees private incidents too.
    public async Task<JsonElement> IncidentAsync(long number) =>
        await TestBot.ReadSuccessAsync(await Bot.PrivateClient.GetAsync($"/api/incidents/{number}"));

    public async Task<List<JsonElement>> TimelineAsync(long number)
    {
        var page = await TestBot.ReadSuccessAsync(await Bot.PrivateClient.GetAsync($"/api/incidents/{number}/timeline"));
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    /// <summary>The incident's channel once the bot has opened it.</summary>
    public async Task<FakeChannel> ChannelOfAsync(long number)
    {
        var channelId = await EventuallyAsync(async () =>
        {
            var incident = await IncidentAsync(number);
            return incident.GetProperty("channel").ValueKind == JsonValueKind.Object ? incident.GetProperty("channel").GetProperty("id").GetString() : null;
        });
        return Slack.Channels[channelId!];
    }

    /// <summary>Polls until <paramref name="probe"/> gives a value (work after Slack's ack runs in the background).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await probe() is { } value && (value is not bool flag || flag))
            {
                return value;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not come true in time.");
            }

            await Task.Delay(25);
        }
    }

    public async Task<long> DeclareAsync(string text = "Checkout API errors sev2")
    {
        var response = await CommandAsync($"declare {text}");
        var body = await response.Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(body, @"INC-(\d+)");
        Assert.True(match.Success, body);
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
        database.Dispose();
    }

    public static async Task<string> TextOfAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString()!;
}
