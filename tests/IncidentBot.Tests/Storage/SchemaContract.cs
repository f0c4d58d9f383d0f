using System.Data.Common;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Storage;

/// <summary>How every provider creates, upgrades and guards its schema.</summary>
public abstract class SchemaContract<TProvider> : IAsyncLifetime
    where TProvider : StorageProvider, new()
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    protected TProvider Provider { get; } = new();

    public Task InitializeAsync() => Provider.InitializeAsync();

    public Task DisposeAsync() => Provider.DisposeAsync();

    [SkippableFact]
    public async Task ANewDatabaseIsCreatedAtTheLatestSchemaVersion()
    {
        var (from, to) = await Provider.MigrateAsync();

        Assert.Equal(0, from);
        Assert.Equal(Provider.LatestVersion, to);
        Assert.Equal(to, await Provider.GetVersionAsync());
    }

    [SkippableFact]
    public async Task ADatabaseWrittenByAnOlderVersionIsUpgradedAndKeepsItsData()
    {
        await Provider.MigrateAsync(steps: 1);
        await Provider.InsertFirstVersionIncidentAsync("Before the upgrade", Severity.Sev2, Now);

        var (from, to) = await Provider.MigrateAsync(extraStepSql: "CREATE TABLE later_step (id INTEGER PRIMARY KEY);");

        Assert.Equal(1, from);
        Assert.Equal(Provider.LatestVersion + 1, to);
        var incident = await Provider.Open().Reader.GetAsync(1);
        Assert.Equal("Before the upgrade", incident?.Title);
        Assert.Equal(Severity.Sev2, incident?.Severity);
    }

    [SkippableFact]
    public async Task OpeningTwiceAppliesNothingTheSecondTime()
    {
        await Provider.MigrateAsync();

        var (from, to) = await Provider.MigrateAsync();

        Assert.Equal(from, to);
    }

    [SkippableFact]
    public async Task ADatabaseFromANewerVersionIsRefusedWithAClearMessage()
    {
        await Provider.MigrateAsync();
        await Provider.SetVersionAsync(99);

        var error = await Assert.ThrowsAsync<NewerSchemaException>(() => Provider.MigrateAsync());

        Assert.Contains("schema version 99", error.Message);
        Assert.Contains("newer IncidentBot", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [SkippableFact]
    public async Task AFailingStepLeavesTheDatabaseAtThePreviousVersion()
    {
        await Assert.ThrowsAnyAsync<DbException>(() =>
            Provider.MigrateAsync(extraStepSql: "CREATE TABLE ok_part (id INTEGER); SELECT * FROM no_such_table;"));

        Assert.Equal(Provider.LatestVersion, await Provider.GetVersionAsync());
        Assert.False(await Provider.TableExistsAsync("ok_part"));
    }
}

public sealed class SqliteSchemaTests : SchemaContract<SqliteStorage>
{
    [Fact]
    public async Task ANewFileIsCreatedInWalMode()
    {
        await Provider.MigrateAsync();

        await using var connection = await new SqliteDatabase(Provider.ConnectionString).OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }
}

public sealed class PostgresSchemaTests : SchemaContract<PostgresStorage>;
