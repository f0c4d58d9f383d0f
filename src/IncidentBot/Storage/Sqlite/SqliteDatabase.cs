using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>One SQLite file: opens pooled connections and brings the schema up to date.</summary>
public sealed class SqliteDatabase
{
    // SQLite has one writer at a time; queueing writers here is cheaper than letting them spin on a busy file.
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly string connectionString;
    private readonly IReadOnlyList<SqliteMigration> migrations;

    public SqliteDatabase(string? connectionString)
        : this(connectionString, SqliteMigrations.All)
    {
    }

    internal SqliteDatabase(string? connectionString, IReadOnlyList<SqliteMigration> migrations)
    {
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(connectionString) ? StorageOptions.DefaultSqliteConnectionString : connectionString)
        {
            ForeignKeys = true,
            Pooling = true,
        };
        if (builder.Mode is SqliteOpenMode.ReadWriteCreate && !IsInMemory(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource);
        }

        DataSource = builder.DataSource;
        this.connectionString = builder.ToString();
        this.migrations = migrations;
    }

    /// <summary>The full path of the file.</summary>
    public string DataSource { get; }

    public int LatestVersion => migrations.Count == 0 ? 0 : migrations[^1].Version;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // In WAL mode, NORMAL commits without waiting for the disk (an fsync takes milliseconds here):
        // a committed transaction survives the process being killed, and the file is never corrupted;
        // only a power cut or an OS crash can lose the last transactions (see docs/performance.md).
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction that takes the write lock up front (<c>BEGIN IMMEDIATE</c>),
    /// so what it reads cannot change before it commits, in this process or another one on the same file.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken = default)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Creates the file and its folder if missing, turns on WAL and applies the steps not yet applied.</summary>
    /// <returns>The schema version before and after.</returns>
    public async Task<(int From, int To)> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(DataSource);
        if (!string.IsNullOrEmpty(folder) && !IsInMemory(DataSource))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        var from = await GetVersionAsync(connection, cancellationToken);
        if (from > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database {DataSource} has schema version {from}, written by a newer IncidentBot; this one knows versions up to {LatestVersion}.");
        }

        foreach (var migration in migrations.Where(m => m.Version > from))
        {
            await using var transaction = connection.BeginTransaction();
            await ExecuteAsync(connection, migration.Sql + $"\nPRAGMA user_version = {migration.Version};", cancellationToken, transaction);
            transaction.Commit();
        }

        return (from, LatestVersion);
    }

    public static async Task<int> GetVersionAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool IsInMemory(string dataSource) =>
        dataSource.Length == 0 || dataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase);
}
