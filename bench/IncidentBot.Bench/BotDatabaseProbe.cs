using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IncidentBot.Bench;

/// <summary>Where the backlog stands: work acknowledged but not yet run, and the messages already in the timeline.</summary>
public sealed record BacklogReading(long PendingWork, long TimelineMessages);

/// <summary>
/// Reads the bot's database while it runs (SQLite's file read-only: WAL lets a reader in beside the writer; or the
/// PostgreSQL database its replicas share) to see the durable work queue empty and the messages land in the timeline.
/// Knows two table names of the schema, the same on both providers.
/// </summary>
public sealed class BotDatabaseProbe(Func<CancellationToken, Task<DbConnection>> open, string channelId) : IAsyncDisposable
{
    private DbConnection? connection;

    public BotDatabaseProbe(string databasePath, string channelId)
        : this(cancellationToken => OpenSqliteAsync(databasePath, cancellationToken), channelId)
    {
    }

    public static BotDatabaseProbe Postgres(string connectionString, string channelId) =>
        new(async cancellationToken =>
        {
            var opened = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "incidentbot-bench-probe" }.ConnectionString);
            await opened.OpenAsync(cancellationToken);
            return opened;
        }, channelId);

    public async Task<BacklogReading> ReadAsync(CancellationToken cancellationToken)
    {
        connection ??= await open(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM slack_work_items),
                   (SELECT COUNT(*) FROM timeline_entries
                    WHERE slack_channel_id = @channel AND slack_ts IS NOT NULL AND kind = 'message');
            """;
        var channel = command.CreateParameter();
        channel.ParameterName = "@channel";
        channel.Value = channelId;
        command.Parameters.Add(channel);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new BacklogReading(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Polls until no work is pending and the timeline holds <paramref name="expectedMessages"/>; returns how
    /// long that took and the last reading (short of the target when the timeout came first).
    /// </summary>
    public async Task<(TimeSpan Elapsed, BacklogReading Last, bool Drained)> WaitForDrainAsync(
        long expectedMessages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var reading = await ReadAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (reading.PendingWork == 0 && reading.TimelineMessages >= expectedMessages)
            {
                return (elapsed, reading, true);
            }

            if (elapsed > timeout)
            {
                return (elapsed, reading, false);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private static async Task<DbConnection> OpenSqliteAsync(string databasePath, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var opened = new SqliteConnection(builder.ToString());
        await opened.OpenAsync(cancellationToken);
        return opened;
    }
}
