using Microsoft.Extensions.Time.Testing;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage;
using IncidentBot.Storage.Postgres;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider's durable Slack inbox must do; a "restart" is a new store on the same Ports.</summary>
public abstract class SlackInboxStoreContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    [SkippableFact]
    public async Task AnEventDeliveredTwiceIsStoredOnce()
    {
        var inbox = Inbox(Ports);

        await inbox.AcceptAsync(Event("Ev1"));
        await inbox.AcceptAsync(Event("Ev1") with { RetryNum = 1 });
        await inbox.AcceptAsync(Event("Ev2"));

        var pending = await inbox.ReadPendingAsync(0, 10);
        Assert.Equal(2, pending.Count);
        Assert.Contains("Ev2", pending[1].Item.Payload);
    }

    [SkippableFact]
    public async Task WorkStoredBeforeARestartIsStillPendingAfterIt()
    {
        await Inbox(Ports).AcceptAsync(Event("Ev1"));
        await Inbox(Ports).AcceptAsync(new SlackWorkItem(SlackWorkKind.BlockActions, "{\"type\":\"block_actions\"}"));

        var restarted = Inbox(Provider.Open());
        var pending = await restarted.ReadPendingAsync(0, 10);

        Assert.Equal([SlackWorkKind.Event, SlackWorkKind.BlockActions], pending.Select(p => p.Item.Kind));
        await restarted.AcceptAsync(Event("Ev1") with { RetryNum = 2 });
        Assert.Equal(2, (await restarted.ReadPendingAsync(0, 10)).Count);
    }

    [SkippableFact]
    public async Task AnEventIdIsForgottenOnceSlackNoLongerRetriesIt()
    {
        await Inbox(Ports).AcceptAsync(Event("Ev1"));

        var anHourLater = await Inbox(Ports, TimeSpan.FromHours(1)).AcceptAsync(Event("Ev1") with { RetryNum = 3 });
        var daysLater = Inbox(Ports, TimeSpan.FromDays(2));
        await daysLater.AcceptAsync(Event("Ev2"));

        Assert.Equal(Acceptance.Duplicate, anHourLater);
        Assert.Equal(Acceptance.Queued, await daysLater.AcceptAsync(Event("Ev1")));
    }

    [SkippableFact]
    public async Task CompletedWorkIsNoLongerPending()
    {
        var inbox = Inbox(Ports);
        await inbox.AcceptAsync(Event("Ev1"));
        await inbox.AcceptAsync(Event("Ev2"));
        var pending = await inbox.ReadPendingAsync(0, 10);

        await inbox.CompleteAsync([pending[0].Id]);

        var left = await inbox.ReadPendingAsync(0, 10);
        Assert.Equal(pending[1].Id, Assert.Single(left).Id);
    }

    [SkippableFact]
    public async Task DeliveriesArrivingTogetherAreAllStoredAndDuplicatesAmongThemOnce()
    {
        var inbox = Inbox(Ports);

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => inbox.AcceptAsync(Event($"Ev{i % 200}")).AsTask()));

        Assert.Equal(200, results.Count(result => result == Acceptance.Queued));
        Assert.Equal(100, results.Count(result => result == Acceptance.Duplicate));
        var pending = await inbox.ReadPendingAsync(0, 1000);
        Assert.Equal(200, pending.Count);
        Assert.Equal(200, pending.Select(p => p.Item.Payload).Distinct().Count());
    }

    [SkippableFact]
    public async Task WhetherWorkMayRunInAnyOrderIsKept()
    {
        var inbox = Inbox(Ports);
        await inbox.AcceptAsync(Event("Ev1") with { Order = SlackWorkOrder.AnyOrder });
        await inbox.AcceptAsync(Event("Ev2"));

        var pending = await Inbox(Provider.Open()).ReadPendingAsync(0, 10);

        Assert.Equal([SlackWorkOrder.AnyOrder, SlackWorkOrder.InOrder], pending.Select(p => p.Item.Order));
    }

    [SkippableFact]
    public async Task WorkAcceptedHereComesBackWithItsParsedPayloadAndWorkReadAfterARestartWithout()
    {
        var inbox = Inbox(Ports);
        var parsed = new object();
        await inbox.AcceptAsync(Event("Ev1") with { Parsed = parsed });

        var here = Assert.Single(await inbox.ReadPendingAsync(0, 10));
        // Later than any claim the first store may hold on what it read.
        var afterRestart = Assert.Single(await Inbox(Provider.Open(), TimeSpan.FromMinutes(5)).ReadPendingAsync(0, 10));

        Assert.Same(parsed, here.Item.Parsed);
        Assert.Null(afterRestart.Item.Parsed);
        Assert.Equal(here.Item.Payload, afterRestart.Item.Payload);
    }

    /// <param name="after">How long after <see cref="StorageContract{TProvider}.Now"/> this store's clock stands.</param>
    protected static ISlackInboxStore Inbox(StoragePorts database, TimeSpan after = default) => database.Inbox(new FakeTimeProvider(Now + after));

    protected static SlackWorkItem Event(string eventId) =>
        new(SlackWorkKind.Event, $$$"""{"type":"event_callback","event_id":"{{{eventId}}}","event":{"type":"message"}}""", EventId: eventId);
}

public sealed class SqliteSlackInboxStoreTests : SlackInboxStoreContract<SqliteStorage>;

public sealed class PostgresSlackInboxStoreTests : SlackInboxStoreContract<PostgresStorage>
{
    [SkippableFact]
    public async Task ADeliveryThatCannotBeStoredIsRefusedAloneAndThoseAcceptedWithItAreStored()
    {
        var inbox = Inbox(Ports);

        // PostgreSQL's text holds no NUL character: that one delivery fails, in whichever batch it shares with the others.
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => inbox.AcceptAsync(i == 25
            ? new SlackWorkItem(SlackWorkKind.Event, "{\"type\":\"event_callback\",\"text\":\"\0\"}", EventId: "EvNul")
            : Event($"Ev{i}")).AsTask()));

        Assert.Equal(Acceptance.Rejected, results[25]);
        Assert.Equal(49, results.Count(result => result == Acceptance.Queued));
        Assert.Equal(49, (await inbox.ReadPendingAsync(0, 100)).Count);
        // Nothing of it was kept: Slack's retry of it is taken as new.
        Assert.Equal(Acceptance.Queued, await inbox.AcceptAsync(Event("EvNul")));
    }

    [SkippableFact]
    public async Task ReplicasReadingAtOnceGetDifferentAnyOrderWork()
    {
        var accepting = Inbox(Provider.Open());
        for (var i = 0; i < 40; i++)
        {
            await accepting.AcceptAsync(Event($"Ev{i}") with { Order = SlackWorkOrder.AnyOrder });
        }

        var replicas = Enumerable.Range(0, 4).Select(_ => Inbox(Provider.Open())).ToList();
        var read = await Task.WhenAll(replicas.Select(replica => replica.ReadPendingAsync(0, 15)));

        var ids = read.SelectMany(batch => batch.Select(work => work.Id)).ToList();
        Assert.Equal(40, ids.Count);
        Assert.Equal(40, ids.Distinct().Count());
    }

    [SkippableFact]
    public async Task InOrderWorkWaitsForEarlierWorkHeldByAnotherReplica()
    {
        var first = Inbox(Provider.Open());
        await first.AcceptAsync(Event("Ev1") with { Order = SlackWorkOrder.AnyOrder });
        await first.AcceptAsync(Event("Ev2") with { Order = SlackWorkOrder.AnyOrder });
        await first.AcceptAsync(Event("Ev3"));
        await first.AcceptAsync(Event("Ev4") with { Order = SlackWorkOrder.AnyOrder });
        var second = Inbox(Provider.Open());

        var held = await first.ReadPendingAsync(0, 1);
        var besideIt = await second.ReadPendingAsync(0, 10);
        await first.CompleteAsync([.. held.Concat(besideIt).Select(work => work.Id)]);
        var afterwards = await second.ReadPendingAsync(0, 10);

        Assert.Equal(["Ev1"], EventIds(held));
        Assert.Equal(["Ev2"], EventIds(besideIt));
        Assert.Equal(["Ev3", "Ev4"], EventIds(afterwards));
    }

    [SkippableFact]
    public async Task WorkReadByAReplicaThatStoppedIsTakenOverOnceItsClaimLapses()
    {
        var stopped = Inbox(Provider.Open());
        await stopped.AcceptAsync(Event("Ev1"));
        Assert.Single(await stopped.ReadPendingAsync(0, 10));

        var soon = Inbox(Provider.Open(), new StorageOptions().InboxClaimTime - TimeSpan.FromSeconds(1));
        var later = Inbox(Provider.Open(), new StorageOptions().InboxClaimTime + TimeSpan.FromSeconds(1));

        Assert.Empty(await soon.ReadPendingAsync(0, 10));
        Assert.Contains("Ev1", Assert.Single(await later.ReadPendingAsync(0, 10)).Item.Payload);
    }

    [SkippableFact]
    public async Task AShorterConfiguredClaimTimeLetsAnotherReplicaTakeTheWorkOverSooner()
    {
        var stopped = Inbox(TimeSpan.FromSeconds(5));
        await stopped.AcceptAsync(Event("Ev1"));
        Assert.Single(await stopped.ReadPendingAsync(0, 10));

        Assert.Empty(await Inbox(TimeSpan.FromSeconds(5), after: TimeSpan.FromSeconds(4)).ReadPendingAsync(0, 10));
        Assert.Single(await Inbox(TimeSpan.FromSeconds(5), after: TimeSpan.FromSeconds(6)).ReadPendingAsync(0, 10));
    }

    [SkippableFact]
    public async Task ClaimedWorkNamesTheHostAndProcessHoldingIt()
    {
        var inbox = Inbox(Ports);
        await inbox.AcceptAsync(Event("Ev1"));
        await inbox.ReadPendingAsync(0, 10);

        await using var connection = await Provider.OpenDatabase().OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT claimed_by FROM slack_work_items;", connection);
        var holder = (string)(await command.ExecuteScalarAsync())!;
        Assert.StartsWith($"{Environment.MachineName}:{Environment.ProcessId}:", holder, StringComparison.Ordinal);
    }

    private PostgresSlackInboxStore Inbox(TimeSpan claimTime, TimeSpan after = default) => new(
        Provider.OpenDatabase(),
        Microsoft.Extensions.Options.Options.Create(new StorageOptions { InboxClaimTime = claimTime }),
        new FakeTimeProvider(Now + after),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSlackInboxStore>.Instance);

    private static readonly TimeSpan DefaultClaimTime = new StorageOptions().InboxClaimTime;

    [SkippableFact]
    public async Task WorkRunningLongerThanItsClaimIsKeptFromOtherReplicasWhileRenewedAndTakenOverOnceRenewalStops()
    {
        var clock = new FakeTimeProvider(Now);
        var running = Ports.Inbox(clock);
        await running.AcceptAsync(Event("Ev1"));
        var held = await running.ReadPendingAsync(0, 10);
        var other = Provider.Open().Inbox(clock);

        for (var renewal = 0; renewal < 6; renewal++)
        {
            clock.Advance((DefaultClaimTime / 3));
            await running.RenewClaimsAsync([.. held.Select(work => work.Id)]);
            Assert.Empty(await other.ReadPendingAsync(0, 10));
        }

        Assert.True(clock.GetUtcNow() - Now > DefaultClaimTime);
        clock.Advance(DefaultClaimTime + TimeSpan.FromMilliseconds(1));
        Assert.Contains("Ev1", Assert.Single(await other.ReadPendingAsync(0, 10)).Item.Payload);
    }

    private static IEnumerable<string?> EventIds(IEnumerable<PendingSlackWork> batch) =>
        batch.Select(work => System.Text.Json.JsonDocument.Parse(work.Item.Payload).RootElement.GetProperty("event_id").GetString());
}

public sealed class PostgresInboxClaimOrderTests
{
    [Theory]
    [InlineData("a a a", "", "1 2 3")]
    [InlineData("a a a", "2", "1 3")]
    [InlineData("a i a", "1", "")]
    [InlineData("i a a", "1", "")]
    [InlineData("a a i a", "1", "2")]
    [InlineData("a i a", "3", "1 2")]
    public void ClaimsTakeWorkInOrderSteppingOnlyOverAnyOrderWorkHeldElsewhere(string orders, string heldElsewhere, string claimed)
    {
        var held = heldElsewhere.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToHashSet();
        var candidates = orders.Split(' ').Select((order, i) => (Id: i + 1L, AnyOrder: order == "a", HeldElsewhere: held.Contains(i + 1L)));

        Assert.Equal(claimed, string.Join(' ', PostgresSlackInboxStore.Claimable(candidates, limit: 10)));
    }
}
