using IncidentBot.Slack.Handlers;
using IncidentBot.Slack.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class SlackInboxProcessorTests
{
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task WorkStillRunningHasItsClaimRenewedUntilItIsDone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var mention = new SlowMentionHandler();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(mention);
        services.AddSingleton<RenewingInbox>();
        services.AddSingleton<ISlackInboxStore>(sp => sp.GetRequiredService<RenewingInbox>());
        services.AddSlack(options =>
        {
            options.BotToken = "xoxb-test";
            options.SigningSecret = "secret";
        }).AddEventHandler<AppMention, SlowMentionHandler>();
        await using var provider = services.BuildServiceProvider();
        var inbox = provider.GetRequiredService<RenewingInbox>();
        var processor = ActivatorUtilities.CreateInstance<SlackInboxProcessor>(provider);
        await processor.StartAsync(CancellationToken.None);

        await inbox.AcceptAsync(new SlackWorkItem(SlackWorkKind.Event, Fixture.Read("event_app_mention.json"), EventId: "Ev1"));
        await mention.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var renewal = 1; renewal <= 4; renewal++)
        {
            time.Advance(RenewEvery);
            await inbox.WaitForRenewalsAsync(renewal);
        }

        mention.Finish.SetResult();
        await inbox.Completed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(RenewEvery * 2);
        await processor.StopAsync(CancellationToken.None);

        Assert.Equal(4, inbox.Renewals.Count);
        Assert.All(inbox.Renewals, ids => Assert.Equal(inbox.Completed.Task.Result, ids));
    }

    private sealed class SlowMentionHandler : IEventHandler<AppMention>
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task HandleAsync(AppMention slackEvent, EventContext context, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Finish.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The in-memory inbox, as a store shared with other processes would be: its claims must be renewed.</summary>
    private sealed class RenewingInbox(IOptions<SlackOptions> options, TimeProvider time) : ISlackInboxStore
    {
        private readonly InMemorySlackInboxStore inner = new(options, time);
        private readonly Lock gate = new();
        private readonly List<IReadOnlyCollection<long>> renewals = [];

        public List<IReadOnlyCollection<long>> Renewals
        {
            get
            {
                lock (gate)
                {
                    return [.. renewals];
                }
            }
        }

        public TaskCompletionSource<IReadOnlyCollection<long>> Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan? RenewClaimsEvery => RenewEvery;

        public Task RenewClaimsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                renewals.Add([.. ids]);
            }

            return Task.CompletedTask;
        }

        public async Task WaitForRenewalsAsync(int count)
        {
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
            while (Renewals.Count < count)
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, $"Fewer than {count} renewals.");
                await Task.Delay(5);
            }
        }

        public ValueTask<Acceptance> AcceptAsync(SlackWorkItem item, CancellationToken cancellationToken = default) => inner.AcceptAsync(item, cancellationToken);

        public Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadPendingAsync(afterId, limit, cancellationToken);

        public async Task CompleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
        {
            await inner.CompleteAsync(ids, cancellationToken);
            Completed.TrySetResult([.. ids]);
        }

        public Task WaitForWorkAsync(CancellationToken cancellationToken) => inner.WaitForWorkAsync(cancellationToken);

        public Task<int> CountPendingAsync(CancellationToken cancellationToken = default) => inner.CountPendingAsync(cancellationToken);
    }
}
