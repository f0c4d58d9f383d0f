using System.Text.Json;
using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class SlackDispatcherTests
{
    private static readonly EventContext Context = new("Ev1", "T1", "A1", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task AHandlerForTheMessageBaseRecordAlsoReceivesEditsAndDeletions()
    {
        var (dispatcher, seen) = Build(slack => slack.AddEventHandler<MessageEventBase, AnyMessageHandler>());

        await dispatcher.DispatchEventAsync(Event("event_message_changed.json"), Context);
        await dispatcher.DispatchEventAsync(Event("event_message_deleted.json"), Context);

        Assert.Equal(["message_changed", "message_deleted"], seen.Select(e => ((MessageEventBase)e).Subtype));
    }

    [Fact]
    public async Task AHandlerForPlainMessagesDoesNotReceiveEdits()
    {
        var (dispatcher, seen) = Build(slack => slack.AddEventHandler<MessageEvent, PlainMessageHandler>());

        Assert.False(dispatcher.HasHandlerFor(Event("event_message_changed.json")));
        await dispatcher.DispatchEventAsync(Event("event_message_channel_join.json"), Context);

        Assert.IsType<ChannelJoinMessage>(Assert.Single(seen));
    }

    [Fact]
    public async Task AFailingHandlerDoesNotStopTheOtherHandlersOfTheEvent()
    {
        var (dispatcher, seen) = Build(slack => slack
            .AddEventHandler<AppMention, FailingMentionHandler>()
            .AddEventHandler<SlackEvent, AnyEventHandler>());

        await dispatcher.DispatchEventAsync(Event("event_app_mention.json"), Context);

        Assert.IsType<AppMention>(Assert.Single(seen));
    }

    [Fact]
    public async Task ARunOfAnyOrderEventsReachesARunHandlerInOneCallAndTheRestIsLeftToRunOneByOne()
    {
        var runs = new List<int>();
        var (dispatcher, seen) = Build(slack => slack
            .AddEventHandler<MessageEventBase, RunMessageHandler>(SlackWorkOrder.AnyOrder)
            .AddEventHandler<AppMention, AnyMentionHandler>(SlackWorkOrder.AnyOrder), services => services.AddSingleton(runs));
        var run = new[] { "event_message_bot_message.json", "event_app_mention.json", "event_message_changed.json", "event_message_deleted.json" }
            .Select((fixture, i) => Work(i + 1, fixture)).ToList();

        var left = await dispatcher.RunTogetherAsync(run);

        Assert.Equal([3], runs);
        Assert.Equal(["message", "message_changed", "message_deleted"], seen.Select(e => ((MessageEventBase)e).Subtype ?? "message"));
        Assert.Equal([2], left.Select(work => work.Id));
    }

    [Fact]
    public async Task ARunHandlerThatFailsGetsTheEventsOneAtATime()
    {
        var runs = new List<int>();
        var (dispatcher, seen) = Build(
            slack => slack.AddEventHandler<MessageEventBase, FailingRunMessageHandler>(SlackWorkOrder.AnyOrder),
            services => services.AddSingleton(runs));

        var left = await dispatcher.RunTogetherAsync([Work(1, "event_message_changed.json"), Work(2, "event_message_deleted.json")]);

        Assert.Empty(left);
        Assert.Equal([2], runs);
        Assert.Equal(["message_changed", "message_deleted"], seen.Select(e => ((MessageEventBase)e).Subtype));
    }

    [Fact]
    public async Task AnInOrderHandlerGetsNoRunsEvenIfItTakesThem()
    {
        var runs = new List<int>();
        var (dispatcher, seen) = Build(
            slack => slack.AddEventHandler<MessageEventBase, RunMessageHandler>(),
            services => services.AddSingleton(runs));

        var left = await dispatcher.RunTogetherAsync([Work(1, "event_message_changed.json"), Work(2, "event_message_deleted.json")]);

        Assert.Equal([1, 2], left.Select(work => work.Id));
        Assert.Empty(runs);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task AFailingSlashCommandAnswersWithAShortEphemeralApology()
    {
        var (dispatcher, _) = Build(slack => slack.AddSlashCommandHandler<FailingCommand>("/incident"));

        var response = await dispatcher.HandleSlashCommandAsync(new SlashCommand { Command = "/incident", UserId = "U1" });

        Assert.Equal("ephemeral", response?.ResponseType);
        Assert.Contains("/incident", response?.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondHandlerForTheSameCommandIsRefusedAtRegistration()
    {
        var slack = new ServiceCollection().AddSlack(Valid).AddSlashCommandHandler<FailingCommand>("/incident");

        var error = Assert.Throws<InvalidOperationException>(() => slack.AddSlashCommandHandler<FailingCommand>("/INCIDENT"));

        Assert.Contains("/INCIDENT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACommandWithoutItsSlashIsRefusedAtRegistration()
    {
        var slack = new ServiceCollection().AddSlack(Valid);

        Assert.Throws<ArgumentException>(() => slack.AddSlashCommandHandler<FailingCommand>("incident"));
    }

    [Fact]
    public void WithoutADurableInboxTheTransportKeepsWorkInMemory()
    {
        var services = new ServiceCollection();
        services.AddSlack(Valid);

        using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemorySlackInboxStore>(provider.GetRequiredService<ISlackInboxStore>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ADurableInboxRegisteredBeforeOrAfterTheTransportReplacesTheInMemoryOne(bool before)
    {
        var services = new ServiceCollection();
        if (before)
        {
            services.AddSingleton<ISlackInboxStore, DurableInbox>();
        }

        services.AddSlack(Valid);
        if (!before)
        {
            services.AddSingleton<ISlackInboxStore, DurableInbox>();
        }

        using var provider = services.BuildServiceProvider();

        Assert.IsType<DurableInbox>(provider.GetRequiredService<ISlackInboxStore>());
    }

    private static void Valid(SlackOptions options)
    {
        options.BotToken = "xoxb-test";
        options.SigningSecret = "secret";
    }

    private static SlackEvent Event(string fixture) =>
        ((EventCallback)JsonSerializer.Deserialize<EventPayload>(Fixture.Read(fixture), SlackJson.Options)!).Event;

    private static PendingSlackWork Work(long id, string fixture)
    {
        var payload = Fixture.Read(fixture);
        return new PendingSlackWork(id, new SlackWorkItem(SlackWorkKind.Event, payload, Order: SlackWorkOrder.AnyOrder));
    }

    private static (SlackDispatcher Dispatcher, List<SlackEvent> Seen) Build(Action<SlackBuilder> register, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        var seen = new List<SlackEvent>();
        services.AddSingleton(seen);
        more?.Invoke(services);
        register(services.AddSlack(Valid));
        return (services.BuildServiceProvider().GetRequiredService<SlackDispatcher>(), seen);
    }

    private sealed class AnyMessageHandler(List<SlackEvent> seen) : IEventHandler<MessageEventBase>
    {
        public Task HandleAsync(MessageEventBase slackEvent, EventContext context, CancellationToken cancellationToken)
        {
            seen.Add(slackEvent);
            return Task.CompletedTask;
        }
    }

    private class RunMessageHandler(List<SlackEvent> seen, List<int> runs) : IEventRunHandler<MessageEventBase>
    {
        protected List<int> Runs => runs;

        public virtual Task HandleRunAsync(IReadOnlyList<EventInRun<MessageEventBase>> run, CancellationToken cancellationToken)
        {
            runs.Add(run.Count);
            seen.AddRange(run.Select(e => e.Event));
            return Task.CompletedTask;
        }

        public Task HandleAsync(MessageEventBase slackEvent, EventContext context, CancellationToken cancellationToken)
        {
            seen.Add(slackEvent);
            return Task.CompletedTask;
        }
    }

    private sealed class FailingRunMessageHandler(List<SlackEvent> seen, List<int> runs) : RunMessageHandler(seen, runs)
    {
        public override Task HandleRunAsync(IReadOnlyList<EventInRun<MessageEventBase>> run, CancellationToken cancellationToken)
        {
            Runs.Add(run.Count);
            throw new InvalidOperationException("boom");
        }
    }

    private sealed class AnyMentionHandler(List<SlackEvent> seen) : IEventHandler<AppMention>
    {
        public Task HandleAsync(AppMention slackEvent, EventContext context, CancellationToken cancellationToken)
        {
            seen.Add(slackEvent);
            return Task.CompletedTask;
        }
    }

    private sealed class PlainMessageHandler(List<SlackEvent> seen) : IEventHandler<MessageEvent>
    {
        public Task HandleAsync(MessageEvent slackEvent, EventContext context, CancellationToken cancellationToken)
        {
            seen.Add(slackEvent);
            return Task.CompletedTask;
        }
    }

    private sealed class AnyEventHandler(List<SlackEvent> seen) : IEventHandler<SlackEvent>
    {
        public Task HandleAsync(SlackEvent slackEvent, EventContext context, CancellationToken cancellationToken)
        {
            seen.Add(slackEvent);
            return Task.CompletedTask;
        }
    }

    private sealed class FailingMentionHandler : IEventHandler<AppMention>
    {
        public Task HandleAsync(AppMention slackEvent, EventContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class DurableInbox : ISlackInboxStore
    {
        public ValueTask<Acceptance> AcceptAsync(SlackWorkItem item, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Acceptance.Queued);

        public Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<PendingSlackWork>>([]);

        public Task CompleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task WaitForWorkAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

        public Task<int> CountPendingAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
    }

    private sealed class FailingCommand : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }
}
