using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace IncidentBot.Storage.Postgres;

/// <summary>One PostgreSQL database, shared by every replica: pooled connections, write transactions, the schema.</summary>
/// <remarks>
/// Unlike SQLite's single writer there is no write queue: each write is its own transaction on a pooled connection,
/// and the rows it must read unchanged are locked with <c>SELECT … FOR UPDATE</c>, which serialises writers to one
/// incident across replicas.
/// </remarks>
public sealed class PostgresDatabase : IStorageDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly IReadOnlyList<PostgresMigration> migrations;

    static PostgresDatabase() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public PostgresDatabase(string connectionString)
        : this(connectionString, PostgresMigrations.All)
    {
    }

    internal PostgresDatabase(string connectionString, IReadOnlyList<PostgresMigration> migrations)
    {
        Connection = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"{ServerOf(Connection)}/{Connection.Database}";
        dataSource = NpgsqlDataSource.Create(Connection);
        this.migrations = migrations;
    }

    /// <summary>Host and database, without credentials, for the log.</summary>
    public string Description { get; }

    /// <summary>The settings it connects with, to say which of them is at fault.</summary>
    internal NpgsqlConnectionStringBuilder Connection { get; }

    /// <summary>Host, and port unless it is PostgreSQL's own.</summary>
    internal static string ServerOf(NpgsqlConnectionStringBuilder connection) =>
        $"{connection.Host}{(connection.Port == NpgsqlConnection.DefaultPort ? "" : $":{connection.Port}")}";

    /// <summary>The key of the advisory lock called <paramref name="name"/> for this bot's data.</summary>
    /// <remarks>
    /// Advisory locks are shared by the whole database; the key includes the schema search path, so bots kept in
    /// different schemas of one database never hold each other's locks.
    /// </remarks>
    public long LockKey(string name) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"{Connection.SearchPath}\n{name}")));

    public int LatestVersion => migrations.Count == 0 ? 0 : migrations[^1].Version;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Runs <paramref name="write"/> in a transaction of its own and commits it; nothing is written if it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> write, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    string IStorageDatabase.SkipLockedRows => "FOR UPDATE SKIP LOCKED";

    async Task<DbConnection> IStorageDatabase.OpenAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    /// <remarks>Writers never wait on each other here, so <paramref name="lane"/> changes nothing.</remarks>
    Task<T> IStorageDatabase.WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, WriteLane lane, CancellationToken cancellationToken) =>
        WriteAsync<T>((connection, transaction) => write(connection, transaction), cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <summary>Applies the steps not yet applied, each in a transaction with the version it brings.</summary>
    /// <returns>The schema version before and after.</returns>
    public async Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"""
            SELECT pg_advisory_xact_lock({LockKey("migrations")});
            CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);
            INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);
            """, cancellationToken);
        var from = await GetVersionAsync(connection, transaction, cancellationToken);
        if (from > LatestVersion)
        {
            throw new NewerSchemaException(Description, from, LatestVersion);
        }

        foreach (var migration in migrations.Where(m => m.Version > from))
        {
            // A savepoint per step: a failing step leaves the steps before it committed, as on SQLite.
            await transaction.SaveAsync("step", cancellationToken);
            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql + $"\nUPDATE schema_version SET version = {migration.Version};", cancellationToken);
            }
            catch
            {
                await transaction.RollbackAsync("step", CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                throw;
            }

            await transaction.ReleaseAsync("step", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (from, LatestVersion);
    }

    public static async Task<int> GetVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_version;", connection, transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
