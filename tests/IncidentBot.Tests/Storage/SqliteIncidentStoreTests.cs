using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

public sealed class SqliteIncidentStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase file = new();
    private SqliteDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = new SqliteDatabase(file.ConnectionString);
        await database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        file.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task WritersInTwoProcessesToOneIncidentLoseNoUpdate()
    {
        // Two stores on one file stand for two processes: their in-process gates are separate,
        // so only SQLite's own locking keeps their read-modify-writes apart.
        using var first = new SqliteIncidentStore(new SqliteDatabase(file.ConnectionString));
        using var second = new SqliteIncidentStore(new SqliteDatabase(file.ConnectionString));
        var incident = await first.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Shared" }, Now));

        var writes = Enumerable.Range(0, 30).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).UpdateAsync(
            incident.Number,
            current => IncidentChanges.Apply(current, new IncidentEdit { AddServices = [$"service-{i}"] }, "U1", Now.AddSeconds(i)))));
        await Task.WhenAll(writes);

        var stored = await first.GetAsync(incident.Number);
        Assert.Equal(30, stored!.Services.Count);
        Assert.Equal(31, stored.Version);
        var timeline = await second.GetTimelineAsync(incident.Number, new TimelineQuery());
        Assert.Equal(30, timeline.Count(e => e.Kind == TimelineEntryKind.ServicesChanged));
    }

    [Fact]
    public async Task AChangeThatThrowsWritesNothing()
    {
        using var store = new SqliteIncidentStore(database);
        var incident = await store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Guarded" }, Now));

        await Assert.ThrowsAsync<IncidentValidationException>(() => store.UpdateAsync(incident.Number, current =>
            IncidentChanges.Apply(current, new IncidentEdit { Severity = Severity.Sev1, Title = "" }, "U1", Now)));

        var stored = await store.GetAsync(incident.Number);
        Assert.Equal(Severity.Unknown, stored!.Severity);
        Assert.Equal(1, stored.Version);
        Assert.Single(await store.GetTimelineAsync(incident.Number, new TimelineQuery()));
    }

    [Fact]
    public async Task EveryFieldSurvivesTheRoundTrip()
    {
        using var store = new SqliteIncidentStore(database);
        var created = await store.CreateAsync(IncidentChanges.Declare(new IncidentDraft
        {
            Title = "Checkout down",
            Severity = Severity.Sev2,
            Services = ["checkout-api", "payments"],
            Environment = "production",
            Description = "Stripe webhooks failing",
            CustomerImpact = "30% of payments",
            DeclaredBy = "U1",
            CommanderId = "U2",
        }, Now));
        await store.UpdateAsync(created.Number, current => IncidentChanges.Apply(current with { ChannelId = "C123", ChannelName = "incident-1-checkout-down" }, new IncidentEdit
        {
            Status = IncidentStatus.Resolved,
            MitigationSummary = "Rolled back",
            ResolutionSummary = "Fixed",
            Link = (LinkType.Trace, "https://traces.example.com/abc"),
        }, "U2", Now.AddHours(1)));

        var stored = await store.GetAsync(created.Number);
        var byChannel = await store.FindByChannelAsync("C123");

        Assert.Equal(1, byChannel?.Number);
        Assert.Equal(["checkout-api", "payments"], stored!.Services);
        Assert.Equal("production", stored.Environment);
        Assert.Equal("30% of payments", stored.CustomerImpact);
        Assert.Equal("U2", stored.CommanderId);
        Assert.Equal("incident-1-checkout-down", stored.ChannelName);
        Assert.Equal(Now.AddHours(1), stored.ResolvedAt);
        Assert.Equal(TimeSpan.FromHours(1), stored.TimeToResolve);
        var link = Assert.Single(stored.Links);
        Assert.Equal(new LinkedResource(LinkType.Trace, "https://traces.example.com/abc", Now.AddHours(1), "U2"), link);
        Assert.Equal(Now.AddHours(1), stored.UpdatedAt);
    }

    [Fact]
    public async Task SlackMessageSourcesAreKeptWithTheirEntries()
    {
        using var store = new SqliteIncidentStore(database);
        var incident = await store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Chat" }, Now));
        var source = new SlackMessageSource("C123", "1700000000.000100", "1700000000.000050", "https://x.slack.com/archives/C123/p1700000000000100", IsBot: true);

        await store.UpdateAsync(incident.Number, current =>
            new IncidentChange(current, [new NewTimelineEntry(TimelineEntryKind.Message, Now, "U1", "rolling back", Slack: source)]));

        var entry = (await store.GetTimelineAsync(incident.Number, new TimelineQuery()))[^1];
        Assert.Equal(source, entry.Slack);
        Assert.Equal(TimelineEntryKind.Message, entry.Kind);
    }

    [Fact]
    public async Task TheStoreIsReachableOnlyWhenItsFileHasTheSchema()
    {
        using var store = new SqliteIncidentStore(database);
        using var empty = new TemporaryDatabase();
        using var unmigrated = new SqliteIncidentStore(new SqliteDatabase(empty.ConnectionString));

        Assert.True(await store.IsReachableAsync());
        Assert.False(await unmigrated.IsReachableAsync());
    }
}
