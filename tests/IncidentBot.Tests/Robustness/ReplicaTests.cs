using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Cluster;
using IncidentBot.Incidents;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Robustness;

/// <summary>
/// Two bots on one PostgreSQL database, Slack's deliveries spread over both, as behind a load balancer. Every wait is for
/// something to come true, with a deadline generous enough for a busy machine.
/// </summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    // A change committed while the other replica works on the incident's channel is said by the next channel rescan, up to
    // 15 s later; a command the bot answers late (after Slack's 3 s) is stored after its answer.
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(90);

    private readonly PostgresStorage storage = new();
    private readonly SlackRequestSigner signer = new(SlackTestBot.SigningSecret);
    private FakeSlack slack = null!;
    private FakeChannel ops = null!;
    private TestBot[] replicas = [];

    // The test's own view of the database, one pool for every look (a new one each time would leave its connection open).
    private StoragePorts ports = null!;

    public async Task InitializeAsync()
    {
        await storage.InitializeAsync();
        ports = storage.Open();
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
        var number = await DeclareAsync(replicas[0], "Checkout errors sev2");
        var channel = await ChannelOfAsync(number);

        // Every message is delivered to one replica and retried to the other.
        for (var i = 0; i < 30; i++)
        {
            var envelope = Envelope($"EvR{i:D3}", new { type = "message", channel, user = SlackTestBot.Responder, text = $"replica message {i}", ts = $"1700000000.{i:D6}", channel_type = "channel" });
            Assert.True((await SendAsync(replicas[i % 2], signer.Event(envelope))).IsSuccessStatusCode);
            Assert.True((await SendAsync(replicas[(i + 1) % 2], signer.Event(envelope, retryNum: 1))).IsSuccessStatusCode);
        }

        await ChangeAsync(replicas[1], "stable", channel, number, incident => incident.Status == IncidentStatus.Stable);

        var messages = await SlackTestBot.EventuallyAsync(async () =>
        {
            var timeline = await ports.Reader.GetTimelineAsync(number, new());
            var said = timeline.Where(e => e.Text.StartsWith("replica message", StringComparison.Ordinal)).ToList();
            return said.Count >= 30 ? said : null;
        }, SettleLimit);
        await WaitUntilSlackIsToldAsync(number);
        Assert.Equal(30, messages.Select(e => e.Text).Distinct().Count());
        Assert.Equal(30, messages.Count);
        Assert.Single(slack.CallsTo("conversations.create"));
        Assert.Single(slack.CallsTo("pins.add"));
        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("to *stable*"));
        Assert.Equal(IncidentStatus.Stable, (await ports.Reader.GetAsync(number))!.Status);
    }

    [SkippableFact]
    public async Task AChangeLineOneReplicaPostedButDiedBeforeRecordingIsNotPostedAgainByTheOther()
    {
        // The replica that dies holds the channel rescan; the survivor works on the channel only for changes of its own,
        // so the line whose answer is lost is the dying replica's.
        var (dying, survivor) = await RescanHolderAndOtherAsync();
        var number = await DeclareAsync(survivor, "Payments timeouts sev2");
        var channel = await ChannelOfAsync(number);
        await ChangeAsync(survivor, "severity sev1", channel, number, incident => incident.Severity == Severity.Sev1);
        await WaitUntilSlackIsToldAsync(number);

        // The dying replica posts the line, Slack shows it, and the replica dies before it records that it did.
        slack.LoseAnswerNext("chat.postMessage");
        await ChangeAsync(dying, "stable", channel, number, incident => incident.Status == IncidentStatus.Stable);
        await slack.WaitForCallAsync("chat.postMessage", c => c.Arg("channel") == channel && c.Arg("text")!.Contains("to *stable*"), SettleLimit);
        await dying.DisposeAsync();
        replicas = [survivor];

        // The survivor, which worked on this channel before, takes it up again with the next change.
        await ChangeAsync(survivor, "severity sev2", channel, number, incident => incident.Severity == Severity.Sev2);
        await WaitUntilSlackIsToldAsync(number);

        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("to *stable*"));
        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == channel && c.Arg("text")!.Contains("to *SEV-2*"));
    }

    private async Task<(TestBot Holder, TestBot Other)> RescanHolderAndOtherAsync()
    {
        var holder = await SlackTestBot.EventuallyAsync(() => Task.FromResult(
            replicas.FirstOrDefault(replica => replica.App.Services.GetRequiredService<ClusterJobs>().Holds(ClusterJob.ChannelRescan))), SettleLimit);
        return (holder, replicas.Single(replica => replica != holder));
    }

    /// <returns>The declared incident's number, from the command's answer.</returns>
    private async Task<long> DeclareAsync(TestBot replica, string text)
    {
        var answer = await AnswerAsync(replica, $"declare {text}", ops.Id);
        var declared = System.Text.RegularExpressions.Regex.Match(answer, @"INC-(\d+)");
        Assert.True(declared.Success, answer);
        return long.Parse(declared.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<string> ChannelOfAsync(long number) =>
        SlackTestBot.EventuallyAsync(async () => (await ports.Reader.GetAsync(number))?.ChannelId, SettleLimit);

    /// <summary>
    /// Sends the command and returns once its change is stored: in the incident's channel the bot answers with nothing
    /// (the change line says it), and a command it answers late is stored after the answer.
    /// </summary>
    private async Task ChangeAsync(TestBot replica, string text, string channel, long number, Func<Incident, bool> done)
    {
        using var response = await SendCommandAsync(replica, text, channel, slack.ResponseUrl());
        await SlackTestBot.EventuallyAsync<bool?>(async () => done((await ports.Reader.GetAsync(number))!), SettleLimit);
    }

    /// <summary>The command's answer: in the response, or, when the bot takes longer than Slack waits, at its response_url.</summary>
    private async Task<string> AnswerAsync(TestBot replica, string text, string channel)
    {
        var responseUrl = slack.ResponseUrl(Guid.NewGuid().ToString("N"));
        using var response = await SendCommandAsync(replica, text, channel, responseUrl);
        var body = await response.Content.ReadAsStringAsync();
        if (body.Length > 0)
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("text").GetString()!;
        }

        var late = await slack.WaitForCallAsync("response_url", call => responseUrl.EndsWith(call.Path, StringComparison.Ordinal), SettleLimit);
        return late.Arg("text")!;
    }

    private async Task<HttpResponseMessage> SendCommandAsync(TestBot replica, string text, string channel, string responseUrl)
    {
        var response = await SendAsync(replica, signer.SlashCommand(Command(text, channel, responseUrl)));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private async Task WaitUntilSlackIsToldAsync(long number)
    {
        await SlackTestBot.EventuallyAsync<bool?>(async () =>
        {
            var incident = await ports.Reader.GetAsync(number);
            var changes = await ports.Reader.GetChangesAfterAsync(number, 0);
            var state = await ports.Sync.GetAsync(number);
            return state is not null && state.CardVersion >= incident!.Version && state.LinesThroughEntryId >= changes[^1].Id
                && state.AnnouncedThroughEntryId >= state.LinesThroughEntryId ? true : null;
        }, SettleLimit);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestBot replica, HttpRequestMessage request)
    {
        using var client = replica.AnonymousClient();
        return await client.SendAsync(request);
    }

    private Dictionary<string, string> Command(string text, string channel, string responseUrl) => new()
    {
        ["command"] = "/incident",
        ["text"] = text,
        ["user_id"] = SlackTestBot.Responder,
        ["user_name"] = "alice",
        ["channel_id"] = channel,
        ["team_id"] = slack.TeamId,
        ["trigger_id"] = "1.2.3",
        ["response_url"] = responseUrl,
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
