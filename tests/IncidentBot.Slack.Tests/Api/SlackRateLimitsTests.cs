using IncidentBot.Slack.Api;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.Api;

/// <remarks>The buckets refill on the fake clock: no token comes back unless a test moves it.</remarks>
public sealed class SlackRateLimitsTests : IAsyncLifetime
{
    private static readonly TimeSpan Tier2Interval = RateTier.Tier2.ToTokenBucket().ReplenishmentPeriod;

    private readonly FakeClock clock = new();
    private readonly SlackRateLimits limits;

    public SlackRateLimitsTests() => limits = new SlackRateLimits(clock);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await limits.DisposeAsync();

    public static TheoryData<string, int, double> Tiers => new()
    {
        { "Tier 1", 2, 60 },
        { "Tier 2", 5, 3 },
        { "Tier 3", 10, 1.2 },
        { "Tier 4", 20, 0.6 },
        { "Special (hundreds)", 50, 0.1 },
        { "Special (1/s per channel)", 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Tiers))]
    public void EachTierIsABucketOfItsBurstGainingOneCallPerInterval(string name, int burst, double secondsPerCall)
    {
        var tier = new[] { RateTier.Tier1, RateTier.Tier2, RateTier.Tier3, RateTier.Tier4, RateTier.Hundreds, RateTier.MessagePerChannel }
            .Single(tier => tier.Name == name);

        var bucket = tier.ToTokenBucket();

        Assert.Equal((burst, 1), (bucket.TokenLimit, bucket.TokensPerPeriod));
        Assert.Equal(TimeSpan.FromSeconds(secondsPerCall), bucket.ReplenishmentPeriod);
    }

    [Fact]
    public async Task ConnectionsOpenIsNotHeldBackButLeftToSlacksRetryAfter()
    {
        Assert.Null(RateTier.For("apps.connections.open"));

        for (var i = 0; i < 10; i++)
        {
            using var lease = await limits.AcquireAsync(new SlackCall("apps.connections.open"));
            Assert.True(lease.IsAcquired);
        }
    }

    [Fact]
    public async Task ABurstGoesAtOnceAndTheNextCallsWaitInTheQueue()
    {
        var pins = new SlackCall("pins.add");
        for (var i = 0; i < RateTier.Tier2.Burst; i++)
        {
            var granted = limits.AcquireAsync(pins);
            Assert.True(granted.IsCompletedSuccessfully);
            Assert.True((await granted).IsAcquired);
        }

        var sixth = limits.AcquireAsync(pins).AsTask();
        var seventh = limits.AcquireAsync(pins).AsTask();

        Assert.False(sixth.IsCompleted || seventh.IsCompleted);
        Assert.Equal(2, limits.GetStatistics(pins)!.CurrentQueuedCount);
    }

    [Fact]
    public async Task EachIntervalGivesBackOneTokenToTheOldestWaitingCall()
    {
        var pins = new SlackCall("pins.add");
        await SpendBurstAsync(pins, RateTier.Tier2);
        var sixth = limits.AcquireAsync(pins).AsTask();
        var seventh = limits.AcquireAsync(pins).AsTask();

        clock.Advance(Tier2Interval - TimeSpan.FromTicks(1));
        Assert.False(sixth.IsCompleted || seventh.IsCompleted);
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.True((await sixth).IsAcquired);
        Assert.False(seventh.IsCompleted);
        Assert.Equal(1, limits.GetStatistics(pins)!.CurrentQueuedCount);
        clock.Advance(Tier2Interval);
        Assert.True((await seventh).IsAcquired);
    }

    [Fact]
    public async Task AQuietSpellGivesBackTheBurstAndNoMore()
    {
        var pins = new SlackCall("pins.add");
        (await limits.AcquireAsync(pins)).Dispose();
        // Full again after one interval, then quiet for two more: short of the 10 s after which an idle bucket is dropped.
        clock.Advance(3 * Tier2Interval);

        await SpendBurstAsync(pins, RateTier.Tier2);
        var next = limits.AcquireAsync(pins).AsTask();

        Assert.False(next.IsCompleted);
        Assert.Equal((0, 1), (limits.GetStatistics(pins)!.CurrentAvailablePermits, limits.GetStatistics(pins)!.CurrentQueuedCount));
    }

    [Fact]
    public async Task PostMessageHasASeparateBudgetPerChannel()
    {
        for (var i = 0; i < RateTier.MessagePerChannel.Burst; i++)
        {
            (await limits.AcquireAsync(new SlackCall("chat.postMessage", "C1"))).Dispose();
        }

        var inOtherChannel = limits.AcquireAsync(new SlackCall("chat.postMessage", "C2"));

        Assert.True(inOtherChannel.IsCompletedSuccessfully);
        Assert.True((await inOtherChannel).IsAcquired);
        Assert.Equal(0, limits.GetStatistics(new SlackCall("chat.postMessage", "C1"))!.CurrentAvailablePermits);
        Assert.Equal(RateTier.MessagePerChannel.Burst - 1, limits.GetStatistics(new SlackCall("chat.postMessage", "C2"))!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task ACancelledWaitLeavesTheQueue()
    {
        var topic = new SlackCall("conversations.setTopic");
        for (var i = 0; i < RateTier.Tier2.Burst; i++)
        {
            (await limits.AcquireAsync(topic)).Dispose();
        }

        using var cancellation = new CancellationTokenSource();
        var waiting = limits.AcquireAsync(topic, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, limits.GetStatistics(topic)!.CurrentQueuedCount);
    }

    [Fact]
    public async Task ABurstOfApiCallsWaitsForTheBudgetInsteadOfHittingSlack()
    {
        await using var slack = await SlackApiClientFixture.StartAsync();
        var channel = slack.Fake.AddChannel("incident-9");
        var topic = new SlackCall("conversations.setTopic");
        using var cancellation = new CancellationTokenSource();
        var burst = RateTier.Tier2.Burst;

        var calls = Enumerable.Range(0, burst + 2)
            .Select(i => slack.Client.Conversations.SetTopicAsync(channel.Id, $"topic {i}", cancellation.Token))
            .ToList();

        // Each call has taken a token or its place in the queue before SetTopicAsync returned.
        Assert.Equal((0, 2), (slack.RateLimits.GetStatistics(topic)!.CurrentAvailablePermits, slack.RateLimits.GetStatistics(topic)!.CurrentQueuedCount));
        await Task.WhenAll(calls.Take(burst));
        Assert.Equal(burst, slack.Fake.CallsTo("conversations.setTopic").Count);

        slack.Time.Advance(Tier2Interval);
        await calls[burst];
        Assert.Equal(burst + 1, slack.Fake.CallsTo("conversations.setTopic").Count);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls[burst + 1]);
        Assert.Equal(0, slack.RateLimits.GetStatistics(topic)!.CurrentQueuedCount);
        Assert.Equal(burst + 1, slack.Fake.CallsTo("conversations.setTopic").Count);
    }

    private async Task SpendBurstAsync(SlackCall call, RateTier tier)
    {
        for (var i = 0; i < tier.Burst; i++)
        {
            var granted = limits.AcquireAsync(call);
            Assert.True(granted.IsCompletedSuccessfully);
            (await granted).Dispose();
        }
    }
}
