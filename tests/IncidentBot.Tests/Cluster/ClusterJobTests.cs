using IncidentBot.Cluster;
using IncidentBot.Storage;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Cluster;

/// <summary>
/// Two bots on one database, each on a fake clock of its own: a bot whose clock stands still renews nothing, as one
/// that died or stalled, while the other's time goes on.
/// </summary>
public abstract class ClusterJobTests<TProvider> : IAsyncLifetime
    where TProvider : StorageProvider, new()
{
    private const string Job = ClusterJob.ChannelRescan;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    // What the bots do between the fake clock's steps takes real time; on a busy machine, seconds.
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);

    private readonly TProvider storage = new();
    private readonly FakeClock firstClock = new(Start);
    private readonly FakeClock secondClock = new(Start);
    private readonly LogCapture secondLogs = new();
    private readonly List<TestBot> bots = [];
    private FakeSlack slack = null!;

    // The test's own view of the leases, one pool for every look (a new one each time would leave its connection open).
    private IJobLeases? leases;

    public async Task InitializeAsync()
    {
        await storage.InitializeAsync();
        slack = await FakeSlack.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var bot in bots)
        {
            await bot.DisposeAsync();
        }

        if (slack is not null)
        {
            await slack.DisposeAsync();
        }

        await storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task APeriodicJobRunsInOneReplicaAndIsTakenOverOnceItsHolderStopsRenewing()
    {
        var first = Jobs(await StartAsync(firstClock));
        await SlackTestBot.EventuallyAsync<bool?>(() => Task.FromResult<bool?>(first.Holds(Job)), SettleLimit);
        var second = Jobs(await StartAsync(secondClock, secondLogs));

        for (var round = 0; round < 3; round++)
        {
            firstClock.Advance(ClusterJobs.RenewEvery);
            secondClock.Advance(ClusterJobs.RenewEvery);
            await SlackTestBot.EventuallyAsync(async () => (await LeaseAsync())?.ExpiresAt == firstClock.GetUtcNow() + ClusterJobs.LeaseLifetime ? (bool?)true : null, SettleLimit);
            Assert.True(first.Holds(Job));
            Assert.False(second.Holds(Job));
        }

        // The first stops renewing; past the lease's lifetime the second's next try takes the job. The second's clock
        // moves a try at a time, so no step is lost while a try is on its way.
        await SlackTestBot.EventuallyAsync<bool?>(() =>
        {
            secondClock.Advance(ClusterJobs.RenewEvery);
            return Task.FromResult<bool?>(second.Holds(Job));
        }, SettleLimit);
        Assert.True(secondClock.GetUtcNow() - firstClock.GetUtcNow() >= ClusterJobs.LeaseLifetime);
        Assert.Equal(second.Replica.Value, (await LeaseAsync())!.Holder);
        await secondLogs.WaitForAsync(entry =>
            entry.Message == $"channel rescan: this replica took the job over from {first.Replica}, whose lease lapsed", SettleLimit);

        // The first, coming back, finds the lease taken at its next renewal and stops the job.
        firstClock.Advance(ClusterJobs.RenewEvery);
        await SlackTestBot.EventuallyAsync<bool?>(() => Task.FromResult<bool?>(!first.Holds(Job)), SettleLimit);
        Assert.True(second.Holds(Job));
    }

    [SkippableFact]
    public async Task AReplicaThatStopsGivesItsJobsUpSoTheNextTakesThemAtItsNextTry()
    {
        var firstBot = await StartAsync(firstClock);
        var first = Jobs(firstBot);
        await SlackTestBot.EventuallyAsync<bool?>(() => Task.FromResult<bool?>(first.Holds(Job)), SettleLimit);
        var second = Jobs(await StartAsync(secondClock, secondLogs));

        bots.Remove(firstBot);
        await firstBot.DisposeAsync();
        // Sooner than the lease would have lapsed.
        secondClock.Advance(ClusterJobs.RenewEvery);

        await SlackTestBot.EventuallyAsync<bool?>(() => Task.FromResult<bool?>(second.Holds(Job)), SettleLimit);
        Assert.Equal(second.Replica.Value, (await LeaseAsync())!.Holder);
        Assert.DoesNotContain(secondLogs.Entries, entry => entry.Message.Contains("took the job over", StringComparison.Ordinal));
    }

    private Task<JobLease?> LeaseAsync() => (leases ??= storage.Open().Jobs).GetAsync(Job);

    private static ClusterJobs Jobs(TestBot bot) => bot.App.Services.GetRequiredService<ClusterJobs>();

    private async Task<TestBot> StartAsync(FakeClock clock, LogCapture? logs = null)
    {
        var settings = new Dictionary<string, string?>(storage.Settings)
        {
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:SigningSecret"] = SlackTestBot.SigningSecret,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        };
        var bot = await TestBot.StartAsync(storage.Settings["Storage:ConnectionString"]!, clock, settings, logs);
        bots.Add(bot);
        return bot;
    }
}

public sealed class SqliteClusterJobTests : ClusterJobTests<SqliteStorage>;

public sealed class PostgresClusterJobTests : ClusterJobTests<PostgresStorage>;
