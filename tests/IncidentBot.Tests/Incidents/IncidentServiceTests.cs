using Microsoft.Extensions.Time.Testing;
using System.Reflection;
using IncidentBot.Incidents;
using IncidentBot.SlackApp;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Telemetry;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.Metrics;

namespace IncidentBot.Tests.Incidents;

/// <summary>The application layer on a real SQLite file: every write commits once and tells the observers once.</summary>
public sealed class IncidentServiceTests : IAsyncLifetime
{
    private readonly TemporaryDatabase file = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingObserver observer = new();
    private readonly ServiceProvider meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private SqliteDatabase database = null!;
    private IncidentService incidents = null!;
    private SqliteIncidentReader reader = null!;

    public async Task InitializeAsync()
    {
        database = new SqliteDatabase(file.ConnectionString);
        await database.MigrateAsync();
        reader = new SqliteIncidentReader(database);
        var metrics = new IncidentBotMetrics(meters.GetRequiredService<IMeterFactory>(), meters);
        incidents = new IncidentService(new SqliteIncidentStore(database), [observer], clock, metrics, NullLogger<IncidentService>.Instance);
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        await meters.DisposeAsync();
        file.Dispose();
    }

    [Fact]
    public async Task EachChangeIsToldOnceWithTheCommittedIncidentAndItsEntries()
    {
        var declared = await incidents.DeclareAsync(new IncidentDraft { Title = "Checkout failing", DeclaredBy = "U1" });
        var edited = await incidents.EditAsync(declared.Number, new IncidentEdit { Status = IncidentStatus.Stable }, "U1");
        var posted = await incidents.PostAsync(declared.Number, TimelineEntryKind.Update, "rolled back", "U2");

        Assert.Equal([1L, 2L, 3L], observer.Changes.Select(c => c.Incident.Version));
        Assert.Equal(Json(edited.After), Json(observer.Changes[1].Incident));
        Assert.Equal(edited.Entries, observer.Changes[1].Entries);
        Assert.Equal(posted, Assert.Single(observer.Changes[2].Entries));
        Assert.Equal(Json(await reader.GetAsync(declared.Number)), Json(observer.Changes[2].Incident));
    }

    [Fact]
    public async Task AnEditThatChangesNothingTellsNobody()
    {
        var declared = await incidents.DeclareAsync(new IncidentDraft { Title = "Checkout failing", DeclaredBy = "U1" });

        var update = await incidents.EditAsync(declared.Number, new IncidentEdit { Status = IncidentStatus.Active }, "U1");

        Assert.False(update.Changed);
        Assert.Single(observer.Changes);
    }

    [Fact]
    public async Task AttachingTheChannelKeepsTheVersionAndHandsOverTheIncidentWithIt()
    {
        var declared = await incidents.DeclareAsync(new IncidentDraft { Title = "Checkout failing", DeclaredBy = "U1" });

        var attached = await incidents.AttachChannelAsync(declared.Number, "C1", "incident-1-checkout-failing");

        Assert.Equal(("C1", 1L), (attached.ChannelId, attached.Version));
        Assert.Equal(Json(attached), Json(observer.Changes[^1].Incident));
        Assert.Equal(Json(attached), Json(await reader.FindByChannelAsync("C1")));
    }

    [Fact]
    public async Task AChannelMessageIsToldOnceHoweverOftenItIsRecorded()
    {
        var declared = await incidents.DeclareAsync(new IncidentDraft { Title = "Checkout failing", DeclaredBy = "U1" });
        var message = new NewTimelineEntry(
            TimelineEntryKind.Message, clock.GetUtcNow(), "U2", "seeing 502s", Slack: new SlackMessageSource("C1", "1700000000.000100", null, null, false));

        Assert.True(await incidents.RecordMessageAsync(declared.Number, message));
        Assert.False(await incidents.RecordMessageAsync(declared.Number, message));
        Assert.True(await incidents.RecordMessageEditAsync(declared.Number, message with { Text = "seeing 503s" }, clock.GetUtcNow().AddMinutes(1)));
        Assert.True(await incidents.RecordMessageDeletionAsync(declared.Number, message.Slack!, message.OccurredAt, clock.GetUtcNow().AddMinutes(2)));
        Assert.False(await incidents.RecordMessageDeletionAsync(declared.Number, message.Slack!, message.OccurredAt, clock.GetUtcNow().AddMinutes(3)));

        Assert.Equal(["seeing 502s", "seeing 503s", "seeing 503s"], observer.Messages.Select(m => m.Entry.Text));
        Assert.NotNull(observer.Messages[^1].Entry.DeletedAt);
        Assert.Single(observer.Changes);
    }

    [Fact]
    public async Task ABurstOfMessagesOfTwoIncidentsIsStoredInOneWriteAndEachNewOneIsToldOnce()
    {
        var checkout = await incidents.DeclareAsync(new IncidentDraft { Title = "Checkout failing", DeclaredBy = "U1" });
        var login = await incidents.DeclareAsync(new IncidentDraft { Title = "Login slow", DeclaredBy = "U1" });
        NewTimelineEntry Message(string channel, string ts, string text) =>
            new(TimelineEntryKind.Message, clock.GetUtcNow(), "U2", text, Slack: new SlackMessageSource(channel, ts, null, null, false));
        var seen = Message("C1", "1700000000.000100", "seeing 502s");
        Assert.True(await incidents.RecordMessageAsync(checkout.Number, seen));

        var added = await incidents.RecordMessagesAsync(
        [
            (checkout.Number, Message("C1", "1700000000.000200", "rolled back the deploy")),
            (checkout.Number, seen),
            (login.Number, Message("C2", "1700000000.000300", "sso provider is slow")),
            (checkout.Number, Message("C1", "1700000000.000200", "rolled back the deploy")),
        ]);

        Assert.Equal(2, added);
        Assert.Equal(
            [(checkout.Number, "seeing 502s"), (checkout.Number, "rolled back the deploy"), (login.Number, "sso provider is slow")],
            observer.Messages.Select(m => (m.Number, m.Entry.Text)));
        Assert.Equal(2, (await reader.GetTimelineAsync(checkout.Number, new TimelineQuery())).Count(e => e.Kind == TimelineEntryKind.Message));
    }

    [Fact]
    public async Task APostmortemDraftAndItsEntryAreOneChangeToldAtOnce()
    {
        var declared = await incidents.DeclareAsync(new IncidentDraft { Title = "Checkout failing", DeclaredBy = "U1" });

        var first = await incidents.AddPostmortemDraftAsync(declared.Number, "# Draft one", "deterministic", "U1");
        var second = await incidents.AddPostmortemDraftAsync(declared.Number, "# Draft two", "model", "U2");

        Assert.Equal([2, 1], (await reader.GetPostmortemDraftsAsync(declared.Number)).Select(d => d.Version));
        Assert.Equal((1, 2), (first.Version, second.Version));
        var told = observer.Changes[^1];
        Assert.Equal(3, told.Incident.Version);
        var entry = Assert.Single(told.Entries);
        Assert.Equal(TimelineEntryKind.PostmortemDrafted, entry.Kind);
        Assert.Equal("Postmortem draft 2 written by the model engine, for the team to revise", entry.Text);
        Assert.Equal("U2", entry.ActorId);
    }

    [Fact]
    public async Task ADraftOfAnIncidentThatDoesNotExistStoresNothing()
    {
        await Assert.ThrowsAsync<IncidentNotFoundException>(() => incidents.AddPostmortemDraftAsync(42, "# Draft", "deterministic", "U1"));

        Assert.Empty(await reader.GetPostmortemDraftsAsync(42));
        Assert.Empty(observer.Changes);
    }

    [Fact]
    public void OnlyTheApplicationLayerWritesTheStore()
    {
        var writers = typeof(IncidentService).Assembly.GetTypes()
            .Where(type => type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Any(constructor => constructor.GetParameters().Any(p => p.ParameterType == typeof(IIncidentStore))))
            .Select(type => type.Name);

        Assert.Equal([nameof(IncidentService)], writers);
    }

    [Fact]
    public void TheChannelSyncWorksFromTheNewestStateItWasHanded()
    {
        var queue = new ChannelSyncQueue();
        var v2 = new Incident { Number = 7, Title = "t", Version = 2 };

        queue.OnChanged(new IncidentChanged(v2 with { Version = 3 }, []));
        queue.OnChanged(new IncidentChanged(v2, []));
        queue.OnChanged(new IncidentChanged(v2 with { Version = 3, ChannelId = "C7" }, []));
        queue.Add(8, ignoreBackoff: false);

        var due = queue.ReadAllAsync().ToBlockingEnumerable().Take(2).ToList();
        Assert.Equal((7L, true, "C7"), (due[0].Number, due[0].IgnoreBackoff, due[0].Committed?.ChannelId));
        Assert.Equal(3, due[0].Committed!.Version);
        Assert.Equal((8L, false, (Incident?)null), (due[1].Number, due[1].IgnoreBackoff, due[1].Committed));
    }

    [Fact]
    public async Task AnIncidentChangedWhileItIsWorkedOnIsHandedOutAgainOnlyWhenThatWorkIsDone()
    {
        var queue = new ChannelSyncQueue();
        await using var due = queue.ReadAllAsync().GetAsyncEnumerator();
        queue.Add(7, ignoreBackoff: false);
        Assert.True(await due.MoveNextAsync());
        Assert.Equal(7, due.Current.Number);

        queue.Add(7, ignoreBackoff: true);
        queue.Add(8, ignoreBackoff: false);
        Assert.True(await due.MoveNextAsync());
        Assert.Equal(8, due.Current.Number);
        var next = due.MoveNextAsync();
        Assert.False(next.IsCompleted);

        queue.Done(7);
        Assert.True(await next);
        Assert.Equal((7L, true), (due.Current.Number, due.Current.IgnoreBackoff));
    }

    /// <summary>Records compare their lists by reference; the JSON compares what they hold.</summary>
    private static string Json(Incident? incident) => System.Text.Json.JsonSerializer.Serialize(incident);

    private sealed class RecordingObserver : IIncidentObserver
    {
        public List<IncidentChanged> Changes { get; } = [];

        public List<(long Number, TimelineEntry Entry)> Messages { get; } = [];

        public void OnChanged(IncidentChanged change) => Changes.Add(change);

        public void OnMessage(long number, TimelineEntry entry) => Messages.Add((number, entry));
    }
}
