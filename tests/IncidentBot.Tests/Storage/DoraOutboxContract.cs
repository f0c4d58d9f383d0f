using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider's <see cref="IDoraOutbox"/> must do: events recorded with the change, each handed out once.</summary>
public abstract class DoraOutboxContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    [SkippableFact]
    public async Task ADeclarationAndItsResolutionAreRecordedOnceEachWithTheChange()
    {
        var incident = await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = "Checkout down", Severity = Severity.Sev1 }, Now));
        await Ports.Store.UpdateAsync(incident.Number, current =>
            IncidentChanges.Apply(current, new IncidentEdit { Status = IncidentStatus.Resolved }, "U1", Now.AddMinutes(30)));
        await Ports.Store.UpdateAsync(incident.Number, current =>
            IncidentChanges.Apply(current, new IncidentEdit { Severity = Severity.Sev2 }, "U1", Now.AddMinutes(31)));

        var events = await Ports.Dora.ListAsync(Now.AddDays(-1), 10);

        Assert.Equal([DoraEventKind.Declared, DoraEventKind.Resolved], events.Select(e => e.Event));
        Assert.Equal([Now, Now.AddMinutes(30)], events.Select(e => e.OccurredAt));
        Assert.All(events, e => Assert.Equal(incident.Number, e.IncidentNumber));
    }

    [SkippableFact]
    public async Task OfTwoProcessesClaimingAtOnceEachEventGoesToOneUntilItsLeaseEnds()
    {
        for (var i = 0; i < 6; i++)
        {
            await Ports.Store.CreateAsync(IncidentChanges.Declare(new IncidentDraft { Title = $"Incident {i}" }, Now.AddMinutes(i)));
        }

        var first = Provider.Open().Dora;
        var second = Provider.Open().Dora;
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).ClaimDueAsync(Now.AddHours(1), Lease, 2))));

        var claimed = claims.SelectMany(batch => batch.Select(e => e.Id)).ToList();
        Assert.Equal(6, claimed.Count);
        Assert.Equal(6, claimed.Distinct().Count());
        Assert.Empty(await first.ClaimDueAsync(Now.AddHours(1) + Lease - TimeSpan.FromSeconds(1), Lease, 10));

        await first.MarkDeliveredAsync(claimed[0], Now.AddHours(1));
        var again = await second.ClaimDueAsync(Now.AddHours(1) + Lease, Lease, 10);
        Assert.Equal(claimed.Skip(1).Order(), again.Select(e => e.Id).Order());
        Assert.All(again, e => Assert.Equal(2, e.Attempts));
    }
}

public sealed class SqliteDoraOutboxTests : DoraOutboxContract<SqliteStorage>;

public sealed class PostgresDoraOutboxTests : DoraOutboxContract<PostgresStorage>;
