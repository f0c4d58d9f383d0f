using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Hosting;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace IncidentBot.Tests.Robustness;

/// <summary>
/// The bot as its own process is killed with SIGKILL while signed Slack events stream in from several
/// senders; restarted on the same file, it starts, the file passes SQLite's integrity check, and every
/// event that got a 200 before the kill is in the timeline, once. Nothing here depends on how fast the
/// machine is: the kill comes after a number of acks (or a time limit), and every wait has a deadline.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string SigningSecret = "crash-signing-secret-0123456789";
    private const string ApiKey = "crash-api-key-0123456789abcdef";
    private const int Senders = 4;
    private const int AcksBeforeKill = 300;
    private const string TextPrefix = "crash-event-";
    private static readonly TimeSpan StreamLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(180);

    private readonly TemporaryDatabase database = new();
    private FakeSlack slack = null!;
    private LoopbackProcess? bot;

    public async Task InitializeAsync()
    {
        slack = await FakeSlack.StartAsync();
        slack.AddUser(SlackTestBot.Responder, "alice");
    }

    public async Task DisposeAsync()
    {
        if (bot is not null)
        {
            await bot.DisposeAsync();
        }

        await slack.DisposeAsync();
        database.Dispose();
    }

    [Fact(Timeout = 15 * 60 * 1000)]
    public async Task EveryAcknowledgedEventSurvivesASigkillMidStream()
    {
        bot = await StartBotAsync();
        var (number, channel) = await DeclareWithChannelAsync();

        var stream = new SignedMessageStream([bot.Address], [channel], slack.TeamId, SigningSecret, TextPrefix);
        var senders = Enumerable.Range(0, Senders).Select(_ => stream.SendUntilStoppedAsync()).ToList();
        var streaming = Stopwatch.StartNew();
        while (stream.AckedCount < AcksBeforeKill && streaming.Elapsed < StreamLimit && !bot.HasExited)
        {
            await Task.Delay(10);
        }

        // Roughly how far the handlers had got: what is acked but not yet here lives only in the inbox table.
        var inTimelineBeforeKill = (await TimelineAsync(number)).Count(e => e.GetProperty("text").GetString()!.StartsWith(TextPrefix, StringComparison.Ordinal));
        var ackedBeforeKill = stream.AckedCount;
        bot.Kill();
        await bot.WaitForExitAsync(TimeSpan.FromSeconds(30));
        // The senders keep going into the dead port for a moment, then stop.
        await Task.Delay(200);
        stream.Stop();
        await Task.WhenAll(senders);
        var acked = stream.Acked.ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"killed after {streaming.Elapsed.TotalSeconds:0.0} s: {stream.Sent} events sent, {ackedBeforeKill} acked when the kill was ordered " +
            $"({inTimelineBeforeKill} of them in the timeline just before), {acked.Count} acked in all, {stream.Failed} not acked");
        Assert.True(acked.Count > 0, "No event was acknowledged before the kill:\n" + bot.RecentOutput());
        await bot.DisposeAsync();

        bot = await StartBotAsync();
        Assert.Equal("ok", IntegrityCheck());
        var timeline = await WaitForAsync(number, acked);

        var stored = timeline.Select(e => e.GetProperty("text").GetString()!).Where(text => text.StartsWith(TextPrefix, StringComparison.Ordinal)).ToList();
        output.WriteLine($"after the restart: {stored.Count} of the streamed events in the timeline ({stored.Intersect(acked).Count()} of the {acked.Count} acked)");
        Assert.Empty(acked.Except(stored));
        Assert.Empty(stored.GroupBy(text => text).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    private async Task<LoopbackProcess> StartBotAsync()
    {
        var started = BotProcess.Start(new BotProcessSettings(typeof(IncidentBotApp).Assembly.Location, database.FilePath, slack.ApiBaseUrl, slack.BotToken, SigningSecret, ApiKey));
        try
        {
            await started.WaitUntilReadyAsync(StartLimit);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    private async Task<(long Number, string Channel)> DeclareWithChannelAsync()
    {
        var created = await TestBot.ReadSuccessAsync(await bot!.Client.PostAsJsonAsync(
            "/api/incidents", new { title = "Crash safety under streaming events", declaredBy = SlackTestBot.Responder }));
        var number = created.GetProperty("number").GetInt64();
        var channel = await SlackTestBot.EventuallyAsync(async () =>
        {
            var incident = await TestBot.ReadSuccessAsync(await bot.Client.GetAsync($"/api/incidents/{number}"));
            return incident.GetProperty("channel").ValueKind == JsonValueKind.Object ? incident.GetProperty("channel").GetProperty("id").GetString() : null;
        }, StartLimit);
        return (number, channel);
    }

    /// <summary>Polls the timeline until every acked text is in it, or the deadline passes; returns the last read.</summary>
    private async Task<List<JsonElement>> WaitForAsync(long number, IReadOnlySet<string> acked)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var timeline = await TimelineAsync(number);
            var found = timeline.Select(e => e.GetProperty("text").GetString()).Count(text => text is not null && acked.Contains(text));
            if (found == acked.Count || deadline.Elapsed > CatchUpLimit || bot!.HasExited)
            {
                return timeline;
            }

            await Task.Delay(250);
        }
    }

    private async Task<List<JsonElement>> TimelineAsync(long number)
    {
        var entries = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var path = $"/api/incidents/{number}/timeline?limit=1000" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await TestBot.ReadSuccessAsync(await bot!.Client.GetAsync(path));
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return entries;
    }

    /// <summary>Read-only, beside the running bot: WAL lets a reader check the file while the bot writes.</summary>
    private string IntegrityCheck()
    {
        using var connection = new SqliteConnection($"Data Source={database.FilePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var lines = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
