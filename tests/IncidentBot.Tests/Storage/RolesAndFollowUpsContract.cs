using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider must keep of an incident's roles and follow-ups, and of the follow-up reminders.</summary>
public abstract class RolesAndFollowUpsContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [SkippableFact]
    public async Task RolesAndFollowUpsAreCommittedWithTheirEntriesAndReadBackAsWritten()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout down" }, Now));
        await Ports.Store.UpdateAsync(incident.Number, i => IncidentChanges.AssignRole(i, "scribe", "U1", "U9", Now));
        await Ports.Store.UpdateAsync(incident.Number, i => IncidentChanges.AssignRole(i, "comms lead", "U2", "U9", Now));
        var scribeChanged = await Ports.Store.UpdateAsync(incident.Number, i => IncidentChanges.AssignRole(i, "scribe", "U3", "U9", Now.AddMinutes(1)));
        await Ports.Store.UpdateAsync(incident.Number, i => FollowUpChanges.Add(i, new NewFollowUp("Add retries", "U2", new DateOnly(2026, 12, 15)), "U9", Now));
        await Ports.Store.UpdateAsync(incident.Number, i => FollowUpChanges.Add(i, new NewFollowUp("Write the runbook"), "U9", Now));
        var done = await Ports.Store.UpdateAsync(
            incident.Number, i => FollowUpChanges.Change(i, 1, new FollowUpEdit(Status: FollowUpStatus.Done), "U2", Now.AddHours(1)));

        var read = await Provider.Open().Reader.GetRequiredAsync(incident.Number);

        Assert.Equal(done.After.Version, read.Version);
        Assert.Equal(done.After.Roles, read.Roles);
        Assert.Equal(done.After.FollowUps, read.FollowUps);
        Assert.Equal(["scribe", "comms lead"], read.Roles.Select(r => r.Role));
        Assert.Equal("U3", read.HolderOf("scribe"));
        Assert.Equal(new DateOnly(2026, 12, 15), read.FollowUps[0].DueOn);
        Assert.Equal(FollowUpStatus.Done, read.FollowUps[0].Status);
        Assert.Equal(Now.AddHours(1), read.FollowUps[0].DoneAt);
        Assert.Equal("role_assigned", scribeChanged.Entries.Single().Kind.ToWireName());
        Assert.Equal("U1", scribeChanged.Entries.Single().Data!["from"]!.GetValue<string>());
        var kinds = (await Ports.Reader.GetChangesAfterAsync(incident.Number, 0)).Select(e => e.Kind.ToWireName()).ToList();
        Assert.Equal(["declared", "role_assigned", "role_assigned", "role_assigned", "followup_added", "followup_added", "followup_changed"], kinds);
    }

    [SkippableFact]
    public async Task TheFilterFindsOnlyIncidentsWithAnOpenFollowUpThatHasAnOwner()
    {
        var owned = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Owned" }, Now));
        var unowned = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Unowned" }, Now));
        var finished = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Finished" }, Now));
        await Ports.Store.UpdateAsync(owned.Number, i => FollowUpChanges.Add(i, new NewFollowUp("Add retries", "U2"), null, Now));
        await Ports.Store.UpdateAsync(unowned.Number, i => FollowUpChanges.Add(i, new NewFollowUp("Someone should"), null, Now));
        await Ports.Store.UpdateAsync(finished.Number, i => FollowUpChanges.Add(i, new NewFollowUp("Done already", "U2"), null, Now));
        await Ports.Store.UpdateAsync(finished.Number, i => FollowUpChanges.Change(i, 1, new FollowUpEdit(Status: FollowUpStatus.Done), null, Now));

        var found = await Ports.Reader.FindAsync(new IncidentFilter { WithOpenOwnedFollowUps = true });

        Assert.Equal([owned.Number], found.Select(i => i.Number));
    }

    [SkippableFact]
    public async Task OfTwoProcessesAskingAtOnceExactlyOneTakesAnOwnersWeeklyReminder()
    {
        var first = Provider.Open().Reminders;
        var second = Provider.Open().Reminders;

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).ClaimFollowUpReminderAsync("U2", Week, Now))));

        Assert.Single(claims, claimed => claimed);
        Assert.True(await first.ClaimFollowUpReminderAsync("U3", Week, Now));
        Assert.False(await second.ClaimFollowUpReminderAsync("U2", Week, Now + Week - TimeSpan.FromMinutes(1)));
        await second.ReleaseFollowUpReminderAsync("U3", Now);
        Assert.True(await second.ClaimFollowUpReminderAsync("U3", Week, Now + TimeSpan.FromMinutes(1)));
        Assert.True(await second.ClaimFollowUpReminderAsync("U2", Week, Now + Week));
    }
}

public sealed class SqliteRolesAndFollowUpsTests : RolesAndFollowUpsContract<SqliteStorage>;

public sealed class PostgresRolesAndFollowUpsTests : RolesAndFollowUpsContract<PostgresStorage>;
