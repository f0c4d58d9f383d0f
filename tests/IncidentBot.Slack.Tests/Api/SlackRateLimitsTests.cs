using IncidentBot.Slack.Api;

namespace IncidentBot.Slack.Tests.Api;

/// <remarks>
/// The buckets refill on the real clock (System.Threading.RateLimiting has no TimeProvider), so these
/// tests look only at what holds between refills: the slowest refill here is Tier 2's 3 s.
/// </remarks>
public sealed class SlackRateLimitsTests : IAsyncLifetime
{
    private readonly SlackRateLimits limits = new();

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
    public async Task PostMessageHasASeparateBudgetPerChannel()
    {
        for (var i = 0; i < RateTier.MessagePerChannel.Burst; i++)
        {
            (await limits.AcquireAsync(new SlackCall("chat.postMessage", "C1"))).Dispose();
        }

        var inOtherChannel = limits.AcquireAsync(new SlackCall("chat.postMessage", "C2"));

        Assert.True(inOtherChannel.IsCompletedSuccessfully);
        Assert.True((await inOtherChannel).IsAcquired);
        Assert.True(limits.GetStatistics(new SlackCall("chat.postMessage", "C1"))!.CurrentAvailablePermits < RateTier.MessagePerChannel.Burst);
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
        using var cancellation = new CancellationTokenSource();
        var burst = RateTier.Tier2.Burst + 2;

        var calls = Enumerable.Range(0, burst)
            .Select(i => slack.Client.Conversations.SetTopicAsync(channel.Id, $"topic {i}", cancellation.Token))
            .ToList();
        await Task.WhenAll(calls.Take(RateTier.Tier2.Burst));
        await WaitForQueuedAsync(slack.RateLimits, new SlackCall("conversations.setTopic"), 2);

        Assert.Equal(RateTier.Tier2.Burst, slack.Fake.CallsTo("conversations.setTopic").Count);
        await cancellation.CancelAsync();
        foreach (var waiting in calls.Skip(RateTier.Tier2.Burst))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
    }

    private static async Task WaitForQueuedAsync(SlackRateLimits limits, SlackCall call, int count)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (limits.GetStatistics(call)?.CurrentQueuedCount < count)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Fewer than {count} {call.Method} calls waited for the budget.");
            await Task.Delay(10);
        }
    }
}
