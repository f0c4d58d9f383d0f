using IncidentBot.Incidents;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IncidentBot.Tests.Support;

/// <summary>Every storage port on one database, as one process of the bot holds them.</summary>
public sealed record StoragePorts(
    IIncidentStore Store,
    IIncidentReader Reader,
    IIncidentSearch Search,
    IIncidentEmbeddingStore Embeddings,
    ISlackSyncStore Sync,
    IIncidentLeases Leases,
    IReminderStore Reminders,
    IDoraOutbox Dora,
    IJobLeases Jobs,
    Func<TimeProvider, ISlackInboxStore> Inbox);

/// <summary>
/// A fresh, empty database of one storage provider, for the contract tests that every provider must pass:
/// created by <see cref="InitializeAsync"/>, removed by <see cref="DisposeAsync"/>.
/// </summary>
public abstract class StorageProvider : IAsyncLifetime
{
    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>The configuration that starts the whole bot on this database.</summary>
    public abstract IDictionary<string, string?> Settings { get; }

    /// <summary>The ports on a new connection to this database, as another process (or a restarted one) would have them.</summary>
    /// <param name="steps">As a version of the program that knows only the first steps of the schema would have them.</param>
    public abstract StoragePorts Open(int? steps = null);

    public abstract int LatestVersion { get; }

    /// <summary>Brings the schema up to the first <paramref name="steps"/> of the provider's steps (all by default), then an extra one.</summary>
    public abstract Task<(int From, int To)> MigrateAsync(int? steps = null, string? extraStepSql = null);

    public abstract Task<int> GetVersionAsync();

    public abstract Task SetVersionAsync(int version);

    public abstract Task<bool> TableExistsAsync(string name);

    /// <summary>An incident written as the first schema version wrote it (today's store writes newer columns).</summary>
    /// <returns>The incident's number.</returns>
    public abstract Task<long> InsertFirstVersionIncidentAsync(string title, Severity severity, DateTimeOffset declaredAt);
}

public sealed class SqliteStorage : StorageProvider
{
    private readonly TemporaryDatabase file = new();

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync()
    {
        file.Dispose();
        return Task.CompletedTask;
    }

    public string ConnectionString => file.ConnectionString;

    public override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = StorageOptions.Sqlite,
        ["Storage:ConnectionString"] = file.ConnectionString,
    };

    public override StoragePorts Open(int? steps = null)
    {
        var database = new SqliteDatabase(file.ConnectionString, [.. SqliteMigrations.All.Take(steps ?? SqliteMigrations.All.Count)]);
        return new StoragePorts(
            new SqliteIncidentStore(database),
            new SqliteIncidentReader(database),
            new SqliteIncidentSearch(database),
            new SqliteIncidentEmbeddingStore(database),
            new SlackSyncStore(database),
            new LocalIncidentLeases(),
            new ReminderStore(database),
            new DoraOutbox(database),
            new JobLeases(database),
            time => new SqliteSlackInboxStore(database, time, NullLogger<SqliteSlackInboxStore>.Instance));
    }

    public override int LatestVersion => SqliteMigrations.All[^1].Version;

    public override async Task<(int From, int To)> MigrateAsync(int? steps = null, string? extraStepSql = null)
    {
        // A pooled connection keeps the schema it saw; the next steps must see the file as it is.
        SqliteConnection.ClearAllPools();
        List<SqliteMigration> migrations = [.. SqliteMigrations.All.Take(steps ?? SqliteMigrations.All.Count)];
        if (extraStepSql is not null)
        {
            migrations.Add(new SqliteMigration(migrations[^1].Version + 1, "an extra step", extraStepSql));
        }

        return await new SqliteDatabase(file.ConnectionString, migrations).MigrateAsync();
    }

    public override async Task<int> GetVersionAsync()
    {
        await using var connection = await new SqliteDatabase(file.ConnectionString).OpenAsync();
        return await SqliteDatabase.GetVersionAsync(connection);
    }

    public override Task SetVersionAsync(int version) => ExecuteAsync($"PRAGMA user_version = {version};");

    public override async Task<bool> TableExistsAsync(string name)
    {
        await using var connection = await new SqliteDatabase(file.ConnectionString).OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    public override async Task<long> InsertFirstVersionIncidentAsync(string title, Severity severity, DateTimeOffset declaredAt)
    {
        await using var database = new SqliteDatabase(file.ConnectionString);
        return await OlderSchemaRows.InsertIncidentAsync(database, title, severity, declaredAt);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await new SqliteDatabase(file.ConnectionString).OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// A schema of its own in the PostgreSQL database named by <see cref="Variable"/>, dropped afterwards. Without that
/// variable every test on PostgreSQL is reported skipped, saying why, except in CI, where it fails: <c>.ci/run</c>
/// starts a server and sets it.
/// </summary>
public sealed class PostgresStorage : StorageProvider
{
    public const string Variable = "INCIDENTBOT_TEST_POSTGRES";

    private readonly string schema = "test_" + Guid.NewGuid().ToString("N");
    private readonly List<PostgresDatabase> opened = [];
    private string connectionString = "";

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public override async Task InitializeAsync()
    {
        if (ServerConnectionString is null && Environment.GetEnvironmentVariable("CI") == "true")
        {
            throw new InvalidOperationException($"{Variable} is not set: in CI the PostgreSQL tests must run (.ci/run starts a server).");
        }

        Skip.If(ServerConnectionString is null, $"PostgreSQL tests need {Variable} set to a connection string (see README, Test it).");
        // Many tests hold pools at once: a small one each keeps them under the server's max_connections.
        connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = schema, MaxPoolSize = 10 }.ConnectionString;
        await AdminExecuteAsync($"CREATE SCHEMA {schema};");
    }

    public override async Task DisposeAsync()
    {
        if (connectionString.Length == 0)
        {
            return;
        }

        foreach (var database in opened)
        {
            await database.DisposeAsync();
        }

        await AdminExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE;");
    }

    public string ConnectionString => connectionString;

    public override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = StorageOptions.Postgres,
        ["Storage:ConnectionString"] = connectionString,
    };

    /// <summary>A database object of its own, as one replica holds it, its connections named after <paramref name="replica"/> and this schema.</summary>
    public PostgresDatabase OpenDatabase(string replica = "incidentbot-tests") =>
        Track(new PostgresDatabase(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = SessionName(replica) }.ConnectionString));

    /// <summary>
    /// Ends the server sessions of a replica opened by <see cref="OpenDatabase"/>, as its death would, and returns once
    /// they are gone (and the locks they held with them). Sessions of a replica of that name in another test are not touched.
    /// </summary>
    public async Task KillAsync(string replica)
    {
        var name = SessionName(replica);
        await AdminExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name;", name);
        await SlackTestBot.EventuallyAsync<bool?>(
            async () => await AdminExecuteAsync("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = @name);", name) is true,
            TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// The application_name of a replica's sessions: with the schema, unique to this test, since the server's sessions are
    /// shared by every test running at once. The server keeps 63 bytes of it.
    /// </summary>
    private string SessionName(string replica) =>
        $"{replica} {schema}" is { Length: <= 63 } name ? name : throw new ArgumentException($"A replica name of at most {62 - schema.Length} characters: {replica}", nameof(replica));

    public override StoragePorts Open(int? steps = null)
    {
        var database = Track(new PostgresDatabase(connectionString, [.. PostgresMigrations.All.Take(steps ?? PostgresMigrations.All.Count)]));
        return new StoragePorts(
            new PostgresIncidentStore(database),
            new PostgresIncidentReader(database),
            new PostgresIncidentSearch(database),
            new PostgresIncidentEmbeddingStore(database),
            new SlackSyncStore(database),
            new PostgresIncidentLeases(database),
            new ReminderStore(database),
            new DoraOutbox(database),
            new JobLeases(database),
            time => new PostgresSlackInboxStore(database, Options.Create(new StorageOptions()), time, NullLogger<PostgresSlackInboxStore>.Instance));
    }

    public override int LatestVersion => PostgresMigrations.All[^1].Version;

    public override async Task<(int From, int To)> MigrateAsync(int? steps = null, string? extraStepSql = null)
    {
        List<PostgresMigration> migrations = [.. PostgresMigrations.All.Take(steps ?? PostgresMigrations.All.Count)];
        if (extraStepSql is not null)
        {
            migrations.Add(new PostgresMigration(migrations[^1].Version + 1, "an extra step", extraStepSql));
        }

        return await Track(new PostgresDatabase(connectionString, migrations)).MigrateAsync();
    }

    public override async Task<int> GetVersionAsync()
    {
        await using var connection = await Track(new PostgresDatabase(connectionString)).OpenAsync();
        return await PostgresDatabase.GetVersionAsync(connection);
    }

    public override async Task SetVersionAsync(int version)
    {
        await using var connection = await Track(new PostgresDatabase(connectionString)).OpenAsync();
        await using var command = new NpgsqlCommand($"UPDATE schema_version SET version = {version};", connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task<bool> TableExistsAsync(string name)
    {
        await using var connection = await Track(new PostgresDatabase(connectionString)).OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL;", connection);
        command.Parameters.AddWithValue("name", name);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public override Task<long> InsertFirstVersionIncidentAsync(string title, Severity severity, DateTimeOffset declaredAt) =>
        OlderSchemaRows.InsertIncidentAsync(Track(new PostgresDatabase(connectionString)), title, severity, declaredAt);

    private PostgresDatabase Track(PostgresDatabase database)
    {
        lock (opened)
        {
            opened.Add(database);
        }

        return database;
    }

    /// <returns>The first column of the first row, if any.</returns>
    private static async Task<object?> AdminExecuteAsync(string sql, string? name = null)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null)
        {
            command.Parameters.AddWithValue("name", name);
        }

        return await command.ExecuteScalarAsync();
    }
}
