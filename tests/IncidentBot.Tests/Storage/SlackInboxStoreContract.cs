using Microsoft.Extensions.Time.Testing;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

public sealed class SqliteSlackInboxStoreTests : IAsyncLifetime
{
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
    public async Task AnEventDeliveredTwiceIsStoredOnce()
    {
        var inbox = Inbox(database);

        await inbox.AcceptAsync(Event("Ev1"));
        await inbox.AcceptAsync(Event("Ev1") with { RetryNum = 1 });
        await inbox.AcceptAsync(Event("Ev2"));

        var pending = await inbox.ReadPendingAsync(0, 10);
        Assert.Equal(2, pending.Count);
        Assert.Contains("Ev2", pending[1].Item.Payload);
    }

    [Fact]
    public async Task WorkStoredBeforeARestartIsStillPendingAfterIt()
    {
        await Inbox(database).AcceptAsync(Event("Ev1"));
        await Inbox(database).AcceptAsync(new SlackWorkItem(SlackWorkKind.BlockActions, "{\"type\":\"block_actions\"}"));

        var restarted = Inbox(new SqliteDatabase(file.ConnectionString));
        var pending = await restarted.ReadPendingAsync(0, 10);

        Assert.Equal([SlackWorkKind.Event, SlackWorkKind.BlockActions], pending.Select(p => p.Item.Kind));
        await restarted.AcceptAsync(Event("Ev1") with { RetryNum = 2 });
        Assert.Equal(2, (await restarted.ReadPendingAsync(0, 10)).Count);
    }

    [Fact]
    public async Task CompletedWorkIsNoLongerPending()
    {
        var inbox = Inbox(database);
        await inbox.AcceptAsync(Event("Ev1"));
        await inbox.AcceptAsync(Event("Ev2"));
        var pending = await inbox.ReadPendingAsync(0, 10);

        await inbox.CompleteAsync([pending[0].Id]);

        var left = await inbox.ReadPendingAsync(0, 10);
        Assert.Equal(pending[1].Id, Assert.Single(left).Id);
    }

    [Fact]
    public async Task DeliveriesArrivingTogetherAreAllStoredAndDuplicatesAmongThemOnce()
    {
        var inbox = Inbox(database);

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => inbox.AcceptAsync(Event($"Ev{i % 200}")).AsTask()));

        Assert.Equal(200, results.Count(result => result == Acceptance.Queued));
        Assert.Equal(100, results.Count(result => result == Acceptance.Duplicate));
        var pending = await inbox.ReadPendingAsync(0, 1000);
        Assert.Equal(200, pending.Count);
        Assert.Equal(200, pending.Select(p => p.Item.Payload).Distinct().Count());
    }

    [Fact]
    public async Task WhetherWorkMayRunInAnyOrderIsKept()
    {
        var inbox = Inbox(database);
        await inbox.AcceptAsync(Event("Ev1") with { Order = SlackWorkOrder.AnyOrder });
        await inbox.AcceptAsync(Event("Ev2"));

        var pending = await Inbox(new SqliteDatabase(file.ConnectionString)).ReadPendingAsync(0, 10);

        Assert.Equal([SlackWorkOrder.AnyOrder, SlackWorkOrder.InOrder], pending.Select(p => p.Item.Order));
    }

    [Fact]
    public async Task WorkAcceptedHereComesBackWithItsParsedPayloadAndWorkReadAfterARestartWithout()
    {
        var inbox = Inbox(database);
        var parsed = new object();
        await inbox.AcceptAsync(Event("Ev1") with { Parsed = parsed });

        var here = Assert.Single(await inbox.ReadPendingAsync(0, 10));
        var afterRestart = Assert.Single(await Inbox(new SqliteDatabase(file.ConnectionString)).ReadPendingAsync(0, 10));

        Assert.Same(parsed, here.Item.Parsed);
        Assert.Null(afterRestart.Item.Parsed);
        Assert.Equal(here.Item.Payload, afterRestart.Item.Payload);
    }

    private static SqliteSlackInboxStore Inbox(SqliteDatabase database) =>
        new(database, new FakeTimeProvider(), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteSlackInboxStore>.Instance);

    private static SlackWorkItem Event(string eventId) =>
        new(SlackWorkKind.Event, $$$"""{"type":"event_callback","event_id":"{{{eventId}}}","event":{"type":"message"}}""", EventId: eventId);
}
