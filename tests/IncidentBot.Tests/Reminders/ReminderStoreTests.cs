using IncidentBot.Incidents;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Reminders;

public sealed class ReminderStoreTests : IDisposable
{
    private static readonly DateTimeOffset Declared = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);
    private readonly TemporaryDatabase file = new();

    [Fact]
    public async Task OfTwoProcessesAskingAtOnceExactlyOneTakesTheReminder()
    {
        var first = new SqliteDatabase(file.ConnectionString);
        await first.MigrateAsync();
        await new SqliteIncidentStore(first).CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout down", Severity = Severity.Sev1 }, Declared));
        var second = new SqliteDatabase(file.ConnectionString);
        var now = Declared + Interval;

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            new SqliteReminderStore(i % 2 == 0 ? first : second).ClaimAsync(1, Declared, Interval, now)));

        Assert.Single(claims, claimed => claimed);
        Assert.False(await new SqliteReminderStore(second).ClaimAsync(1, Declared, Interval, now + TimeSpan.FromMinutes(14)));
        Assert.True(await new SqliteReminderStore(second).ClaimAsync(1, Declared, Interval, now + Interval));
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    public void Dispose() => file.Dispose();
}
