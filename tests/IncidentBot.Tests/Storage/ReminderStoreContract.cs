using IncidentBot.Incidents;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider's <see cref="IncidentBot.Storage.IReminderStore"/> must do.</summary>
public abstract class ReminderStoreContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    [SkippableFact]
    public async Task OfTwoProcessesAskingAtOnceExactlyOneTakesTheReminder()
    {
        await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout down", Severity = Severity.Sev1 }, Now));
        var first = Provider.Open().Reminders;
        var second = Provider.Open().Reminders;
        var due = Now + Interval;

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).ClaimAsync(1, Now, Interval, due))));

        Assert.Single(claims, claimed => claimed);
        Assert.False(await second.ClaimAsync(1, Now, Interval, due + TimeSpan.FromMinutes(14)));
        Assert.True(await second.ClaimAsync(1, Now, Interval, due + Interval));
    }

    [SkippableFact]
    public async Task AnUpdateSinceTheLastReminderLetsTheNextOneInOnlyAfterASnoozeEnds()
    {
        await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Search slow", Severity = Severity.Sev2 }, Now));
        var reminders = Ports.Reminders;
        Assert.True(await reminders.ClaimAsync(1, Now, Interval, Now + Interval));

        await reminders.SnoozeAsync(1, Now + Interval + TimeSpan.FromMinutes(30));
        var updated = Now + Interval + TimeSpan.FromMinutes(1);

        Assert.False(await reminders.ClaimAsync(1, updated, Interval, updated + TimeSpan.FromMinutes(20)));
        Assert.True(await reminders.ClaimAsync(1, updated, Interval, updated + TimeSpan.FromMinutes(29)));
    }

    [SkippableFact]
    public async Task AReleasedReminderIsTakenAgainByTheNextCheck()
    {
        await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Queue backlog", Severity = Severity.Sev1 }, Now));
        var reminders = Ports.Reminders;
        var due = Now + Interval;
        Assert.True(await reminders.ClaimAsync(1, Now, Interval, due));

        await reminders.ReleaseAsync(1, due);

        Assert.True(await Provider.Open().Reminders.ClaimAsync(1, Now, Interval, due + TimeSpan.FromMinutes(1)));
    }
}

public sealed class SqliteReminderStoreTests : ReminderStoreContract<SqliteStorage>;

public sealed class PostgresReminderStoreTests : ReminderStoreContract<PostgresStorage>;
