using System.Diagnostics;
using IncidentBot.Assistant;
using IncidentBot.Assistant.Related;
using IncidentBot.Incidents;
using IncidentBot.SlackExport;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;
using Xunit.Abstractions;

namespace IncidentBot.Tests.SlackExport;

/// <summary><c>import-slack-export</c> as an operator runs it, into a real SQLite file, then read back through the core's readers.</summary>
public sealed class ImportSlackExportTests(ITestOutputHelper log) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 14, 0, 0, TimeSpan.Zero);
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "SlackExport", "Fixtures", "export_sample");

    private readonly TemporaryDatabase file = new();
    private readonly ExportFolder export = new();

    [Fact]
    public async Task TheSampleExportBecomesOneResolvedIncidentWithItsMessagesAndTheirAuthors()
    {
        var (exit, output) = await ImportAsync(SamplePath, "--channels", "*");

        Assert.Equal(0, exit);
        Assert.Contains("Imported 1 channels: 1 incidents created, 0 skipped (0 already there, 0 empty), 2 messages added, 0 bad files", output);
        var reader = Reader();
        var incident = Assert.Single(await reader.FindAsync(new IncidentFilter()));
        Assert.Equal(("B75B4C7", 1L, IncidentStatus.Resolved), (incident.Title, incident.Number, incident.Status));
        Assert.Equal(DateTimeOffset.Parse("2025-01-10T03:08:34.897Z"), incident.DeclaredAt);
        Assert.Equal(DateTimeOffset.Parse("2025-01-10T03:10:30.905Z"), incident.ResolvedAt);
        Assert.StartsWith("910QL4 jzCQmul1NI2aKsOOv9FNmCFGFDeoC", incident.Description);
        Assert.Null(incident.ChannelId);
        var messages = (await reader.GetTimelineAsync(1, new TimelineQuery())).Where(e => e.Kind == TimelineEntryKind.Message).ToList();
        Assert.Equal(["CYmxt38hm", "dtUeWsjQpQO8 TFoFBeQ"], messages.Select(m => m.Text));
        Assert.All(messages, m => Assert.Equal(("UOF82F39AE", "WgO268Xc0KtFylJ", "CO69735E8A"), (m.ActorId, m.Data!["author"]!.GetValue<string>(), m.Slack!.ChannelId)));
        Assert.Equal("1736478630.905399", messages[1].Slack!.ThreadTs);
    }

    [Fact]
    public async Task IncidentChannelsBecomeIncidentsWithThreadsEditsFilesAndPeopleNamed()
    {
        WriteTwoIncidents();

        var (exit, output) = await ImportAsync(export.Path);

        Assert.Equal(0, exit);
        Assert.Contains("3 channels: 2 incidents created, 1 skipped (0 already there, 1 empty), 6 messages added, 0 bad files", output);
        var reader = Reader();
        var checkout = (await reader.GetAsync(42))!;
        Assert.Equal(("Checkout down", Severity.Sev2, IncidentStatus.Resolved), (checkout.Title, checkout.Severity, checkout.Status));
        Assert.Equal(Start, checkout.DeclaredAt);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 16, 30, 0, TimeSpan.Zero), checkout.ResolvedAt);
        Assert.Equal("U0ALICE", checkout.DeclaredBy);
        var timeline = await reader.GetTimelineAsync(42, new TimelineQuery());
        Assert.Equal(
            [TimelineEntryKind.Declared, TimelineEntryKind.Message, TimelineEntryKind.MemberJoined, TimelineEntryKind.Message,
                TimelineEntryKind.Message, TimelineEntryKind.StatusChanged, TimelineEntryKind.Message],
            timeline.Select(e => e.Kind));
        var replies = timeline.Where(e => e.Slack?.ThreadTs is not null && e.Slack.ThreadTs != e.Slack.Ts).ToList();
        Assert.Equal(["rolling back the deploy now", "rollback done, errors gone"], replies.Select(r => r.Text));
        Assert.All(replies, r => Assert.Equal(ExportFolder.Ts(Start), r.Slack!.ThreadTs));
        var edited = Assert.Single(timeline, e => e.EditedAt is not null);
        Assert.Equal(("checkout returns 502 for every card payment", Start.AddMinutes(3)), (edited.Text, edited.EditedAt!.Value));
        Assert.Contains(timeline, e => e.Text == "here is the error graph [files: Error rate, last hour]");
        Assert.Equal(
            ["Alice Ng", "Bob", "Alice Ng", "Bob"],
            timeline.Where(e => e.Kind == TimelineEntryKind.Message).Select(e => e.Data!["author"]!.GetValue<string>()));
        Assert.Equal("https://acme.slack.com/archives/C0CHECKOUT/p" + ExportFolder.Ts(Start).Replace(".", ""), timeline[1].Slack!.Permalink);

        var payments = (await reader.GetAsync(43))!;
        Assert.Equal(("Payments slow", Severity.Unknown), (payments.Title, payments.Severity));
        Assert.Equal(payments.DeclaredAt, payments.ResolvedAt);
        Assert.Null(await reader.GetAsync(44));
    }

    [Fact]
    public async Task ASecondImportAddsNothingAndAZipReadsLikeItsFolder()
    {
        WriteTwoIncidents();

        var (zipExit, zipOutput) = await ImportAsync(export.Zip());
        var before = await SnapshotAsync();
        var (folderExit, folderOutput) = await ImportAsync(export.Path);

        Assert.Equal((0, 0), (zipExit, folderExit));
        Assert.Contains("2 incidents created", zipOutput);
        Assert.Contains("3 channels: 0 incidents created, 3 skipped (2 already there, 1 empty), 0 messages added, 0 bad files", folderOutput);
        Assert.Equal(2, before.Incidents);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task AMessageAddedToTheExportLaterIsTheOnlyThingASecondImportAdds()
    {
        WriteTwoIncidents();
        await ImportAsync(export.Path);
        var before = await SnapshotAsync();
        export.Day("incident-payments-slow", "2025-03-03", ExportFolder.Message("U0BOB", "found it: a slow index scan", Start.AddDays(2)));

        var (exit, output) = await ImportAsync(export.Path);

        Assert.Equal(0, exit);
        Assert.Contains("0 incidents created, 3 skipped (2 already there, 1 empty), 1 messages added", output);
        var after = await SnapshotAsync();
        Assert.Equal((before.Incidents, before.Entries + 1), (after.Incidents, after.Entries));
    }

    [Fact]
    public async Task ACorruptDayFileIsNamedAndSkippedWhileTheRestIsImported()
    {
        WriteTwoIncidents();
        export.Write("incident-42-checkout-down/2025-03-02.json", "[{\"type\": \"message\", \"text\": \"cut off");

        var (exit, output) = await ImportAsync(export.Path);

        Assert.Equal(3, exit);
        Assert.Contains($"Skipped {Path.Combine(export.Path, "incident-42-checkout-down", "2025-03-02.json")}: ", output);
        Assert.Contains("2 incidents created", output);
        Assert.Contains("1 bad files", output);
        var timeline = await Reader().GetTimelineAsync(42, new TimelineQuery());
        Assert.Equal(3, timeline.Count(e => e.Kind == TimelineEntryKind.Message));
        Assert.DoesNotContain(timeline, e => e.Text == "rollback done, errors gone");
    }

    [Fact]
    public async Task AChannelWhoseNumberAnotherIncidentHasGetsTheNextNumberAndSaysSo()
    {
        WriteTwoIncidents();
        await using (var database = new SqliteDatabase(file.ConnectionString))
        {
            await database.MigrateAsync();
            var store = new SqliteIncidentStore(database);
            for (var i = 0; i < 42; i++)
            {
                await store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = $"Live incident {i + 1}" }, Start));
            }
        }

        var (exit, output) = await ImportAsync(export.Path);

        Assert.Equal(0, exit);
        Assert.Contains("#incident-42-checkout-down: INC-42 is another incident; imported as INC-43", output);
        Assert.Contains("2 incidents created (1 under a new number)", output);
        Assert.Equal("Live incident 42", (await Reader().GetAsync(42))!.Title);
        Assert.Equal(("Checkout down", "Payments slow"), ((await Reader().GetAsync(43))!.Title, (await Reader().GetAsync(44))!.Title));
    }

    [Fact]
    public async Task WrongArgumentsAreNamed()
    {
        var error = new StringWriter();

        Assert.Equal(2, await ImportSlackExportCommand.RunAsync(["--chanels", "x", export.Path], TextWriter.Null, error, terminal: false));
        Assert.StartsWith("--chanels is not an option of import-slack-export: did you mean --channels?", error.ToString());
        Assert.Equal(1, await ImportSlackExportCommand.RunAsync([Path.Combine(export.Path, "nothing-here")], TextWriter.Null, error, terminal: false));
        Assert.Contains("is neither a folder nor a zip file", error.ToString());
    }

    [Fact]
    public async Task ALargeExportImportsWhole()
    {
        const int Channels = 200;
        const int PerChannel = 250;
        export.Generate(Channels, PerChannel, Start);
        var stopwatch = Stopwatch.StartNew();

        var (exit, output) = await ImportAsync(export.Path);

        stopwatch.Stop();
        // The time is printed for docs/performance.md, not asserted: speed is measured in bench/import-export.
        log.WriteLine($"{Channels * PerChannel:N0} messages of {Channels} channels in {stopwatch.Elapsed.TotalSeconds:N1} s: {output.Split('\n')[^2]}");
        Assert.Equal(0, exit);
        Assert.Contains($"{Channels} channels: {Channels} incidents created, 0 skipped (0 already there, 0 empty), {Channels * PerChannel:N0} messages added, 0 bad files", output);
        Assert.Contains("20/200 channels (10%)", output);
        var reader = Reader();
        Assert.Equal(Channels, await reader.CountAsync(new IncidentFilter()));
        Assert.Equal(PerChannel, await reader.CountMessagesAsync(Channels));
        Assert.Equal("Service 13 outage", (await reader.GetAsync(14))!.Title);
        var threaded = (await reader.GetTimelineAsync(7, new TimelineQuery())).Count(e => e.Slack?.ThreadTs is not null);
        Assert.Equal(PerChannel / 10, threaded);
    }

    [Fact]
    public async Task RelatedSearchAndTheBackgroundEmbedderFindAnImportedIncident()
    {
        WriteTwoIncidents();
        await ImportAsync(export.Path);

        await using var bot = await TestBot.StartAsync(file.ConnectionString, settings: new Dictionary<string, string?> { ["Assistant:LocalEmbeddings"] = "true" });
        var related = await bot.App.Services.GetRequiredService<IncidentAssistant>().FindRelatedAsync(new RelatedRequest(Query: "card payment 502 rollback"));
        var embedder = bot.App.Services.GetRequiredService<BackgroundIncidentEmbedder>();
        await embedder.EmbedChangedAsync(null, CancellationToken.None);
        var model = bot.App.Services.GetRequiredService<IncidentEmbeddingModel>();
        var vectors = await bot.App.Services.GetRequiredService<IIncidentEmbeddingStore>().GetAsync(model.Name!, [42, 43]);

        var hit = Assert.Single(related.Hits, h => h.Incident.Number == 42);
        Assert.Equal(42, related.Hits[0].Incident.Number);
        Assert.Contains(hit.Reasons, r => r.Text.StartsWith("timeline entry", StringComparison.Ordinal));
        Assert.Equal([42L, 43L], vectors.Keys.Order());
    }

    public void Dispose()
    {
        export.Dispose();
        file.Dispose();
    }

    /// <summary>
    /// #incident-42-checkout-down (a thread over two days, an edit, a file, a join, a topic change), #incident-payments-slow
    /// (no number, one message), #incident-7-empty (no messages), and #general, which is no incident.
    /// </summary>
    private void WriteTwoIncidents()
    {
        export.Channels(
            ExportFolder.Channel("C0CHECKOUT", "incident-42-checkout-down", topic: "SEV2 checkout errors, resolved 2025-03-01 16:30 UTC", purpose: "Card payments fail at checkout"),
            ExportFolder.Channel("C0PAYMENTS", "incident-payments-slow"),
            ExportFolder.Channel("C0EMPTY", "incident-7-empty"),
            ExportFolder.Channel("C0GENERAL", "general"));
        export.Users(ExportFolder.User("U0ALICE", "alice", "Alice Ng"), ExportFolder.User("U0BOB", "bob", "Robert Smith", displayName: "Bob"));
        var upload = ExportFolder.Message("U0ALICE", "here is the error graph", Start.AddMinutes(10));
        upload["subtype"] = "file_share";
        upload["files"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = "F1", ["name"] = "graph.png", ["title"] = "Error rate, last hour" });
        var join = ExportFolder.Message("U0BOB", "<@U0BOB> has joined the channel", Start.AddMinutes(1));
        join["subtype"] = "channel_join";
        var topic = ExportFolder.Message("U0ALICE", "set the channel topic: SEV2", Start.AddMinutes(2));
        topic["subtype"] = "channel_topic";
        export.Day("incident-42-checkout-down", "2025-03-01",
            ExportFolder.Message("U0ALICE", "checkout returns 502 for every card payment", Start, editedAt: Start.AddMinutes(3)),
            join,
            topic,
            ExportFolder.Message("U0BOB", "rolling back the deploy now", Start.AddMinutes(5), thread: Start),
            upload);
        export.Day("incident-42-checkout-down", "2025-03-02",
            ExportFolder.Message("U0BOB", "rollback done, errors gone", Start.AddDays(1), thread: Start));
        export.Day("incident-payments-slow", "2025-03-02", ExportFolder.Message("U0BOB", "payments API p99 is 4 s", Start.AddDays(1).AddHours(1)));
        export.Day("general", "2025-03-01", ExportFolder.Message("U0ALICE", "lunch?", Start));
    }

    private async Task<(int Exit, string Output)> ImportAsync(string path, params string[] more)
    {
        var output = new StringWriter();
        var exit = await ImportSlackExportCommand.RunAsync(
            [path, .. more, "--workspace-url", "https://acme.slack.com/", $"--Storage:ConnectionString={file.ConnectionString}"],
            output, output, terminal: false);
        return (exit, output.ToString());
    }

    private SqliteIncidentReader Reader() => new(new SqliteDatabase(file.ConnectionString));

    private async Task<(int Incidents, int Entries, string Last)> SnapshotAsync()
    {
        var reader = Reader();
        var incidents = await reader.FindAsync(new IncidentFilter());
        var entries = 0;
        var last = "";
        foreach (var incident in incidents)
        {
            var timeline = await reader.GetTimelineAsync(incident.Number, new TimelineQuery());
            entries += timeline.Count;
            last += $"{incident.Number}:{incident.Version}:{timeline[^1].Id};";
        }

        return (incidents.Count, entries, last);
    }
}
