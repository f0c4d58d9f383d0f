using System.Data;
using Dapper;
using IncidentBot.Incidents;
using IncidentBot.Storage.Sqlite;
using Npgsql;
using static IncidentBot.Storage.Postgres.PostgresIncidentQueries;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// The store on PostgreSQL. Each change locks the incident's row (<c>FOR UPDATE</c>) and reads it inside its
/// transaction, so two writers to one incident are serialised by the database, across replicas too.
/// </summary>
public sealed class PostgresIncidentStore(PostgresDatabase database) : IIncidentStore
{
    private const string EntryColumns = """
        incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts, slack_thread_ts, permalink, is_bot
        """;

    private const string EntryValues = """
        @IncidentNumber, @Kind, @OccurredAt, @ActorId, @Text, @Data, @SlackChannelId, @SlackTs, @SlackThreadTs, @Permalink, @IsBot
        """;

    private const string OnSlackMessage = "ON CONFLICT (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL";

    // The incident's words, weighted: title (A), services (B), the free-text details (C). See PostgresIncidentSearch.
    internal const string IndexAllSql = """
        UPDATE incidents i SET search =
            setweight(to_tsvector('english', i.title), 'A')
            || setweight(to_tsvector('english', COALESCE(
                (SELECT string_agg(s.service, ' ' ORDER BY s.position) FROM incident_services s WHERE s.incident_number = i.number), '')), 'B')
            || setweight(to_tsvector('english', concat_ws(' ', i.description, i.customer_impact, i.mitigation_summary,
                i.resolution_summary, i.environment)), 'C')
        """;

    private const string IndexSql = IndexAllSql + " WHERE i.number = @Number;";

    public Task<Incident> CreateAsync(IncidentChange declaration, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, declaration, cancellationToken), cancellationToken);

    /// <summary>Inserts the declared incident with the number it carries, or the next one of the sequence when it carries 0.</summary>
    private static async Task<Incident> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IncidentChange declaration, CancellationToken cancellationToken)
    {
        var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO incidents (number, title, severity, status, commander_id, environment, customer_impact, description,
                declared_by, mitigation_summary, resolution_summary, channel_id, channel_name, declared_at, stable_at,
                resolved_at, updated_at, impact_started_at, version, is_private)
            VALUES (COALESCE(NULLIF(@Number, 0), nextval(pg_get_serial_sequence('incidents', 'number'))), @Title, @Severity, @Status,
                @CommanderId, @Environment, @CustomerImpact, @Description, @DeclaredBy, @MitigationSummary, @ResolutionSummary,
                @ChannelId, @ChannelName, @DeclaredAt, @StableAt, @ResolvedAt, @UpdatedAt, @ImpactStartedAt, @Version, @IsPrivate)
            RETURNING number;
            """, IncidentRow.From(declaration.Incident), transaction, cancellationToken: cancellationToken));
        if (declaration.Incident.Number != 0)
        {
            // A given number is not drawn from the sequence: move it past, so the next declaration does not draw it.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT setval(pg_get_serial_sequence('incidents', 'number'), (SELECT MAX(number) FROM incidents));",
                transaction: transaction, cancellationToken: cancellationToken));
        }

        var created = declaration.Incident with { Number = number };
        await ReplaceServicesAsync(connection, transaction, created, cancellationToken);
        await ReplaceLinksAsync(connection, transaction, created, cancellationToken);
        await IncidentRoleAndFollowUpRows.SaveAsync(connection, transaction, null, created, cancellationToken);
        await IndexAsync(connection, transaction, number, cancellationToken);
        await InsertEntriesAsync(connection, transaction, number, declaration.Entries, cancellationToken);
        return created;
    }

    public Task<IncidentUpdate> UpdateAsync(long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => UpdateAsync(connection, transaction, number, change, cancellationToken), cancellationToken);

    private static async Task<IncidentUpdate> UpdateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken)
    {
        var current = await LoadForUpdateAsync(connection, transaction, number, cancellationToken) ?? throw new IncidentNotFoundException(number);
        return await CommitAsync(connection, transaction, current, change(current), cancellationToken);
    }

    /// <remarks>
    /// Each name is a transaction-scoped advisory lock (<c>pg_advisory_xact_lock</c>), released by the commit. They are
    /// taken in one order, that of their keys, so two writes wanting some of the same locks never wait on each other in a
    /// circle.
    /// </remarks>
    public Task<T> WriteLockedAsync<T>(
        IReadOnlyCollection<string> lockNames, Func<IIncidentTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var key in lockNames.Select(name => database.LockKey("incident-lock " + name)).Distinct().Order())
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT pg_advisory_xact_lock(@Key);", new { Key = key }, transaction, cancellationToken: cancellationToken));
            }

            return await work(new IncidentTransaction(
            (filter, token) => PostgresIncidentQueries.FindAsync(connection, transaction, filter, token),
            (declaration, token) => InsertAsync(connection, transaction, declaration, token),
            (number, change, token) => UpdateAsync(connection, transaction, number, change, token)));
        }, cancellationToken);

    /// <summary>The same 64 bits for a name in every replica and every version of the program.</summary>
    /// <summary>Writes the proposed state with the next version and its entries; a change without entries writes nothing.</summary>
    private static async Task<IncidentUpdate> CommitAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Incident current, IncidentChange proposed, CancellationToken cancellationToken)
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

        if (!SameWords(current, next))
        {
            await IndexAsync(connection, transaction, next.Number, cancellationToken);
        }

        var entries = await InsertEntriesAsync(connection, transaction, current.Number, proposed.Entries, cancellationToken);
        return new IncidentUpdate(current, next, entries);
    }

    public Task<Incident> SetChannelAsync(long number, string channelId, string channelName, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE incidents SET channel_id = @ChannelId, channel_name = @ChannelName WHERE number = @Number;",
                new { Number = number, ChannelId = channelId, ChannelName = channelName }, transaction, cancellationToken: cancellationToken));
            return await LoadOneAsync(connection, transaction, number, cancellationToken) ?? throw new IncidentNotFoundException(number);
        }, cancellationToken);

    // A run of messages in one statement: a round trip a message made a burst's drain wait on each of them in turn.
    private const string AddMessagesSql = $"""
        INSERT INTO timeline_entries ({EntryColumns})
        SELECT * FROM unnest(@IncidentNumber::bigint[], @Kind::text[], @OccurredAt::bigint[], @ActorId::text[], @Text::text[],
            @Data::text[], @SlackChannelId::text[], @SlackTs::text[], @SlackThreadTs::text[], @Permalink::text[], @IsBot::boolean[])
        {OnSlackMessage} DO NOTHING
        RETURNING id, slack_channel_id, slack_ts;
        """;

    public Task<IReadOnlyList<TimelineEntry?>> AddMessagesAsync(
        IReadOnlyList<(long Number, NewTimelineEntry Message)> messages, CancellationToken cancellationToken = default)
    {
        var rows = messages.Select(m => SlackRow(m.Number, m.Message)).ToList();
        return database.WriteAsync<IReadOnlyList<TimelineEntry?>>(async (connection, transaction) =>
        {
            var inserted = await connection.QueryAsync<(long, string, string)>(new CommandDefinition(AddMessagesSql, new
            {
                IncidentNumber = rows.Select(r => r.IncidentNumber).ToArray(),
                Kind = rows.Select(r => r.Kind).ToArray(),
                OccurredAt = rows.Select(r => r.OccurredAt).ToArray(),
                ActorId = rows.Select(r => r.ActorId).ToArray(),
                Text = rows.Select(r => r.Text).ToArray(),
                Data = rows.Select(r => r.Data).ToArray(),
                SlackChannelId = rows.Select(r => r.SlackChannelId).ToArray(),
                SlackTs = rows.Select(r => r.SlackTs).ToArray(),
                SlackThreadTs = rows.Select(r => r.SlackThreadTs).ToArray(),
                Permalink = rows.Select(r => r.Permalink).ToArray(),
                IsBot = rows.Select(r => r.IsBot).ToArray(),
            }, transaction, cancellationToken: cancellationToken));
            return TimelineRow.StoredInOrder(rows, inserted);
        }, cancellationToken);
    }

    public Task<TimelineEntry?> EditMessageAsync(long number, NewTimelineEntry editedMessage, DateTimeOffset editedAt, CancellationToken cancellationToken = default)
    {
        var row = SlackRow(number, editedMessage);
        row.EditedAt = UnixMs.From(editedAt);
        return WriteEntryAsync($"""
            INSERT INTO timeline_entries AS e ({EntryColumns}, edited_at) VALUES ({EntryValues}, @EditedAt)
            {OnSlackMessage} DO UPDATE SET text = excluded.text, edited_at = excluded.edited_at
                WHERE e.deleted_at IS NULL AND (e.edited_at IS NULL OR e.edited_at < excluded.edited_at)
            RETURNING {TimelineColumns};
            """, row, cancellationToken);
    }

    public Task<TimelineEntry?> DeleteMessageAsync(
        long number, SlackMessageSource message, DateTimeOffset sentAt, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
    {
        var row = SlackRow(number, new NewTimelineEntry(TimelineEntryKind.Message, sentAt, null, "", Slack: message));
        row.DeletedAt = UnixMs.From(deletedAt);
        return WriteEntryAsync($"""
            INSERT INTO timeline_entries AS e ({EntryColumns}, deleted_at) VALUES ({EntryValues}, @DeletedAt)
            {OnSlackMessage} DO UPDATE SET deleted_at = excluded.deleted_at WHERE e.deleted_at IS NULL
            RETURNING {TimelineColumns};
            """, row, cancellationToken);
    }

    // One statement for all of an incident's messages: a round trip a message was most of an import's time.
    private const string ImportMessagesSql = $"""
        INSERT INTO timeline_entries ({EntryColumns}, edited_at)
        SELECT @number, * FROM unnest(@kind::text[], @occurred_at::bigint[], @actor_id::text[], @text::text[], @data::text[],
            @slack_channel_id::text[], @slack_ts::text[], @slack_thread_ts::text[], @permalink::text[], @is_bot::boolean[], @edited_at::bigint[])
        {OnSlackMessage} DO NOTHING;
        """;

    public Task<IncidentImportResult> ImportAsync(IncidentImport import, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // Two imports of one channel at once must not both create it: the channel's lock orders them.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@Key);", new { Key = database.LockKey("import " + import.ChannelId) }, transaction, cancellationToken: cancellationToken));
            var existing = await IncidentImportQueries.FindChannelIncidentAsync(connection, transaction, import.ChannelId, cancellationToken);
            var incident = existing is { } number
                ? await LoadForUpdateAsync(connection, transaction, number, cancellationToken) ?? throw new IncidentNotFoundException(number)
                : await InsertAsync(connection, transaction, await IncidentImportQueries.DeclarationAsync(connection, transaction, import, cancellationToken), cancellationToken);
            var added = await InsertMessagesAsync(connection, transaction, incident.Number, import.Messages, cancellationToken);

            if (existing is null)
            {
                await InsertEntriesAsync(connection, transaction, incident.Number, IncidentImportQueries.AfterMessages(import), cancellationToken);
            }

            return new IncidentImportResult(incident, existing is null, added, import.Number);
        }, cancellationToken);

    /// <returns>How many were new.</returns>
    private static async Task<int> InsertMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long number, IReadOnlyList<ImportedMessage> messages, CancellationToken cancellationToken)
    {
        var rows = messages.Select(m => SlackRow(number, m.Entry)).ToList();
        await using var command = new NpgsqlCommand(ImportMessagesSql, connection, transaction);
        command.Parameters.AddWithValue("number", number);
        command.Parameters.AddWithValue("kind", rows.Select(r => r.Kind).ToArray());
        command.Parameters.AddWithValue("occurred_at", rows.Select(r => r.OccurredAt).ToArray());
        command.Parameters.AddWithValue("actor_id", rows.Select(r => r.ActorId).ToArray());
        command.Parameters.AddWithValue("text", rows.Select(r => r.Text).ToArray());
        command.Parameters.AddWithValue("data", rows.Select(r => r.Data).ToArray());
        command.Parameters.AddWithValue("slack_channel_id", rows.Select(r => r.SlackChannelId).ToArray());
        command.Parameters.AddWithValue("slack_ts", rows.Select(r => r.SlackTs).ToArray());
        command.Parameters.AddWithValue("slack_thread_ts", rows.Select(r => r.SlackThreadTs).ToArray());
        command.Parameters.AddWithValue("permalink", rows.Select(r => r.Permalink).ToArray());
        command.Parameters.AddWithValue("is_bot", rows.Select(r => r.IsBot).ToArray());
        command.Parameters.AddWithValue("edited_at", messages.Select(m => UnixMs.From(m.EditedAt)).ToArray());
        return rows.Count == 0 ? 0 : await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<(PostmortemDraft Draft, IncidentUpdate Update)> AddPostmortemDraftAsync(
        long number, string markdown, string? createdBy, DateTimeOffset createdAt, Func<PostmortemDraft, NewTimelineEntry> entry,
        CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // The incident's row lock makes two drafts written at once get different versions.
            var current = await LoadForUpdateAsync(connection, transaction, number, cancellationToken) ?? throw new IncidentNotFoundException(number);
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

    private Task<TimelineEntry?> WriteEntryAsync(string sql, TimelineRow row, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => RunEntryStatementAsync(connection, transaction, sql, row, cancellationToken), cancellationToken);

    private static async Task<TimelineEntry?> RunEntryStatementAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, TimelineRow row, CancellationToken cancellationToken) =>
        (await connection.QueryFirstOrDefaultAsync<TimelineRow>(new CommandDefinition(sql, row, transaction, cancellationToken: cancellationToken)))
            ?.ToEntry();

    private static bool SameWords(Incident current, Incident next) =>
        current.Title == next.Title && current.Services.SequenceEqual(next.Services) && current.Description == next.Description
        && current.CustomerImpact == next.CustomerImpact && current.MitigationSummary == next.MitigationSummary
        && current.ResolutionSummary == next.ResolutionSummary && current.Environment == next.Environment;

    private static Task IndexAsync(NpgsqlConnection connection, IDbTransaction transaction, long number, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(IndexSql, new { Number = number }, transaction, cancellationToken: cancellationToken));

    private static async Task ReplaceServicesAsync(NpgsqlConnection connection, IDbTransaction transaction, Incident incident, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM incident_services WHERE incident_number = @Number;", new { incident.Number }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO incident_services (incident_number, service, position) VALUES (@Number, @Service, @Position);",
            incident.Services.Select((service, position) => new { incident.Number, Service = service, Position = position }),
            transaction,
            cancellationToken: cancellationToken));
    }

    private static async Task ReplaceLinksAsync(NpgsqlConnection connection, IDbTransaction transaction, Incident incident, CancellationToken cancellationToken)
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
        NpgsqlConnection connection, IDbTransaction transaction, long number, IReadOnlyList<NewTimelineEntry> entries, CancellationToken cancellationToken)
    {
        var stored = new List<TimelineEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var row = TimelineRow.From(number, entry);
            row.Id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"INSERT INTO timeline_entries ({EntryColumns}) VALUES ({EntryValues}) RETURNING id;", row, transaction, cancellationToken: cancellationToken));
            stored.Add(row.ToEntry());
        }

        return stored;
    }

    private static TimelineRow SlackRow(long number, NewTimelineEntry message) =>
        message.Slack is null
            ? throw new ArgumentException("A Slack message needs its channel and ts.", nameof(message))
            : TimelineRow.From(number, message);
}
