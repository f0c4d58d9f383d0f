using IncidentBot.Slack.Handlers;
using IncidentBot.Testing;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class InMemoryEventDeduplicatorTests
{
    private readonly ManualTimeProvider time = new();

    [Fact]
    public async Task TheFirstDeliveryIsClaimedAndARetryIsNot()
    {
        var deduplicator = new InMemoryEventDeduplicator(time);

        Assert.True(await deduplicator.TryClaimAsync("Ev1"));
        Assert.False(await deduplicator.TryClaimAsync("Ev1"));
        Assert.True(await deduplicator.TryClaimAsync("Ev2"));
    }

    [Fact]
    public async Task AReleasedClaimCanBeTakenAgain()
    {
        var deduplicator = new InMemoryEventDeduplicator(time);
        await deduplicator.TryClaimAsync("Ev1");

        await deduplicator.ReleaseAsync("Ev1");

        Assert.True(await deduplicator.TryClaimAsync("Ev1"));
    }

    [Fact]
    public async Task AnIdIsForgottenAfterTheWindow()
    {
        var deduplicator = new InMemoryEventDeduplicator(time, window: TimeSpan.FromMinutes(10));
        await deduplicator.TryClaimAsync("Ev1");

        time.Advance(TimeSpan.FromMinutes(11));

        Assert.True(await deduplicator.TryClaimAsync("Ev1"));
    }

    [Fact]
    public async Task TheOldestIdIsForgottenWhenCapacityIsReached()
    {
        var deduplicator = new InMemoryEventDeduplicator(time, capacity: 2);
        await deduplicator.TryClaimAsync("Ev1");
        await deduplicator.TryClaimAsync("Ev2");

        await deduplicator.TryClaimAsync("Ev3");

        Assert.False(await deduplicator.TryClaimAsync("Ev3"));
        Assert.True(await deduplicator.TryClaimAsync("Ev1"));
    }
}
