using IncidentBot.Storage;
using IncidentBot.Storage.Postgres;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>What every provider's leases on per-incident work must do.</summary>
public abstract class IncidentLeasesContract<TProvider> : StorageContract<TProvider>
    where TProvider : StorageProvider, new()
{
    [SkippableFact]
    public async Task ALeaseIsHeldByOneUntilItIsLetGo()
    {
        var first = await Ports.Leases.TryTakeAsync(IncidentWork.SlackChannel, 1);
        var again = await Ports.Leases.TryTakeAsync(IncidentWork.SlackChannel, 1);
        await using var other = await Ports.Leases.TryTakeAsync(IncidentWork.SlackChannel, 2);

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.NotNull(other);

        await first.DisposeAsync();
        await using var afterwards = await Ports.Leases.TryTakeAsync(IncidentWork.SlackChannel, 1);
        Assert.NotNull(afterwards);
    }
}

public sealed class SqliteIncidentLeasesTests : IncidentLeasesContract<SqliteStorage>;

public sealed class PostgresIncidentLeasesTests : IncidentLeasesContract<PostgresStorage>
{
    [SkippableFact]
    public async Task ReplicasShareTheLeasesAndADeadReplicasLeaseIsFreeAtOnce()
    {
        var dying = Provider.OpenDatabase("dying-replica");
        var held = await new PostgresIncidentLeases(dying).TryTakeAsync(IncidentWork.SlackChannel, 7);
        var replica = Provider.Open().Leases;

        Assert.NotNull(held);
        Assert.Null(await replica.TryTakeAsync(IncidentWork.SlackChannel, 7));

        await Provider.KillAsync("dying-replica");

        await using var takenOver = await replica.TryTakeAsync(IncidentWork.SlackChannel, 7);
        Assert.NotNull(takenOver);
    }

    [SkippableFact]
    public async Task BotsKeptInDifferentSchemasOfOneDatabaseDoNotHoldEachOthersLeases()
    {
        var neighbour = new PostgresStorage();
        await neighbour.InitializeAsync();
        try
        {
            await neighbour.MigrateAsync();
            await using var ours = await Ports.Leases.TryTakeAsync(IncidentWork.SlackChannel, 3);
            await using var theirs = await neighbour.Open().Leases.TryTakeAsync(IncidentWork.SlackChannel, 3);

            Assert.NotNull(ours);
            Assert.NotNull(theirs);
        }
        finally
        {
            await neighbour.DisposeAsync();
        }
    }
}
