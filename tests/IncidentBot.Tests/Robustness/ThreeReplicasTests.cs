using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Cluster;
using IncidentBot.Hosting;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Storage.Postgres;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace IncidentBot.Tests.Robustness;

/// <summary>
/// Three bot processes on one PostgreSQL database, Slack's deliveries and status changes spread over them as a load
/// balancer would spread them. One is killed with SIGKILL mid-stream while it holds work it took from the inbox;
/// afterwards every event any of them acknowledged is in the timeline once, the work the dead one held was done by
/// the others, the cluster job it held (the channel rescan) was taken over by another, and every change is said once, in
/// order, in its channel and in the announcements. Every wait is for
/// something to come true, with a deadline generous enough for a busy machine.
/// </summary>
public sealed class ThreeReplicasTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string SigningSecret = "replicas-signing-secret-0123456789";
    private const string ApiKey = "replicas-api-key-0123456789abcdef";
    private const string TextPrefix = "replica-event-";
    private const int Replicas = 3;
    private const int Incidents = 3;
    private const int Senders = 4;
    private const int AcksBeforeKill = 150;
    private const int AcksAfterKill = 100;
    private const int AcksBetweenChanges = 30;
    private const int ChangesPerIncident = 4;
    private const string ChangeMark = "incidentbot_change";
    private const string AnnouncementMark = "incidentbot_announcement";

    // Short, so the dead replica's work is taken over within seconds rather than the default 30.
    private static readonly TimeSpan ClaimTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StreamLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(120);

    private readonly PostgresStorage storage = new();
    private readonly SlackRequestSigner signer = new(SigningSecret);
    private FakeSlack? slack;

    // The test's own look at the tables, one pool for every look (a new one each time would leave its connection open).
    private PostgresDatabase tables = null!;
    private FakeChannel announcements = null!;
    private List<Replica> replicas = [];
    private readonly ConcurrentBag<string> changeFailures = [];

    /// <summary>One bot process; its process id and output are the replica's identity in logs and tables.</summary>
    /// <param name="RescanTakenOver">The line it writes if it takes the channel rescan over from a replica whose lease lapsed.</param>
    private sealed record Replica(string Name, LoopbackProcess Process, Task<string> RescanTakenOver)
    {
        public int ChangesAcked;
        public int ChangesStored;

        /// <summary>Done when a change command it acknowledged is seen stored.</summary>
        public TaskCompletionSource ChangeStored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record StreamedIncident(long Number, string Channel);

    private sealed record ChangeCommands(int Sent, int Acked, int Confirmed);

    public async Task InitializeAsync()
    {
        await storage.InitializeAsync();
        tables = storage.OpenDatabase("three-replicas-test");
        slack = await FakeSlack.StartAsync();
        slack.AddUser(SlackTestBot.Responder, "alice");
        announcements = slack.AddChannel("incidents");
        replicas = [.. Enumerable.Range(0, Replicas).Select(Start)];
        // Started together: one creates the schema while the others wait for it.
        await Task.WhenAll(replicas.Select(replica => replica.Process.WaitUntilReadyAsync(StartLimit)));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.Process.DisposeAsync();
        }

        if (slack is not null)
        {
            await slack.DisposeAsync();
        }

        await storage.DisposeAsync();
    }

    [SkippableFact(Timeout = 10 * 60 * 1000)]
    public async Task EveryAcknowledgedEventIsStoredOnceAndEveryChangeSaidOnceWhenAReplicaIsKilledMidStream()
    {
        var elapsed = Stopwatch.StartNew();
        var incidents = await Task.WhenAll(Enumerable.Range(0, Incidents).Select(i => DeclareAsync(replicas[i % Replicas], i)));
        var stream = new SignedMessageStream(
            [.. replicas.Select(replica => replica.Process.Address)], [.. incidents.Select(incident => incident.Channel)], slack!.TeamId, SigningSecret, TextPrefix);
        var senders = Enumerable.Range(0, Senders).Select(_ => stream.SendUntilStoppedAsync()).ToList();
        var changers = incidents.Select((incident, i) => ChangeAlongTheStreamAsync(incident, i, stream)).ToList();

        // The replica holding the channel rescan dies: mid-stream, once it has stored a change of its own, whose line it
        // may not have posted yet.
        var victim = await RescanHolderAsync();
        await WaitForStreamAsync(stream, () => stream.AckedCount >= AcksBeforeKill, $"{AcksBeforeKill} events acknowledged");
        // Each change waits for its turn in the stream and then for its store, each with its own deadline.
        var changed = await Task.WhenAny(victim.ChangeStored.Task, Task.WhenAll(changers));
        Assert.True(changed == victim.ChangeStored.Task, $"{victim.Name} stored no change of its own ({changed.Exception?.InnerException?.Message}): {Progress(stream)}");
        var held = await KillWhileHoldingWorkAsync(victim);
        var killedAt = elapsed.Elapsed;
        var ackedAtKill = stream.AckedCount;
        var changes = await Task.WhenAll(changers);
        await WaitForStreamAsync(stream, () => stream.AckedCount >= ackedAtKill + AcksAfterKill, $"{AcksAfterKill} more events acknowledged after the kill");
        stream.Stop();
        await Task.WhenAll(senders);
        output.WriteLine($"{Progress(stream)}; {victim.Name} killed after {killedAt.TotalSeconds:0.0} s holding {held.Count} items of work");
        var acked = stream.Acked.ToHashSet(StringComparer.Ordinal);
        var ports = storage.Open();
        var stored = await SettleAsync(() => StreamedTextsAsync(ports, incidents, stream), texts => acked.IsSubsetOf(texts) && held.IsSubsetOf(texts));
        await SettleAsync(() => AllToldAsync(ports, incidents), told => told);
        output.WriteLine($"settled after {elapsed.Elapsed.TotalSeconds:0.0} s: {stored.Count} streamed events in the timeline " +
            $"({stored.Intersect(acked).Count()} of the {acked.Count} acked, {stored.Intersect(held).Count()} of the {held.Count} the killed replica held)");

        if (!acked.IsSubsetOf(stored) || !held.IsSubsetOf(stored))
        {
            replicas.ForEach(replica => output.WriteLine($"{replica.Name} (pid {replica.Process.Id}), its last lines:\n{replica.Process.RecentOutput()}"));
        }

        Assert.Empty(acked.Except(stored));
        Assert.Empty(held.Except(stored));
        await AssertTheRescanWasTakenOverAsync(victim);
        Assert.Empty(stored.GroupBy(text => text).Where(g => g.Count() > 1).Select(g => g.Key));
        for (var i = 0; i < incidents.Length; i++)
        {
            await AssertEachChangeSaidOnceInOrderAsync(ports, incidents[i], changes[i]);
        }
    }

    /// <summary>Waits until the stream has got as far as <paramref name="reached"/>; else fails saying how far it got.</summary>
    private async Task WaitForStreamAsync(SignedMessageStream stream, Func<bool> reached, string what)
    {
        try
        {
            await SlackTestBot.EventuallyAsync(() => Task.FromResult<bool?>(reached()), StreamLimit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Not {what} within {StreamLimit.TotalSeconds:0} s: {Progress(stream)}\n" +
                string.Join("\n", replicas.Select(replica => $"{replica.Name} (pid {replica.Process.Id}), its last lines:\n{replica.Process.RecentOutput()}")));
        }
    }

    private string Progress(SignedMessageStream stream) =>
        $"{stream.Sent} events sent, acked: {string.Join(", ", replicas.Select((r, i) => $"{r.Name} (pid {r.Process.Id}) {stream.AckedBy(i).Count} events and {r.ChangesAcked} changes ({r.ChangesStored} seen stored)"))}; " +
        $"{stream.Failed} not acked; change commands not acknowledged: {string.Join(", ", changeFailures.GroupBy(f => f).Select(g => $"{g.Key} ×{g.Count()}"))}";

    private async Task<Replica> RescanHolderAsync() => await SlackTestBot.EventuallyAsync(async () =>
    {
        var holder = await JobHolderAsync(ClusterJob.ChannelRescan);
        return replicas.FirstOrDefault(replica => holder is not null && ProcessIdOf(holder) == replica.Process.Id);
    }, StartLimit);

    /// <summary>Another replica holds the dead one's job now, and said that it took it over.</summary>
    private async Task AssertTheRescanWasTakenOverAsync(Replica victim)
    {
        var successor = await SlackTestBot.EventuallyAsync(async () =>
        {
            var holder = await JobHolderAsync(ClusterJob.ChannelRescan);
            return replicas.FirstOrDefault(replica => replica != victim && holder is not null && ProcessIdOf(holder) == replica.Process.Id);
        }, SettleLimit);
        output.WriteLine($"the channel rescan, held by {victim.Name} when it died, is held by {successor.Name} now");
        var said = await Task.WhenAny(successor.RescanTakenOver, Task.Delay(SettleLimit));
        Assert.True(said == successor.RescanTakenOver, $"{successor.Name} did not say it took the job over; its last lines:\n{successor.Process.RecentOutput()}");
        output.WriteLine(await successor.RescanTakenOver);
    }

    private async Task<string?> JobHolderAsync(string job)
    {
        await using var connection = await tables.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT holder FROM job_leases WHERE job = @job;", connection);
        command.Parameters.AddWithValue("job", job);
        return await command.ExecuteScalarAsync() as string;
    }

    // A holder is "<machine>/<process id>/<random>" (ReplicaId).
    private static int ProcessIdOf(string holder) => int.Parse(holder.Split('/')[^2], CultureInfo.InvariantCulture);

    private Replica Start(int index)
    {
        var name = $"replica-{index}";
        var connectionString = new NpgsqlConnectionStringBuilder(storage.ConnectionString) { ApplicationName = name, MaxPoolSize = 30 }.ConnectionString;
        var settings = new BotProcessSettings(typeof(IncidentBotApp).Assembly.Location, "", slack!.ApiBaseUrl, slack.BotToken, SigningSecret, ApiKey)
        {
            ExtraEnvironment =
            [
                new("Storage__Provider", "postgres"),
                new("Storage__ConnectionString", connectionString),
                new("Storage__InboxClaimTime", ClaimTime.ToString()),
                new("Slack__AnnouncementChannel", announcements.Id),
                new("Logging__LogLevel__IncidentBot.Cluster", "Information"),
            ],
        };
        var process = BotProcess.Start(settings);
        return new Replica(name, process, process.NextLineContainingAsync($"{ClusterJob.ChannelRescan}: this replica took the job over from "));
    }

    private async Task<StreamedIncident> DeclareAsync(Replica replica, int index)
    {
        var created = await TestBot.ReadSuccessAsync(await replica.Process.Client.PostAsJsonAsync(
            "/api/incidents", new { title = $"Replicas under streaming events {index}", severity = "sev2", declaredBy = SlackTestBot.Responder }));
        var number = created.GetProperty("number").GetInt64();
        var reader = storage.Open().Reader;
        var channel = await SlackTestBot.EventuallyAsync(async () => (await reader.GetAsync(number))?.ChannelId, StartLimit);
        return new StreamedIncident(number, channel);
    }

    /// <summary>
    /// Changes the status and the severity in turn, spread over the stream and over the replicas. Each command is chosen
    /// from the stored state, and an acknowledged one is waited for until it is stored (answered late, it may be stored
    /// just after its 200; by a replica killed meanwhile, perhaps never), so every confirmed command made one change.
    /// </summary>
    private async Task<ChangeCommands> ChangeAlongTheStreamAsync(StreamedIncident incident, int index, SignedMessageStream stream)
    {
        var reader = storage.Open().Reader;
        var (sent, acked, confirmed) = (0, 0, 0);
        for (var k = 0; k < ChangesPerIncident; k++)
        {
            var due = (k + 1) * AcksBetweenChanges;
            await SlackTestBot.EventuallyAsync(() => Task.FromResult<bool?>(stream.AckedCount >= due), StreamLimit);
            var replica = replicas[(index + k) % Replicas];
            var current = (await reader.GetAsync(incident.Number))!;
            var (command, done) = NextChange(current, k);
            sent++;
            if (await SendCommandAsync(replica, command, incident.Channel) is { } failure)
            {
                changeFailures.Add($"{replica.Name} {failure}");
                continue;
            }

            acked++;
            Interlocked.Increment(ref replica.ChangesAcked);
            // 1 when stored, 0 when the replica died first (a command answered late is still running after its 200).
            var stored = await SlackTestBot.EventuallyAsync<int?>(
                async () => done(await reader.GetAsync(incident.Number) ?? current) ? 1 : replica.Process.HasExited ? 0 : null, SettleLimit) ?? 0;
            confirmed += stored;
            Interlocked.Add(ref replica.ChangesStored, stored);
            if (stored > 0)
            {
                replica.ChangeStored.TrySetResult();
            }
        }

        return new ChangeCommands(sent, acked, confirmed);
    }

    private static (string Command, Func<Incident, bool> Done) NextChange(Incident current, int k) => k % 2 == 0
        ? current.Status == IncidentStatus.Stable
            ? ("status active", incident => incident.Status == IncidentStatus.Active)
            : ("stable", incident => incident.Status == IncidentStatus.Stable)
        : current.Severity == Severity.Sev1
            ? ("severity sev2", incident => incident.Severity == Severity.Sev2)
            : ("severity sev1", incident => incident.Severity == Severity.Sev1);

    /// <returns>Null when acknowledged, else what came instead.</returns>
    private async Task<string?> SendCommandAsync(Replica replica, string text, string channel)
    {
        using var request = signer.SlashCommand(new Dictionary<string, string>
        {
            ["command"] = "/incident",
            ["text"] = text,
            ["user_id"] = SlackTestBot.Responder,
            ["user_name"] = "alice",
            ["channel_id"] = channel,
            ["team_id"] = slack!.TeamId,
            ["trigger_id"] = "1.2.3",
            ["response_url"] = slack.ResponseUrl(),
        });
        try
        {
            using var response = await replica.Process.Client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return exception.GetType().Name; // The replica is gone (or going).
        }
    }

    /// <summary>
    /// Stops the replica (SIGSTOP) at moments of the stream until it is seen holding claimed work in the inbox table,
    /// then kills it (SIGKILL) as it stands.
    /// </summary>
    /// <returns>The texts of the events it held.</returns>
    private async Task<HashSet<string>> KillWhileHoldingWorkAsync(Replica replica)
    {
        var holder = $"{Environment.MachineName}:{replica.Process.Id}:%";
        var held = await SlackTestBot.EventuallyAsync(async () =>
        {
            replica.Process.Pause();
            var texts = await HeldByAsync(holder);
            if (texts.Count > 0)
            {
                replica.Process.Kill();
                return texts;
            }

            replica.Process.Resume();
            return null;
        }, StreamLimit);
        await replica.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return held;
    }

    private async Task<HashSet<string>> HeldByAsync(string holder)
    {
        await using var connection = await tables.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT payload FROM slack_work_items WHERE claimed_by LIKE @holder;", connection);
        command.Parameters.AddWithValue("holder", holder);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            using var payload = JsonDocument.Parse(rows.GetString(0));
            texts.Add(payload.RootElement.GetProperty("event").GetProperty("text").GetString()!);
        }

        return texts;
    }

    /// <summary>Reads until <paramref name="done"/> holds or the deadline passes; the last read either way, for the assertions.</summary>
    private static async Task<T> SettleAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || deadline.Elapsed > SettleLimit)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<List<string>> StreamedTextsAsync(StoragePorts ports, IEnumerable<StreamedIncident> incidents, SignedMessageStream stream)
    {
        var texts = new List<string>();
        foreach (var incident in incidents)
        {
            texts.AddRange((await TimelineAsync(ports, incident.Number)).Select(entry => entry.Text).Where(stream.IsStreamed));
        }

        return texts;
    }

    private static async Task<List<TimelineEntry>> TimelineAsync(StoragePorts ports, long number)
    {
        var entries = new List<TimelineEntry>();
        IReadOnlyList<TimelineEntry> page;
        do
        {
            page = await ports.Reader.GetTimelineAsync(number, new() { After = entries.Count == 0 ? null : TimelineCursor.Of(entries[^1]) });
            entries.AddRange(page);
        }
        while (page.Count == TimelineQuery.MaxLimit);
        return entries;
    }

    /// <summary>Whether Slack has been told of everything stored: each card shows its incident, each change is said and announced.</summary>
    private static async Task<bool> AllToldAsync(StoragePorts ports, IEnumerable<StreamedIncident> incidents)
    {
        foreach (var incident in incidents)
        {
            var stored = await ports.Reader.GetAsync(incident.Number);
            var changes = await ports.Reader.GetChangesAfterAsync(incident.Number, 0);
            var state = await ports.Sync.GetAsync(incident.Number);
            if (state is null || state.CardVersion < stored!.Version || state.LinesThroughEntryId < changes[^1].Id || state.AnnouncedThroughEntryId < changes[^1].Id)
            {
                return false;
            }
        }

        return true;
    }

    private async Task AssertEachChangeSaidOnceInOrderAsync(StoragePorts ports, StreamedIncident incident, ChangeCommands commands)
    {
        var timeline = await TimelineAsync(ports, incident.Number);
        var changeIds = timeline.Where(e => e.Kind is TimelineEntryKind.StatusChanged or TimelineEntryKind.SeverityChanged).Select(e => e.Id).Order().ToList();
        var statusIds = timeline.Where(e => e.Kind == TimelineEntryKind.StatusChanged).Select(e => e.Id).Order().ToList();
        var lines = MarkedEntries(incident.Channel, ChangeMark, incident.Number);
        var announced = MarkedEntries(announcements.Id, AnnouncementMark, incident.Number);
        output.WriteLine($"INC-{incident.Number}: {commands.Sent} changes sent, {commands.Acked} acked ({commands.Confirmed} seen stored), {changeIds.Count} stored, " +
            $"{lines.Count(changeIds.Contains)} change lines posted, {announced.Count(statusIds.Contains)} of {statusIds.Count} status changes announced");

        Assert.InRange(changeIds.Count, commands.Confirmed, commands.Sent);
        Assert.Equal(lines.Distinct().Count(), lines.Count);
        Assert.Equal(changeIds, lines.Where(changeIds.Contains));
        Assert.Equal(announced.Distinct().Count(), announced.Count);
        Assert.Equal(statusIds, announced.Where(statusIds.Contains));
    }

    /// <summary>The entry ids of the messages posted to a channel carrying the bot's mark of this kind, in the order they were posted.</summary>
    private List<long> MarkedEntries(string channel, string mark, long number) =>
    [
        .. slack!.CallsTo("chat.postMessage")
            .Where(call => call.Arg("channel") == channel)
            .Select(call => Metadata(call))
            .Where(metadata => metadata?.GetProperty("event_type").GetString() == mark
                && metadata.Value.GetProperty("event_payload").GetProperty("incident").GetInt64() == number)
            .Select(metadata => metadata!.Value.GetProperty("event_payload").GetProperty("entry").GetInt64()),
    ];

    private static JsonElement? Metadata(RecordedCall call) => call.Body.TryGetProperty("metadata", out var metadata)
        ? metadata.ValueKind == JsonValueKind.String ? JsonDocument.Parse(metadata.GetString()!).RootElement : metadata
        : null;
}
