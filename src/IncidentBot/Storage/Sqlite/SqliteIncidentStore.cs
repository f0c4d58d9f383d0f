using System.Buffers;
using System.Data;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using IncidentBot.Incidents;
using Microsoft.Data.Sqlite;
using static IncidentBot.Storage.Sqlite.SqliteIncidentQueries;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// The store on one SQLite file. Each change reads the incident inside a write transaction
/// (<see cref="SqliteDatabase.WriteAsync{T}"/>), so two writers to one incident are serialised by the
/// database, across processes too.
/// </summary>
public sealed class SqliteIncidentStore(SqliteDatabase database) : IIncidentStore
{
    private const string InsertEntrySql = """
        INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
            slack_thread_ts, permalink, is_bot)
        VALUES (@IncidentNumber, @Kind, @OccurredAt, @ActorId, @Text, @Data, @SlackChannelId, @SlackTs,
            @SlackThreadTs, @Permalink, @IsBot)
        """;

    static SqliteIncidentStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public Task<Incident> CreateAsync(IncidentChange declaration, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) => InsertAsync(connection, transaction, declaration, cancellationToken), cancellationToken);

    /// <summary>Inserts the declared incident with the number it carries, or the next one when it carries 0.</summary>
    private static async Task<Incident> InsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, IncidentChange declaration, CancellationToken cancellationToken)
    {
        // NULL numbers the row from the AUTOINCREMENT sequence, which a given number moves past.
        var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO incidents (number, title, severity, status, commander_id, environment, customer_impact, description,
                declared_by, mitigation_summary, resolution_summary, channel_id, channel_name, declared_at, stable_at,
                resolved_at, updated_at, impact_started_at, version, is_private)
            VALUES (NULLIF(@Number, 0), @Title, @Severity, @Status, @CommanderId, @Environment, @CustomerImpact, @Description,
                @DeclaredBy, @MitigationSummary, @ResolutionSummary, @ChannelId, @ChannelName, @DeclaredAt, @StableAt,
                @ResolvedAt, @UpdatedAt, @ImpactStartedAt, @Version, @IsPrivate)
            RETURNING number;
            """, IncidentRow.From(declaration.Incident), transaction, cancellationToken: cancellationToken));
        var created = declaration.Incident with { Number = number };
        await ReplaceServicesAsync(connection, transaction, created, cancellationToken);
        await ReplaceLinksAsync(connection, transaction, created, cancellationToken);
        await IncidentRoleAndFollowUpRows.SaveAsync(connection, transaction, null, created, cancellationToken);
        await InsertEntriesAsync(connection, transaction, number, declaration.Entries, cancellationToken);
        return created;
    }

    public Task<IncidentUpdate> UpdateAsync(long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) => UpdateAsync(connection, transaction, number, change, cancellationToken), cancellationToken);

    private static async Task<IncidentUpdate> UpdateAsync(
        SqliteConnection connection, SqliteTransaction transaction, long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken)
    {
        var current = await LoadOneAsync(connection, transaction, number, cancellationToken) ?? throw new IncidentNotFoundException(number);
        return await CommitAsync(connection, transaction, current, change(current), cancellationToken);
    }

    /// <remarks>
    /// No lock to take: a write transaction here is <c>BEGIN IMMEDIATE</c>, which excludes every other writer of the file,
    /// in any process, and the writes of this process sharing it run one after another.
    /// </remarks>
    public Task<T> WriteLockedAsync<T>(
        IReadOnlyCollection<string> lockNames, Func<IIncidentTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) => work(new IncidentTransaction(
            (filter, token) => SqliteIncidentQueries.FindAsync(connection, transaction, filter, token),
            (declaration, token) => InsertAsync(connection, transaction, declaration, token),
            (number, change, token) => UpdateAsync(connection, transaction, number, change, token))), cancellationToken);

    /// <summary>Writes the proposed state with the next version and its entries; a change without entries writes nothing.</summary>
    private static async Task<IncidentUpdate> CommitAsync(
        SqliteConnection connection, SqliteTransaction transaction, Incident current, IncidentChange proposed, CancellationToken cancellationToken)
    {
        if (proposed.Entries.Count == 0)
        {
            return new IncidentUpdate(current, current, []);
        }

        var latest = proposed.Entries.Max(entry => entry.OccurredAt);
        var next = proposed.Incident with
        {
            Number = current.Number,
            Version = current.Version + 1,
            UpdatedAt = latest > current.UpdatedAt ? latest : current.UpdatedAt,
        };
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE incidents SET title = @Title, severity = @Severity, status = @Status, commander_id = @CommanderId,
                environment = @Environment, customer_impact = @CustomerImpact, description = @Description,
                declared_by = @DeclaredBy, mitigation_summary = @MitigationSummary, resolution_summary = @ResolutionSummary,
                channel_id = @ChannelId, channel_name = @ChannelName, declared_at = @DeclaredAt, stable_at = @StableAt,
                resolved_at = @ResolvedAt, updated_at = @UpdatedAt, impact_started_at = @ImpactStartedAt, version = @Version
            WHERE number = @Number;
            """, IncidentRow.From(next), transaction, cancellationToken: cancellationToken));
        if (!current.Services.SequenceEqual(next.Services))
        {
            await ReplaceServicesAsync(connection, transaction, next, cancellationToken);
        }

        if (!current.Links.SequenceEqual(next.Links))
        {
            await ReplaceLinksAsync(connection, transaction, next, cancellationToken);
        }

        await IncidentRoleAndFollowUpRows.SaveAsync(connection, transaction, current, next, cancellationToken);

        var entries = await InsertEntriesAsync(connection, transaction, current.Number, proposed.Entries, cancellationToken);
        return new IncidentUpdate(current, next, entries);
    }

    public Task<Incident> SetChannelAsync(long number, string channelId, string channelName, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE incidents SET channel_id = @ChannelId, channel_name = @ChannelName WHERE number = @Number;",
                new { Number = number, ChannelId = channelId, ChannelName = channelName }, transaction, cancellationToken: cancellationToken));
            return await LoadOneAsync(connection, transaction, number, cancellationToken) ?? throw new IncidentNotFoundException(number);
        }, cancellationToken);

    // A run of messages in one statement, its rows in one JSON array of arrays built before the write: the writer,
    // which every acknowledgement waits on, then runs one statement for the run instead of binding and mapping each row.
    private const string AddMessagesSql = """
        INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
            slack_thread_ts, permalink, is_bot)
        SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
            value ->> 8, value ->> 9, value ->> 10
        FROM json_each(@Rows) WHERE true
        ON CONFLICT (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL DO NOTHING
        RETURNING id, slack_channel_id, slack_ts;
        """;

    public Task<IReadOnlyList<TimelineEntry?>> AddMessagesAsync(
        IReadOnlyList<(long Number, NewTimelineEntry Message)> messages, CancellationToken cancellationToken = default)
    {
        var rows = messages.Select(m => SlackRow(m.Number, m.Message)).ToList();
        var json = TimelineRowsJson(rows);
        return database.WriteAsync<IReadOnlyList<TimelineEntry?>>(async (connection, transaction) =>
        {
            var inserted = new List<(long, string, string)>(rows.Count);
            await using var reader = await connection.Statement(AddMessagesSql, transaction).With("@Rows", json).ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            }

            return TimelineRow.StoredInOrder(rows, inserted);
        }, WriteLane.Background, cancellationToken);
    }

    private static string TimelineRowsJson(IReadOnlyList<TimelineRow> rows)
    {
        var buffer = new ArrayBufferWriter<byte>(rows.Count * 256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartArray();
                json.WriteNumberValue(row.IncidentNumber);
                json.WriteStringValue(row.Kind);
                json.WriteNumberValue(row.OccurredAt);
                WriteStringOrNull(json, row.ActorId);
                json.WriteStringValue(row.Text);
                WriteStringOrNull(json, row.Data);
                WriteStringOrNull(json, row.SlackChannelId);
                WriteStringOrNull(json, row.SlackTs);
                WriteStringOrNull(json, row.SlackThreadTs);
                WriteStringOrNull(json, row.Permalink);
                json.WriteNumberValue(row.IsBot ? 1 : 0);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }

    public Task<TimelineEntry?> EditMessageAsync(long number, NewTimelineEntry editedMessage, DateTimeOffset editedAt, CancellationToken cancellationToken = default)
    {
        var row = SlackRow(number, editedMessage);
        row.EditedAt = UnixMs.From(editedAt);
        return WriteEntryAsync($"""
            INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
                slack_thread_ts, permalink, is_bot, edited_at)
            VALUES (@IncidentNumber, @Kind, @OccurredAt, @ActorId, @Text, @Data, @SlackChannelId, @SlackTs,
                @SlackThreadTs, @Permalink, @IsBot, @EditedAt)
            ON CONFLICT (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL DO UPDATE
                SET text = excluded.text, edited_at = excluded.edited_at
                WHERE deleted_at IS NULL AND (edited_at IS NULL OR edited_at < excluded.edited_at)
            RETURNING {TimelineColumns};
            """, row, cancellationToken);
    }

    public Task<TimelineEntry?> DeleteMessageAsync(
        long number, SlackMessageSource message, DateTimeOffset sentAt, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
    {
        var tombstone = new NewTimelineEntry(TimelineEntryKind.Message, sentAt, null, "", Slack: message);
        var row = SlackRow(number, tombstone);
        row.DeletedAt = UnixMs.From(deletedAt);
        return WriteEntryAsync($"""
            INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
                slack_thread_ts, permalink, is_bot, deleted_at)
            VALUES (@IncidentNumber, @Kind, @OccurredAt, @ActorId, @Text, @Data, @SlackChannelId, @SlackTs,
                @SlackThreadTs, @Permalink, @IsBot, @DeletedAt)
            ON CONFLICT (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL DO UPDATE
                SET deleted_at = excluded.deleted_at WHERE deleted_at IS NULL
            RETURNING {TimelineColumns};
            """, row, cancellationToken);
    }

    private const string ImportMessageSql = """
        INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
            slack_thread_ts, permalink, is_bot, edited_at)
        VALUES (@IncidentNumber, @Kind, @OccurredAt, @ActorId, @Text, @Data, @SlackChannelId, @SlackTs,
            @SlackThreadTs, @Permalink, @IsBot, @EditedAt)
        ON CONFLICT (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL DO NOTHING;
        """;

    public Task<IncidentImportResult> ImportAsync(IncidentImport import, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            var existing = await IncidentImportQueries.FindChannelIncidentAsync(connection, transaction, import.ChannelId, cancellationToken);
            var incident = existing is { } number
                ? await LoadOneAsync(connection, transaction, number, cancellationToken) ?? throw new IncidentNotFoundException(number)
                : await InsertAsync(connection, transaction, await IncidentImportQueries.DeclarationAsync(connection, transaction, import, cancellationToken), cancellationToken);
            var added = 0;
            foreach (var message in import.Messages)
            {
                var row = SlackRow(incident.Number, message.Entry);
                row.EditedAt = UnixMs.From(message.EditedAt);
                added += await EntryStatement(connection, transaction, ImportMessageSql, row).ExecuteNonQueryAsync(cancellationToken);
            }

            if (existing is null)
            {
                await InsertEntriesAsync(connection, transaction, incident.Number, IncidentImportQueries.AfterMessages(import), cancellationToken);
            }

            return new IncidentImportResult(incident, existing is null, added, import.Number);
        }, cancellationToken);

    public Task<(PostmortemDraft Draft, IncidentUpdate Update)> AddPostmortemDraftAsync(
        long number, string markdown, string? createdBy, DateTimeOffset createdAt, Func<PostmortemDraft, NewTimelineEntry> entry,
        CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            var current = await LoadOneAsync(connection, transaction, number, cancellationToken) ?? throw new IncidentNotFoundException(number);
            // Inside the write transaction, so two drafts written at once get different versions.
            var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
                INSERT INTO postmortem_drafts (incident_number, version, markdown, created_at, created_by)
                VALUES (@Number, (SELECT COALESCE(MAX(version), 0) + 1 FROM postmortem_drafts WHERE incident_number = @Number),
                    @Markdown, @CreatedAt, @CreatedBy)
                RETURNING version;
                """,
                new { Number = number, Markdown = markdown, CreatedAt = UnixMs.From(createdAt), CreatedBy = createdBy },
                transaction,
                cancellationToken: cancellationToken));
            var draft = new PostmortemDraft(number, version, markdown, UnixMs.To(UnixMs.From(createdAt)), createdBy);
            var update = await CommitAsync(connection, transaction, current, new IncidentChange(current, [entry(draft)]), cancellationToken);
            return (draft, update);
        }, cancellationToken);

    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken) =>
        database.WriteAsync(write, cancellationToken);

    private Task<TimelineEntry?> WriteEntryAsync(string sql, TimelineRow row, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => RunEntryStatementAsync(connection, transaction, sql, row, cancellationToken),
            WriteLane.Background,
            cancellationToken);

    /// <summary>Writes one Slack message's row on a prepared statement: the hot path of a busy channel.</summary>
    private static async Task<TimelineEntry?> RunEntryStatementAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, TimelineRow row, CancellationToken cancellationToken)
    {
        await using var reader = await EntryStatement(connection, transaction, sql, row).ExecuteReaderAsync(cancellationToken);
        return reader.Parse<TimelineRow>().FirstOrDefault()?.ToEntry();
    }

    private static SqliteCommand EntryStatement(SqliteConnection connection, SqliteTransaction transaction, string sql, TimelineRow row) =>
        connection.Statement(sql, transaction)
            .With("@IncidentNumber", row.IncidentNumber).With("@Kind", row.Kind).With("@OccurredAt", row.OccurredAt)
            .With("@ActorId", row.ActorId).With("@Text", row.Text).With("@Data", row.Data)
            .With("@SlackChannelId", row.SlackChannelId).With("@SlackTs", row.SlackTs).With("@SlackThreadTs", row.SlackThreadTs)
            .With("@Permalink", row.Permalink).With("@IsBot", row.IsBot).With("@EditedAt", row.EditedAt).With("@DeletedAt", row.DeletedAt);

    private static async Task ReplaceServicesAsync(SqliteConnection connection, IDbTransaction transaction, Incident incident, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM incident_services WHERE incident_number = @Number;", new { incident.Number }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO incident_services (incident_number, service, position) VALUES (@Number, @Service, @Position);",
            incident.Services.Select((service, position) => new { incident.Number, Service = service, Position = position }),
            transaction,
            cancellationToken: cancellationToken));
    }

    private static async Task ReplaceLinksAsync(SqliteConnection connection, IDbTransaction transaction, Incident incident, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM incident_links WHERE incident_number = @Number;", new { incident.Number }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO incident_links (incident_number, type, target, linked_at, linked_by, url, alert_title, alert_status,
                alert_started_at, alert_ended_at)
            VALUES (@IncidentNumber, @Type, @Target, @LinkedAt, @LinkedBy, @Url, @AlertTitle, @AlertStatus, @AlertStartedAt, @AlertEndedAt);
            """,
            incident.Links.Select(link => LinkRow.From(incident.Number, link)),
            transaction,
            cancellationToken: cancellationToken));
    }

    private static async Task<IReadOnlyList<TimelineEntry>> InsertEntriesAsync(
        SqliteConnection connection, IDbTransaction transaction, long number, IReadOnlyList<NewTimelineEntry> entries, CancellationToken cancellationToken)
    {
        var stored = new List<TimelineEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var row = TimelineRow.From(number, entry);
            row.Id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                InsertEntrySql + " RETURNING id;", row, transaction, cancellationToken: cancellationToken));
            stored.Add(row.ToEntry());
        }

        return stored;
    }

    private static TimelineRow SlackRow(long number, NewTimelineEntry message) =>
        message.Slack is null
            ? throw new ArgumentException("A Slack message needs its channel and ts.", nameof(message))
            : TimelineRow.From(number, message);
}
