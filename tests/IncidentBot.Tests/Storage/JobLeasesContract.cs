using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider's leases on cluster-wide jobs must do; the times are the callers', so a fake clock is enough.</summary>
public abstract class JobLeasesContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    private const string Job = "channel rescan";
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public async Task OneHolderAtATimeHasAJobAndOtherJobsAreApart()
    {
        var first = await Ports.Jobs.TryTakeAsync(Job, "replica-a", Now, Lifetime);
        var second = await Provider.Open().Jobs.TryTakeAsync(Job, "replica-b", Now + TimeSpan.FromSeconds(1), Lifetime);
        var otherJob = await Provider.Open().Jobs.TryTakeAsync("channel catch-up", "replica-b", Now, Lifetime);

        Assert.Equal(new JobLeaseAttempt(true), first);
        Assert.Equal(new JobLeaseAttempt(false), second);
        Assert.True(otherJob.Held);
        Assert.Equal(new JobLease(Job, "replica-a", Now + Lifetime), await Ports.Jobs.GetAsync(Job));
    }

    [SkippableFact]
    public async Task RenewingKeepsTheLeasePastItsFirstLifetime()
    {
        await Ports.Jobs.TryTakeAsync(Job, "replica-a", Now, Lifetime);

        var renewed = await Ports.Jobs.TryTakeAsync(Job, "replica-a", Now + TimeSpan.FromSeconds(10), Lifetime);
        var other = await Provider.Open().Jobs.TryTakeAsync(Job, "replica-b", Now + TimeSpan.FromSeconds(20), Lifetime);

        Assert.Equal(new JobLeaseAttempt(true), renewed);
        Assert.False(other.Held);
        Assert.Equal(Now + TimeSpan.FromSeconds(25), (await Ports.Jobs.GetAsync(Job))!.ExpiresAt);
    }

    [SkippableFact]
    public async Task ALapsedLeaseIsTakenOverAndItsHolderCanNoLongerRenewIt()
    {
        await Ports.Jobs.TryTakeAsync(Job, "replica-a", Now, Lifetime);
        var other = Provider.Open().Jobs;

        var tooSoon = await other.TryTakeAsync(Job, "replica-b", Now + Lifetime - TimeSpan.FromMilliseconds(1), Lifetime);
        var takenOver = await other.TryTakeAsync(Job, "replica-b", Now + Lifetime, Lifetime);
        var lateRenewal = await Ports.Jobs.TryTakeAsync(Job, "replica-a", Now + Lifetime + TimeSpan.FromSeconds(1), Lifetime);

        Assert.False(tooSoon.Held);
        Assert.Equal(new JobLeaseAttempt(true, LapsedHolder: "replica-a"), takenOver);
        Assert.False(lateRenewal.Held);
        Assert.Equal("replica-b", (await Ports.Jobs.GetAsync(Job))!.Holder);
    }

    [SkippableFact]
    public async Task AReleasedLeaseIsFreeAtOnceAndOnlyItsHolderCanReleaseIt()
    {
        await Ports.Jobs.TryTakeAsync(Job, "replica-a", Now, Lifetime);
        var other = Provider.Open().Jobs;

        await other.ReleaseAsync(Job, "replica-b");
        var whileHeld = await other.TryTakeAsync(Job, "replica-b", Now, Lifetime);
        await Ports.Jobs.ReleaseAsync(Job, "replica-a");
        var gone = await other.GetAsync(Job);
        var afterRelease = await other.TryTakeAsync(Job, "replica-b", Now, Lifetime);

        Assert.False(whileHeld.Held);
        Assert.Null(gone);
        Assert.Equal(new JobLeaseAttempt(true), afterRelease);
    }

    [SkippableFact]
    public async Task OfHoldersTakingALapsedLeaseAtOnceExactlyOneGetsIt()
    {
        await Ports.Jobs.TryTakeAsync(Job, "dead-replica", Now, Lifetime);
        var later = Now + Lifetime + TimeSpan.FromSeconds(1);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Provider.Open().Jobs.TryTakeAsync(Job, $"replica-{i}", later, Lifetime)));

        var winner = Assert.Single(attempts, attempt => attempt.Held);
        Assert.Equal("dead-replica", winner.LapsedHolder);
    }
}

public sealed class SqliteJobLeasesTests : JobLeasesContract<SqliteStorage>;

public sealed class PostgresJobLeasesTests : JobLeasesContract<PostgresStorage>;
