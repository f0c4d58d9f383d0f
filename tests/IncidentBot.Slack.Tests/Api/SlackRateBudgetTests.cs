using IncidentBot.Slack.Api;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.Api;

public sealed class SlackRateBudgetTests
{
    private readonly ManualTimeProvider time = new();

    [Fact]
    public async Task ATier1MethodAllowsASmallBurstThenOneCallPerMinute()
    {
        var budget = new SlackRateBudget(time);
        await budget.WaitAsync("apps.connections.open");
        await budget.WaitAsync("apps.connections.open");

        var third = budget.WaitAsync("apps.connections.open").AsTask();

        Assert.False(third.IsCompleted);
        Assert.Equal(TimeSpan.FromMinutes(1), time.NextTimerDueIn);
        time.Advance(TimeSpan.FromMinutes(1));
        await third;
    }

    [Fact]
    public async Task WaitersLeaveInArrivalOrderSpacedByTheRefillRate()
    {
        var budget = new SlackRateBudget(time);
        for (var i = 0; i < RateTier.Tier2.Burst; i++)
        {
            await budget.WaitAsync("pins.add");
        }

        var sixth = budget.WaitAsync("pins.add").AsTask();
        var seventh = budget.WaitAsync("pins.add").AsTask();

        time.Advance(TimeSpan.FromSeconds(3));
        await sixth;
        Assert.False(seventh.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));
        await seventh;
    }

    [Fact]
    public async Task PostMessageHasASeparateBudgetPerChannel()
    {
        var budget = new SlackRateBudget(time);
        for (var i = 0; i < RateTier.MessagePerChannel.Burst; i++)
        {
            await budget.WaitAsync("chat.postMessage", "C1");
        }

        var fourthInC1 = budget.WaitAsync("chat.postMessage", "C1").AsTask();
        var firstInC2 = budget.WaitAsync("chat.postMessage", "C2").AsTask();

        Assert.True(firstInC2.IsCompletedSuccessfully);
        Assert.False(fourthInC1.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await fourthInC1;
    }

    [Fact]
    public async Task ACancelledWaitGivesItsSlotBack()
    {
        var budget = new SlackRateBudget(time);
        await budget.WaitAsync("apps.connections.open");
        await budget.WaitAsync("apps.connections.open");
        using var cancellation = new CancellationTokenSource();

        var cancelled = budget.WaitAsync("apps.connections.open", cancellationToken: cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        var next = budget.WaitAsync("apps.connections.open").AsTask();
        Assert.Equal(TimeSpan.FromMinutes(1), time.NextTimerDueIn);
        time.Advance(TimeSpan.FromMinutes(1));
        await next;
    }

    [Fact]
    public async Task ABurstOfApiCallsWaitsForTheBudgetInsteadOfHittingSlack()
    {
        await using var slack = await SlackApiClientFixture.StartAsync();
        var channel = slack.Fake.AddChannel("incident-9");
        var burst = RateTier.Tier2.Burst + 2;

        var calls = Enumerable.Range(0, burst).Select(i => slack.Client.Conversations.SetTopicAsync(channel.Id, $"topic {i}")).ToList();
        await slack.Fake.WaitForCallsAsync("conversations.setTopic", RateTier.Tier2.Burst);
        await slack.Time.WaitForTimerAsync(count: 2);

        // Tier 2 refills one call every 3 s: the two calls over the burst wait 3 s and 6 s.
        Assert.Equal(RateTier.Tier2.Burst, slack.Fake.CallsTo("conversations.setTopic").Count);
        Assert.Equal(TimeSpan.FromSeconds(3), slack.Time.NextTimerDueIn);
        slack.Time.Advance(TimeSpan.FromSeconds(6));
        await Task.WhenAll(calls);
        Assert.Equal(burst, slack.Fake.CallsTo("conversations.setTopic").Count);
    }
}
