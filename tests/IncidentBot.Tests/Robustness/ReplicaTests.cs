using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Robustness;

/// <summary>Two bots on one PostgreSQL database, Slack's deliveries spread over both, as behind a load balancer.</summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    private readonly PostgresStorage storage = new();
    private readonly SlackRequestSigner signer = new(SlackTestBot.SigningSecret);
    private FakeSlack slack = null!;
    private FakeChannel ops = null!;
    private TestBot[] replicas = [];

    public async Task InitializeAsync()
    {
        await storage.InitializeAsync();
        slack = await FakeSlack.StartAsync();
        slack.AddUser(SlackTestBot.Responder, "alice");
        ops = slack.AddChannel(SlackTestBot.OpsChannelName, members: SlackTestBot.Responder);
        var announcements = slack.AddChannel("incidents");
        var settings = new Dictionary<string, string?>(storage.Settings)
        {
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:SigningSecret"] = SlackTestBot.SigningSecret,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Slack:AnnouncementChannel"] = announcements.Id,
        };
        // Started together: one creates the schema while the other waits for it.
        replicas = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => TestBot.StartAsync(storage.ConnectionString, settings: settings)));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        if (slack is not null)
        {
            await slack.DisposeAsync();
        }

        await storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task EachEventIsRecordedOnceAndEachChangeSaidOnceWhicheverReplicaTakesIt()
    {
        var declared = await SendAsync(replicas[0], signer.SlashCommand(Command("declare Checkout errors sev2", ops.Id)));
        var number = long.Parse(System.Text.RegularExpressions.Regex.Match(await declared.Content.ReadAsStringAsync(), @"INC-(\d+)").Groups[1].Value);
        var channel = await SlackTestBot.EventuallyAsync(async () => (await storage.Open().Reader.GetAsync(number))?.ChannelId);

        // Every message is delivered to one replica and retried to the other.
        for (var i = 0; i < 30; i++)
        {
            var envelope = Envelope($"EvR{i:D3}", new { type = "message", channel, user = SlackTestBot.Responder, text = $"replica message {i}", ts = $"1700000000.{i:D6}", channel_type = "channel" });
            Assert.True((await SendAsync(replicas[i % 2], signer.Event(envelope))).IsSuccessStatusCode);
            Assert.True((await SendAsync(replicas[(i + 1) % 2], signer.Event(envelope, retryNum: 1))).IsSuccessStatusCode);
        }

        await SendAsync(replicas[1], signer.SlashCommand(Command("stable", channel)));

        var reader = storage.Open().Reader;
        var messages = await SlackTestBot.EventuallyAsync(async () =>
        {
            var timeline = await reader.GetTimelineAsync(number, new());
            var said = timeline.Where(e => e.Text.StartsWith("replica message", StringComparison.Ordinal)).ToList();
            return said.Count >= 30 ? said : null;
        });
        await WaitUntilSlackIsToldAsync(number);
        Assert.Equal(30, messages.Select(e => e.Text).Distinct().Count());
        Assert.Equal(30, messages.Count);
        Assert.Single(slack.CallsTo("conversations.create"));
        Assert.Single(slack.CallsTo("pins.add"));
        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("to *stable*"));
        Assert.Equal(IncidentBot.Incidents.IncidentStatus.Stable, (await reader.GetAsync(number))!.Status);
    }

    [SkippableFact]
    public async Task AChangeLineOneReplicaPostedButDiedBeforeRecordingIsNotPostedAgainByTheOther()
    {
        var declared = await SendAsync(replicas[0], signer.SlashCommand(Command("declare Payments timeouts sev2", ops.Id)));
        var number = long.Parse(System.Text.RegularExpressions.Regex.Match(await declared.Content.ReadAsStringAsync(), @"INC-(\d+)").Groups[1].Value);
        var channel = await SlackTestBot.EventuallyAsync(async () => (await storage.Open().Reader.GetAsync(number))?.ChannelId);
        await SendAsync(replicas[0], signer.SlashCommand(Command("severity sev1", channel)));
        await WaitUntilSlackIsToldAsync(number);

        // The second replica posts the line, Slack shows it, and the replica dies before it records that it did.
        slack.LoseAnswerNext("chat.postMessage");
        await SendAsync(replicas[1], signer.SlashCommand(Command("stable", channel)));
        await slack.WaitForCallAsync("chat.postMessage", c => c.Arg("channel") == channel && c.Arg("text")!.Contains("to *stable*"));
        await replicas[1].DisposeAsync();
        replicas = [replicas[0]];

        // The first, which worked on this channel before, takes it up again with the next change.
        await SendAsync(replicas[0], signer.SlashCommand(Command("severity sev2", channel)));
        await WaitUntilSlackIsToldAsync(number);

        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("to *stable*"));
        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("to *SEV-2*"));
    }

    private async Task WaitUntilSlackIsToldAsync(long number)
    {
        var ports = storage.Open();
        await SlackTestBot.EventuallyAsync<bool?>(async () =>
        {
            var incident = await ports.Reader.GetAsync(number);
            var changes = await ports.Reader.GetChangesAfterAsync(number, 0);
            var state = await ports.Sync.GetAsync(number);
            return state is not null && state.CardVersion >= incident!.Version && state.LinesThroughEntryId >= changes[^1].Id
                && state.AnnouncedThroughEntryId >= state.LinesThroughEntryId ? true : null;
        });
    }

    private static async Task<HttpResponseMessage> SendAsync(TestBot replica, HttpRequestMessage request)
    {
        using var client = replica.AnonymousClient();
        return await client.SendAsync(request);
    }

    private Dictionary<string, string> Command(string text, string channel) => new()
    {
        ["command"] = "/incident",
        ["text"] = text,
        ["user_id"] = SlackTestBot.Responder,
        ["user_name"] = "alice",
        ["channel_id"] = channel,
        ["team_id"] = slack.TeamId,
        ["trigger_id"] = "1.2.3",
        ["response_url"] = slack.ResponseUrl(),
    };

    private string Envelope(string eventId, object innerEvent) => new JsonObject
    {
        ["token"] = "legacy",
        ["team_id"] = slack.TeamId,
        ["api_app_id"] = "A0BOT",
        ["event"] = JsonSerializer.SerializeToNode(innerEvent),
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    }.ToJsonString();
}
