using IncidentBot.Incidents;
using IncidentBot.Storage;
using IncidentBot.Storage.Sqlite;
using IncidentBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Tests.Storage;

public sealed class SqliteSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase file = new();

    [Fact]
    public async Task ANewFileIsCreatedInWalModeAtTheLatestSchemaVersion()
    {
        var database = new SqliteDatabase(file.ConnectionString);

        var (from, to) = await database.MigrateAsync();

        Assert.Equal(0, from);
        Assert.Equal(SqliteMigrations.All[^1].Version, to);
        Assert.True(File.Exists(file.FilePath));
        await using var connection = await database.OpenAsync();
        Assert.Equal(to, await SqliteDatabase.GetVersionAsync(connection));
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AFileWrittenByAnOlderVersionIsUpgradedAndKeepsItsData()
    {
        var old = new SqliteDatabase(file.ConnectionString, SqliteMigrations.All.Take(1).ToList());
        await old.MigrateAsync();
        await new SqliteIncidentStore(old).CreateAsync(
            IncidentChanges.Declare(new IncidentDraft { Title = "Before the upgrade", Severity = Severity.Sev2 }, Now));

        SqliteConnection.ClearAllPools();
        var nextStep = new SqliteMigration(SqliteMigrations.All[^1].Version + 1, "a later step", "CREATE TABLE later_step (id INTEGER PRIMARY KEY);");
        var upgraded = new SqliteDatabase(file.ConnectionString, [.. SqliteMigrations.All, nextStep]);

        var (from, to) = await upgraded.MigrateAsync();

        Assert.Equal(1, from);
        Assert.Equal(nextStep.Version, to);
        var incident = await new SqliteIncidentReader(upgraded).GetAsync(1);
        Assert.Equal("Before the upgrade", incident?.Title);
        Assert.Equal(Severity.Sev2, incident?.Severity);
    }

    [Fact]
    public async Task OpeningTwiceAppliesNothingTheSecondTime()
    {
        var database = new SqliteDatabase(file.ConnectionString);
        await database.MigrateAsync();

        var (from, to) = await database.MigrateAsync();

        Assert.Equal(from, to);
    }

    [Fact]
    public async Task AFileFromANewerVersionIsRefusedWithAClearMessage()
    {
        var database = new SqliteDatabase(file.ConnectionString);
        await database.MigrateAsync();
        await using (var connection = await database.OpenAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync());

        Assert.Contains("schema version 99", error.Message);
        Assert.Contains("newer IncidentBot", error.Message);
    }

    [Fact]
    public async Task AFailingStepLeavesTheFileAtThePreviousVersion()
    {
        var broken = new SqliteMigration(SqliteMigrations.All[^1].Version + 1, "broken", "CREATE TABLE ok_part (id INTEGER); SELECT * FROM no_such_table;");
        var database = new SqliteDatabase(file.ConnectionString, [.. SqliteMigrations.All, broken]);

        await Assert.ThrowsAsync<SqliteException>(() => database.MigrateAsync());

        await using var connection = await database.OpenAsync();
        Assert.Equal(SqliteMigrations.All[^1].Version, await SqliteDatabase.GetVersionAsync(connection));
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ok_part';";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    public void Dispose() => file.Dispose();
}
