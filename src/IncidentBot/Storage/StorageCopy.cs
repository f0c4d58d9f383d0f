using System.Runtime.InteropServices;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace IncidentBot.Storage;

/// <summary>
/// Copies everything an SQLite file holds into an empty PostgreSQL database, in one transaction: the incidents with
/// their numbers, timelines, drafts, embeddings, the Slack channel progress and the inbox's pending work. The counts
/// of every table are checked before the commit; the search vectors and the sequences are brought up to date.
/// </summary>
public sealed class StorageCopy(SqliteDatabase source, PostgresDatabase target, TextWriter progress)
{
    private const int ProgressWidth = 30;

    // In the order the foreign keys need. Both schemas name their columns alike; the search columns are PostgreSQL's own.
    private static readonly CopiedTable[] Tables =
    [
        new("incidents", "number:bigint title severity:int status commander_id environment customer_impact description declared_by "
            + "mitigation_summary resolution_summary channel_id channel_name declared_at:bigint stable_at:bigint resolved_at:bigint "
            + "updated_at:bigint impact_started_at:bigint version:bigint is_private:bool"),
        new("incident_services", "incident_number:bigint service position:int"),
        new("incident_links", "incident_number:bigint type target linked_at:bigint linked_by url alert_title alert_status "
            + "alert_started_at:bigint alert_ended_at:bigint"),
        new("timeline_entries", "id:bigint incident_number:bigint kind occurred_at:bigint actor_id text data slack_channel_id slack_ts "
            + "slack_thread_ts permalink is_bot:bool edited_at:bigint deleted_at:bigint"),
        new("postmortem_drafts", "incident_number:bigint version:int markdown created_at:bigint created_by"),
        new("incident_embeddings", "incident_number:bigint model text_hash vector:vector created_at:bigint"),
        new("incident_slack_sync", "incident_number:bigint card_ts card_version:bigint topic lines_through_entry_id:bigint "
            + "announced_through_entry_id:bigint attempts:int next_attempt_at:bigint last_error"),
        new("slack_work_items", "id:bigint kind payload retry_num:int retry_reason enqueued_at:bigint any_order:bool"),
        new("slack_event_claims", "event_id claimed_at:bigint"),
        new("incident_reminders", "incident_number:bigint reminded_at:bigint snoozed_until:bigint"),
        new("incident_roles", "incident_number:bigint role user_id assigned_at:bigint assigned_by position:int"),
        new("incident_followups", "incident_number:bigint id:int text owner_id due_on status created_at:bigint created_by done_at:bigint"),
        new("followup_reminders", "owner_id reminded_at:bigint"),
        new("dora_outbox", "id:bigint incident_number:bigint event occurred_at:bigint attempts:int next_attempt_at:bigint delivered_at:bigint "
            + "failed_at:bigint last_error"),
    ];

    private static readonly string[] Sequences = ["incidents.number", "timeline_entries.id", "slack_work_items.id", "dora_outbox.id"];

    /// <returns>The rows copied, by table.</returns>
    /// <exception cref="InvalidOperationException">The target is not empty, or a count differs after the copy.</exception>
    public async Task<IReadOnlyDictionary<string, long>> RunAsync(CancellationToken cancellationToken = default)
    {
        await source.MigrateAsync(cancellationToken);
        await target.MigrateAsync(cancellationToken);
        await using var sqlite = await source.OpenAsync(cancellationToken);
        await using var postgres = await target.OpenAsync(cancellationToken);
        await using var transaction = await postgres.BeginTransactionAsync(cancellationToken);
        foreach (var table in Tables)
        {
            if (await CountAsync(postgres, table.Name, cancellationToken) > 0)
            {
                throw new InvalidOperationException($"The database {target.Description} is not empty ({table.Name} has rows); copy into an empty one.");
            }
        }

        // The events are copied with how their delivery stands; the trigger would record every copied incident anew.
        await ExecuteAsync(postgres, "ALTER TABLE incidents DISABLE TRIGGER dora_outbox_record;", cancellationToken);
        var copied = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            var expected = await CountAsync(sqlite, table.Name, cancellationToken);
            await CopyAsync(sqlite, postgres, table, expected, cancellationToken);
            var stored = await CountAsync(postgres, table.Name, cancellationToken);
            if (stored != expected)
            {
                throw new InvalidOperationException($"{table.Name}: {expected} rows in {source.DataSource} but {stored} copied; nothing was kept.");
            }

            copied[table.Name] = stored;
        }

        await ExecuteAsync(postgres, "ALTER TABLE incidents ENABLE TRIGGER dora_outbox_record;", cancellationToken);
        await ExecuteAsync(postgres, PostgresIncidentStore.IndexAllSql, cancellationToken);
        foreach (var sequence in Sequences)
        {
            var (table, column) = (sequence.Split('.')[0], sequence.Split('.')[1]);
            await ExecuteAsync(postgres,
                $"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {table};", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return copied;
    }

    private async Task CopyAsync(SqliteConnection sqlite, NpgsqlConnection postgres, CopiedTable table, long expected, CancellationToken cancellationToken)
    {
        await using var read = sqlite.CreateCommand();
        read.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(c => c.Name))} FROM {table.Name};";
        await using var rows = await read.ExecuteReaderAsync(cancellationToken);
        await using var write = await postgres.BeginBinaryImportAsync(
            $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        long done = 0;
        Report(table.Name, done, expected);
        while (await rows.ReadAsync(cancellationToken))
        {
            await write.StartRowAsync(cancellationToken);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                await WriteAsync(write, rows, i, table.Columns[i].Type, cancellationToken);
            }

            if (++done % 1000 == 0)
            {
                Report(table.Name, done, expected);
            }
        }

        await write.CompleteAsync(cancellationToken);
        Report(table.Name, done, expected);
        await progress.WriteLineAsync();
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter write, SqliteDataReader rows, int i, string type, CancellationToken cancellationToken)
    {
        if (rows.IsDBNull(i))
        {
            await write.WriteNullAsync(cancellationToken);
            return;
        }

        var written = type switch
        {
            "bigint" => write.WriteAsync(rows.GetInt64(i), NpgsqlDbType.Bigint, cancellationToken),
            "int" => write.WriteAsync(rows.GetInt32(i), NpgsqlDbType.Integer, cancellationToken),
            "bool" => write.WriteAsync(rows.GetInt64(i) != 0, NpgsqlDbType.Boolean, cancellationToken),
            "vector" => write.WriteAsync(
                MemoryMarshal.Cast<byte, float>((byte[])rows.GetValue(i)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Real, cancellationToken),
            _ => write.WriteAsync(rows.GetString(i), NpgsqlDbType.Text, cancellationToken),
        };
        await written;
    }

    /// <summary><c>\r  timeline_entries   [#######.......]  52%  5,200 / 10,000</c>, rewritten in place.</summary>
    private void Report(string table, long done, long expected)
    {
        var share = expected == 0 ? 1.0 : (double)done / expected;
        var bar = new string('#', (int)(share * ProgressWidth)).PadRight(ProgressWidth, '.');
        progress.Write($"\r  {table,-20} [{bar}] {(int)(share * 100),3}%  {done:N0} / {expected:N0}");
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table};";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record CopiedColumn(string Name, string Type);

    /// <param name="columns">Space-separated <c>name</c> or <c>name:type</c>; text when no type is given.</param>
    private sealed class CopiedTable(string name, string columns)
    {
        public string Name => name;

        public IReadOnlyList<CopiedColumn> Columns { get; } =
            [.. columns.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split(':') is [var n, var t] ? new CopiedColumn(n, t) : new CopiedColumn(c, "text"))];
    }
}
