using System.Data.Common;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using IncidentBot.Incidents;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>One SQLite file: opens pooled connections and brings the schema up to date.</summary>
/// <remarks>
/// Writes go through one writer loop (see <see cref="WriteAsync{T}"/>), started by the first write and ended by
/// <see cref="DisposeAsync"/>, which the host calls when it stops: writes already queued are committed first.
/// </remarks>
public sealed partial class SqliteDatabase : IStorageDatabase, IAsyncDisposable
{
    private const int MaxWritesPerTransaction = 256;

    // While someone waits for a write (a Slack ack, a command), background writes join each transaction only this
    // many at a time, so a backlog of channel messages adds at most a millisecond or two to an acknowledgement.
    private const int MaxBackgroundWritesBesideWaiting = 32;
    private const string SavepointSql = "SAVEPOINT write;";
    private const string ReleaseSql = "RELEASE write;";
    private const string RollbackToSql = "ROLLBACK TO write;";

    // Copying the WAL into the file (a checkpoint: page copies and two fsyncs) is done by a connection of its own, a
    // tenth of a second after writes, so it no longer holds up the writer: in the writer's commit, every 1,000 pages by
    // SQLite's default, it stalled every acknowledgement queued behind it. The writer still checkpoints once the WAL
    // has this many pages (64 MB): under sustained writes the WAL can only start over after a checkpoint that caught
    // up with the last commit, and by then there is little left to copy.
    private const int WriterCheckpointPages = 16_000;
    private static readonly TimeSpan CheckpointAfter = TimeSpan.FromMilliseconds(100);

    // SQLite has one writer at a time; queueing writes here is cheaper than letting them spin on a busy file.
    private readonly Channel<IWriteJob> writes = Channel.CreateUnbounded<IWriteJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string connectionString;
    private readonly IReadOnlyList<SqliteMigration> migrations;
    private readonly IReadOnlyList<string> beforeEveryCommit;
    private readonly IReadOnlyList<string> beforeSearch;
    private readonly Lazy<Task> writer;
    private readonly CancellationTokenSource stopCheckpoints = new();
    private int committedSinceCheckpoint;

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
        beforeEveryCommit = [.. migrations.Select(migration => migration.BeforeEveryCommit).OfType<string>()];
        beforeSearch = [.. migrations.Select(migration => migration.BeforeSearch).OfType<string>()];
        writer = new Lazy<Task>(() => Task.Run(RunWritesAsync));
    }

    /// <returns>Null when SQLite can read <paramref name="connectionString"/>; otherwise what is wrong and how it is written.</returns>
    public static string? FindConnectionStringProblem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        if (!connectionString.Contains('='))
        {
            return $"Storage:ConnectionString '{connectionString.Trim()}' is not a connection string: write 'Data Source={connectionString.Trim()}'.";
        }

        try
        {
            _ = new SqliteConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            var keyword = UnknownKeyword().Match(e.Message) is { Success: true } match ? match.Groups["keyword"].Value : null;
            var known = new SqliteConnectionStringBuilder().Keys.Cast<string>();
            return keyword is null
                ? "Storage:ConnectionString is not a SQLite connection string: write 'Data Source=<file>', e.g. 'Data Source=/var/lib/incidentbot/incidentbot.db'."
                : $"Storage:ConnectionString has '{keyword}', which SQLite does not know" +
                  (Spelling.Closest(keyword, known) is { } meant ? $": did you mean '{meant}'?" : "") +
                  " Write 'Data Source=<file>', e.g. 'Data Source=/var/lib/incidentbot/incidentbot.db'.";
        }
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
    /// Runs <paramref name="write"/> in a write transaction (<c>BEGIN IMMEDIATE</c>: the write lock is taken up
    /// front, so what it reads cannot change before it commits, in this process or another on the same file).
    /// </summary>
    /// <remarks>
    /// Writes that arrive together share one transaction (group commit): a single writer runs them one after
    /// another, each inside its own savepoint, and commits once. A write that throws is rolled back to its
    /// savepoint alone and its caller gets the exception; the others commit. Every caller is answered only
    /// after the commit, so a completed write is stored.
    /// </remarks>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken = default) =>
        WriteAsync(write, WriteLane.Waiting, cancellationToken);

    /// <param name="lane">
    /// <see cref="WriteLane.Background"/> for writes nobody is waiting on (work after Slack's ack, progress records):
    /// they go after the waiting ones, a few at a time while those keep coming.
    /// </param>
    public Task<T> WriteAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> write, WriteLane lane, CancellationToken cancellationToken = default)
    {
        var job = new WriteJob<T>(write, lane, cancellationToken);
        if (!writes.Writer.TryWrite(job))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        _ = writer.Value;
        return job.Result;
    }

    string IStorageDatabase.SkipLockedRows => "";

    async Task<DbConnection> IStorageDatabase.OpenAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    Task<T> IStorageDatabase.WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, WriteLane lane, CancellationToken cancellationToken) =>
        WriteAsync<T>((connection, transaction) => write(connection, transaction), lane, cancellationToken);

    /// <summary>Takes no more writes, and returns once those already queued are committed.</summary>
    public async ValueTask DisposeAsync()
    {
        writes.Writer.TryComplete();
        await writer.Value;
        stopCheckpoints.Dispose();
    }

    private async Task RunWritesAsync()
    {
        var batch = new List<IWriteJob>(MaxWritesPerTransaction);
        var waiting = new Queue<IWriteJob>();
        var background = new Queue<IWriteJob>();
        SqliteConnection? connection = null;
        var checkpoints = RunCheckpointsAsync(stopCheckpoints.Token);
        try
        {
            while (waiting.Count + background.Count > 0 || await writes.Reader.WaitToReadAsync())
            {
                while (writes.Reader.TryRead(out var job))
                {
                    (job.Lane == WriteLane.Waiting ? waiting : background).Enqueue(job);
                }

                TakeBatch(batch, waiting, background);

                // One connection for as long as it works, so its prepared statements are reused.
                connection ??= await OpenWriterAsync();
                if (!await CommitTogetherAsync(connection, batch))
                {
                    await CloseAsync(connection);
                    connection = null;
                }

                batch.Clear();
            }
        }
        finally
        {
            if (connection is not null)
            {
                await CloseAsync(connection);
            }

            await stopCheckpoints.CancelAsync();
            await checkpoints;
        }
    }

    private async Task<SqliteConnection> OpenWriterAsync()
    {
        var connection = await OpenAsync();
        await ExecuteAsync(connection, $"PRAGMA wal_autocheckpoint = {WriterCheckpointPages};", CancellationToken.None);
        return connection;
    }

    private async Task RunCheckpointsAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(CheckpointAfter);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (Interlocked.Exchange(ref committedSinceCheckpoint, 0) == 1)
                {
                    await CheckpointAsync(stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The database is closing; the writer's own checkpoints and SQLite's at close cover the rest.
        }
    }

    /// <summary>PASSIVE: copies what no reader still needs and never waits for the writer or for readers.</summary>
    private async Task CheckpointAsync(CancellationToken stop)
    {
        try
        {
            await using var connection = await OpenAsync(stop);
            await ExecuteAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);", stop);
        }
        catch (SqliteException)
        {
            // Tried again after the next write; the writer checkpoints by itself before the WAL grows too long.
        }
    }

    private static void TakeBatch(List<IWriteJob> batch, Queue<IWriteJob> waiting, Queue<IWriteJob> background)
    {
        while (batch.Count < MaxWritesPerTransaction && waiting.TryDequeue(out var job))
        {
            batch.Add(job);
        }

        var room = batch.Count == 0 ? MaxWritesPerTransaction : MaxBackgroundWritesBesideWaiting;
        for (var taken = 0; taken < room && background.TryDequeue(out var job); taken++)
        {
            batch.Add(job);
        }
    }

    private static async Task CloseAsync(SqliteConnection connection)
    {
        SqliteStatements.Forget(connection);
        await connection.DisposeAsync();
    }

    /// <returns>False when the transaction itself failed, and the connection is best replaced.</returns>
    private async Task<bool> CommitTogetherAsync(SqliteConnection connection, List<IWriteJob> batch)
    {
        var done = new List<IWriteJob>(batch.Count);
        try
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var job in batch)
            {
                if (await RunInSavepointAsync(job, connection, transaction))
                {
                    done.Add(job);
                }
            }

            await BeforeCommitAsync(connection, transaction);
            await transaction.CommitAsync();
            Volatile.Write(ref committedSinceCheckpoint, 1);
            done.ForEach(job => job.Complete());
            return true;
        }
        catch (Exception exception)
        {
            // The transaction itself failed (the file is locked for too long, the disk is full…): nothing of it is stored.
            foreach (var job in batch.Except(done).Concat(done))
            {
                job.Fail(exception);
            }

            return false;
        }
    }

    /// <summary>
    /// What every write transaction runs last (the schema's <see cref="SqliteMigration.BeforeEveryCommit"/>: indexing
    /// for search the timeline entries added since the last batch, once there are enough of them). A program that writes
    /// the file on its own connection calls it too.
    /// </summary>
    public async Task BeforeCommitAsync(SqliteConnection connection, SqliteTransaction transaction)
    {
        foreach (var sql in beforeEveryCommit)
        {
            await connection.Statement(sql, transaction).ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Writes what a search needs first (the schema's <see cref="SqliteMigration.BeforeSearch"/>: indexing the timeline
    /// entries not yet indexed), so it finds every committed entry.
    /// </summary>
    public Task BeforeSearchAsync(CancellationToken cancellationToken = default) =>
        beforeSearch.Count == 0
            ? Task.CompletedTask
            : WriteAsync(async (connection, transaction) =>
            {
                foreach (var sql in beforeSearch)
                {
                    await connection.Statement(sql, transaction).ExecuteNonQueryAsync(cancellationToken);
                }

                return 0;
            }, cancellationToken);

    private static async Task<bool> RunInSavepointAsync(IWriteJob job, SqliteConnection connection, SqliteTransaction transaction)
    {
        if (job.IsCancelled)
        {
            job.Cancel();
            return false;
        }

        await connection.Statement(SavepointSql, transaction).ExecuteNonQueryAsync();
        try
        {
            await job.RunAsync(connection, transaction);
            await connection.Statement(ReleaseSql, transaction).ExecuteNonQueryAsync();
            return true;
        }
        catch (Exception exception) when (exception is not SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_FULL or SQLitePCL.raw.SQLITE_IOERR })
        {
            await connection.Statement(RollbackToSql, transaction).ExecuteNonQueryAsync();
            await connection.Statement(ReleaseSql, transaction).ExecuteNonQueryAsync();
            job.Fail(exception);
            return false;
        }
    }

    private interface IWriteJob
    {
        WriteLane Lane { get; }

        bool IsCancelled { get; }

        Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        void Complete();

        void Fail(Exception exception);

        void Cancel();
    }

    private sealed class WriteJob<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, WriteLane lane, CancellationToken cancellationToken)
        : IWriteJob
    {
        public WriteLane Lane => lane;

        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? result;

        public Task<T> Result => completion.Task;

        public bool IsCancelled => cancellationToken.IsCancellationRequested;

        public async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) => result = await write(connection, transaction);

        public void Complete() => completion.TrySetResult(result!);

        public void Fail(Exception exception) => completion.TrySetException(exception);

        public void Cancel() => completion.TrySetCanceled(cancellationToken);
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
            throw new NewerSchemaException(DataSource, from, LatestVersion);
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

    // Microsoft.Data.Sqlite: "Connection string keyword 'data sorce' is not supported." (older: "Keyword not supported: 'x'.")
    [GeneratedRegex(@"[Kk]eyword (not supported: )?'(?<keyword>[^']+)'")]
    private static partial Regex UnknownKeyword();

    private static bool IsInMemory(string dataSource) =>
        dataSource.Length == 0 || dataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase);
}
