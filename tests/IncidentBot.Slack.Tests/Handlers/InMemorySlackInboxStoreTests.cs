using IncidentBot.Slack.Handlers;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class InMemorySlackInboxStoreTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task TheFirstDeliveryIsKeptAndARetryIsADuplicate()
    {
        var inbox = Inbox();

        Assert.Equal(Acceptance.Queued, await inbox.AcceptAsync(Event("Ev1")));
        Assert.Equal(Acceptance.Duplicate, await inbox.AcceptAsync(Event("Ev1") with { RetryNum = 1 }));
        Assert.Equal(Acceptance.Queued, await inbox.AcceptAsync(Event("Ev2")));

        Assert.Equal(["Ev1", "Ev2"], (await inbox.ReadPendingAsync(0, 10)).Select(p => p.Item.EventId));
    }

    [Fact]
    public async Task AnEventIdIsForgottenAfterAnHour()
    {
        var inbox = Inbox();
        await inbox.AcceptAsync(Event("Ev1"));

        time.Advance(TimeSpan.FromMinutes(61));

        Assert.Equal(Acceptance.Queued, await inbox.AcceptAsync(Event("Ev1")));
    }

    [Fact]
    public async Task AFullInboxRejectsAndTakesTheRetryOnceThereIsRoom()
    {
        var inbox = Inbox(capacity: 1);
        await inbox.AcceptAsync(Event("Ev1"));

        Assert.Equal(Acceptance.Rejected, await inbox.AcceptAsync(Event("Ev2")));
        await inbox.CompleteAsync([(await inbox.ReadPendingAsync(0, 10))[0].Id]);

        Assert.Equal(Acceptance.Queued, await inbox.AcceptAsync(Event("Ev2") with { RetryNum = 1 }));
    }

    [Fact]
    public async Task PendingWorkIsReadInOrderAfterAnIdUntilCompleted()
    {
        var inbox = Inbox();
        foreach (var id in new[] { "Ev1", "Ev2", "Ev3" })
        {
            await inbox.AcceptAsync(Event(id));
        }

        var all = await inbox.ReadPendingAsync(0, 10);
        var afterFirst = await inbox.ReadPendingAsync(all[0].Id, 1);
        await inbox.CompleteAsync([all[0].Id, all[2].Id]);

        Assert.Equal("Ev2", Assert.Single(afterFirst).Item.EventId);
        Assert.Equal("Ev2", Assert.Single(await inbox.ReadPendingAsync(0, 10)).Item.EventId);
    }

    [Fact]
    public async Task WaitingForWorkEndsWhenWorkArrives()
    {
        var inbox = Inbox();
        var waiting = inbox.WaitForWorkAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        await inbox.AcceptAsync(Event("Ev1"));

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ConsecutiveAnyOrderWorkRunsTogetherAndInOrderWorkAlone()
    {
        PendingSlackWork Work(long id, SlackWorkOrder order) => new(id, Event($"Ev{id}") with { Order = order });
        var batch = new[]
        {
            Work(1, SlackWorkOrder.AnyOrder), Work(2, SlackWorkOrder.AnyOrder), Work(3, SlackWorkOrder.InOrder),
            Work(4, SlackWorkOrder.InOrder), Work(5, SlackWorkOrder.AnyOrder),
        };

        var runs = SlackInboxProcessor.Runs(batch).Select(run => run.Select(w => w.Id).ToArray()).ToList();

        Assert.Equal([[1L, 2L], [3L], [4L], [5L]], runs);
    }

    private InMemorySlackInboxStore Inbox(int capacity = 100) =>
        new(Options.Create(new SlackOptions { WorkQueueCapacity = capacity }), time);

    private static SlackWorkItem Event(string eventId) =>
        new(SlackWorkKind.Event, $$$"""{"type":"event_callback","event_id":"{{{eventId}}}","event":{"type":"message"}}""", EventId: eventId);
}
