using IncidentBot.Reminders;
using IncidentBot.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Reminders;

/// <summary>
/// Two bots on one database and one Slack, each running its reminder check, on one fake clock: a reminder is posted once
/// whichever checks first, and a bot started again later does not post it again within the interval.
/// </summary>
public abstract class UpdateRemindersAcrossReplicasContract<TProvider> : IAsyncLifetime
    where TProvider : StorageProvider, new()
{
    private readonly TProvider storage = new();
    private readonly FakeClock clock = new(DateTimeOffset.UtcNow);
    private readonly TemporaryDatabase unusedFile = new();
    private SlackTestBot first = null!;
    private SlackTestBot second = null!;

    public async Task InitializeAsync()
    {
        await storage.InitializeAsync();
        first = await SlackTestBot.StartAsync(extraSettings: storage.Settings, clock: clock);
        second = await StartSecondAsync();
    }

    public async Task DisposeAsync()
    {
        // The second shares the first's fake Slack, which the first disposes.
        await second.Bot.DisposeAsync();
        await first.DisposeAsync();
        unusedFile.Dispose();
        await storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task TwoReplicasCheckingAtOnceRemindOnceAndARestartedOneNotAgainWithinTheInterval()
    {
        var number = await first.DeclareAsync("Checkout API errors sev1");
        var channel = await first.ChannelOfAsync(number);

        clock.Advance(TimeSpan.FromMinutes(15));
        using var barrier = new Barrier(2);
        await Task.WhenAll(new[] { first, second }.Select(replica => Task.Run(() =>
        {
            barrier.SignalAndWait();
            return Reminders(replica).RemindWhereDueAsync();
        })));

        // Each replica's check returns only after its own loop's, if under way, has posted.
        Assert.Single(RemindersIn(channel));

        await second.Bot.DisposeAsync();
        second = await StartSecondAsync();
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(0, await Reminders(second).RemindWhereDueAsync());
        Assert.Equal(0, await Reminders(first).RemindWhereDueAsync());
        Assert.Single(RemindersIn(channel));
    }

    private Task<SlackTestBot> StartSecondAsync() =>
        SlackTestBot.StartAsync(database: unusedFile, slack: first.Slack, extraSettings: storage.Settings, clock: clock);

    private static UpdateReminders Reminders(SlackTestBot replica) => replica.Bot.App.Services.GetRequiredService<UpdateReminders>();

    private List<FakeMessage> RemindersIn(FakeChannel channel) =>
        [.. first.Slack.MessagesIn(channel.Id).Where(m => m.Text?.Contains("no update on", StringComparison.Ordinal) == true)];
}

public sealed class SqliteUpdateRemindersAcrossReplicasTests : UpdateRemindersAcrossReplicasContract<SqliteStorage>;

public sealed class PostgresUpdateRemindersAcrossReplicasTests : UpdateRemindersAcrossReplicasContract<PostgresStorage>;
