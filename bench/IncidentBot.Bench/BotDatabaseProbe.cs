using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Bench;

/// <summary>Where the backlog stands: work acknowledged but not yet run, and the messages already in the timeline.</summary>
public sealed record BacklogReading(long PendingWork, long TimelineMessages);

/// <summary>
/// Reads the bot's SQLite file read-only while it runs (WAL lets a reader in beside the writer) to see the
/// durable work queue empty and the messages land in the timeline. Knows two table names of the schema.
/// </summary>
public sealed class BotDatabaseProbe(string databasePath, string channelId) : IAsyncDisposable
{
    private SqliteConnection? connection;

    public async Task<BacklogReading> ReadAsync(CancellationToken cancellationToken)
    {
        connection ??= await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM slack_work_items),
                   (SELECT COUNT(*) FROM timeline_entries
                    WHERE slack_channel_id = $channel AND slack_ts IS NOT NULL AND kind = 'message');
            """;
        command.Parameters.AddWithValue("$channel", channelId);
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

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var opened = new SqliteConnection(builder.ToString());
        await opened.OpenAsync(cancellationToken);
        return opened;
    }
}
