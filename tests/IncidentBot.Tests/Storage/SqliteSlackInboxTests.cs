using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

public sealed class SqliteSlackInboxTests : IAsyncLifetime
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
        var inbox = new SqliteSlackInbox(database, new ManualClock());

        await inbox.TryEnqueueAsync(Event("Ev1"));
        Assert.False(await inbox.TryClaimAsync("Ev1"));
        await inbox.TryEnqueueAsync(Event("Ev1") with { RetryNum = 1 });
        await inbox.TryEnqueueAsync(Event("Ev2"));

        var pending = await inbox.ReadPendingAsync(0, 10);
        Assert.Equal(2, pending.Count);
        Assert.Contains("Ev2", pending[1].Item.Payload);
    }

    [Fact]
    public async Task WorkStoredBeforeARestartIsStillPendingAfterIt()
    {
        await new SqliteSlackInbox(database, new ManualClock()).TryEnqueueAsync(Event("Ev1"));
        await new SqliteSlackInbox(database, new ManualClock()).TryEnqueueAsync(new SlackWorkItem(SlackWorkKind.BlockActions, "{\"type\":\"block_actions\"}"));

        var restarted = new SqliteSlackInbox(new SqliteDatabase(file.ConnectionString), new ManualClock());
        var pending = await restarted.ReadPendingAsync(0, 10);

        Assert.Equal([SlackWorkKind.Event, SlackWorkKind.BlockActions], pending.Select(p => p.Item.Kind));
        Assert.False(await restarted.TryClaimAsync("Ev1"));
    }

    [Fact]
    public async Task CompletedWorkIsNoLongerPending()
    {
        var inbox = new SqliteSlackInbox(database, new ManualClock());
        await inbox.TryEnqueueAsync(Event("Ev1"));
        await inbox.TryEnqueueAsync(Event("Ev2"));
        var pending = await inbox.ReadPendingAsync(0, 10);

        await inbox.CompleteAsync(pending[0].Id);

        var left = await inbox.ReadPendingAsync(0, 10);
        Assert.Equal(pending[1].Id, Assert.Single(left).Id);
    }

    private static SlackWorkItem Event(string eventId) =>
        new(SlackWorkKind.Event, $$$"""{"type":"event_callback","event_id":"{{{eventId}}}","event":{"type":"message"}}""");
}
