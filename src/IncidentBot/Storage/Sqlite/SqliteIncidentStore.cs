using System.Data;
using Dapper;
using IncidentBot.Incidents;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// The store on one SQLite file. Each change reads the incident inside a write transaction
/// (<see cref="SqliteDatabase.WriteAsync{T}"/>), so two writers to one incident are serialised by the
/// database, across processes too.
/// </summary>
public sealed class SqliteIncidentStore(SqliteDatabase database) : IIncidentStore
{
    private const string IncidentColumns = """
        number, title, severity, status, commander_id, environment, customer_impact, description, declared_by,
        mitigation_summary, resolution_summary, channel_id, channel_name, declared_at, stable_at, resolved_at,
        updated_at, version
        """;

    private const string TimelineColumns = """
        id, incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts, slack_thread_ts,
        permalink, is_bot, edited_at, deleted_at
        """;

    private const string InsertEntrySql = """
        INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
            slack_thread_ts, permalink, is_bot)
        VALUES (@IncidentNumber, @Kind, @OccurredAt, @ActorId, @Text, @Data, @SlackChannelId, @SlackTs,
            @SlackThreadTs, @Permalink, @IsBot)
        """;

    static SqliteIncidentStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public Task<Incident> CreateAsync(IncidentChange declaration, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO incidents (title, severity, status, commander_id, environment, customer_impact, description,
                    declared_by, mitigation_summary, resolution_summary, channel_id, channel_name, declared_at, stable_at,
                    resolved_at, updated_at, version)
                VALUES (@Title, @Severity, @Status, @CommanderId, @Environment, @CustomerImpact, @Description,
                    @DeclaredBy, @MitigationSummary, @ResolutionSummary, @ChannelId, @ChannelName, @DeclaredAt, @StableAt,
                    @ResolvedAt, @UpdatedAt, @Version)
                RETURNING number;
                """, IncidentRow.From(declaration.Incident), transaction, cancellationToken: cancellationToken));
            var created = declaration.Incident with { Number = number };
            await ReplaceServicesAsync(connection, transaction, created, cancellationToken);
            await ReplaceLinksAsync(connection, transaction, created, cancellationToken);
            await InsertEntriesAsync(connection, transaction, number, declaration.Entries, cancellationToken);
            return created;
        }, cancellationToken);

    public async Task<Incident?> GetAsync(long number, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await LoadAsync(connection, null, number, cancellationToken);
    }

    public async Task<Incident?> FindByChannelAsync(string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await QueryIncidentsAsync(connection, null, "WHERE channel_id = @ChannelId", new { ChannelId = channelId }, cancellationToken);
        return rows.SingleOrDefault();
    }

    public async Task<long?> FindNumberByChannelAsync(string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT number FROM incidents WHERE channel_id = @ChannelId;", new { ChannelId = channelId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        var conditions = new List<string>();
        var parameters = new DynamicParameters();
        if (query.Statuses is { Count: > 0 } statuses)
        {
            conditions.Add("status IN @Statuses");
            parameters.Add("Statuses", statuses.Select(s => s.ToLabel()).ToList());
        }

        if (query.Severities is { Count: > 0 } severities)
        {
            conditions.Add("severity IN @Severities");
            parameters.Add("Severities", severities.Select(s => (long)s).ToList());
        }

        if (query.Service is { } service)
        {
            conditions.Add("number IN (SELECT incident_number FROM incident_services WHERE service = @Service)");
            parameters.Add("Service", service.Trim().ToLowerInvariant());
        }

        if (query.InvolvingUser is { } user)
        {
            conditions.Add("(declared_by = @User OR commander_id = @User)");
            parameters.Add("User", user);
        }

        AddRange(conditions, parameters, "declared_at >= @Since", "Since", query.Since);
        AddRange(conditions, parameters, "declared_at <= @Until", "Until", query.Until);
        if (query.BeforeNumber is { } before)
        {
            conditions.Add("number < @BeforeNumber");
            parameters.Add("BeforeNumber", before);
        }

        parameters.Add("Limit", Math.Clamp(query.Limit, 1, IncidentQuery.MaxLimit));
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryIncidentsAsync(connection, null, $"{where} ORDER BY number DESC LIMIT @Limit", parameters, cancellationToken);
    }

    public Task<IncidentUpdate> UpdateAsync(long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            var current = await LoadAsync(connection, transaction, number, cancellationToken)
                ?? throw new IncidentNotFoundException(number);
            var proposed = change(current);
            if (proposed.Entries.Count == 0)
            {
                return new IncidentUpdate(current, current, []);
            }

            var latest = proposed.Entries.Max(entry => entry.OccurredAt);
            var next = proposed.Incident with
            {
                Number = number,
                Version = current.Version + 1,
                UpdatedAt = latest > current.UpdatedAt ? latest : current.UpdatedAt,
            };
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE incidents SET title = @Title, severity = @Severity, status = @Status, commander_id = @CommanderId,
                    environment = @Environment, customer_impact = @CustomerImpact, description = @Description,
                    declared_by = @DeclaredBy, mitigation_summary = @MitigationSummary, resolution_summary = @ResolutionSummary,
                    channel_id = @ChannelId, channel_name = @ChannelName, declared_at = @DeclaredAt, stable_at = @StableAt,
                    resolved_at = @ResolvedAt, updated_at = @UpdatedAt, version = @Version
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

            var entries = await InsertEntriesAsync(connection, transaction, number, proposed.Entries, cancellationToken);
            return new IncidentUpdate(current, next, entries);
        }, cancellationToken);

    public Task SetChannelAsync(long number, string channelId, string channelName, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE incidents SET channel_id = @ChannelId, channel_name = @ChannelName WHERE number = @Number;",
            new { Number = number, ChannelId = channelId, ChannelName = channelName }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task<bool> AddMessageAsync(long number, NewTimelineEntry message, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition($"""
            {InsertEntrySql}
            ON CONFLICT (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL DO NOTHING;
            """, SlackRow(number, message), transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task EditMessageAsync(long number, NewTimelineEntry editedMessage, DateTimeOffset editedAt, CancellationToken cancellationToken = default)
    {
        var row = SlackRow(number, editedMessage);
        row.EditedAt = UnixMs.From(editedAt);
        return WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
                slack_thread_ts, permalink, is_bot, edited_at)
            VALUES (@IncidentNumber, @Kind, @OccurredAt, @ActorId, @Text, @Data, @SlackChannelId, @SlackTs,
                @SlackThreadTs, @Permalink, @IsBot, @EditedAt)
            ON CONFLICT (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL DO UPDATE
                SET text = excluded.text, edited_at = excluded.edited_at
                WHERE deleted_at IS NULL AND (edited_at IS NULL OR edited_at < excluded.edited_at);
            """, row, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    public Task DeleteMessageAsync(long number, string channelId, string ts, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
    {
        var tombstone = new NewTimelineEntry(
            TimelineEntryKind.Message, SlackTimestamp.ToTime(ts) ?? deletedAt, null, "", Slack: new SlackMessageSource(channelId, ts, null, null, false));
        var row = SlackRow(number, tombstone);
        row.DeletedAt = UnixMs.From(deletedAt);
        return WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO timeline_entries (incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts,
                slack_thread_ts, permalink, is_bot, deleted_at)
            VALUES (@IncidentNumber, @Kind, @OccurredAt, @ActorId, @Text, @Data, @SlackChannelId, @SlackTs,
                @SlackThreadTs, @Permalink, @IsBot, @DeletedAt)
            ON CONFLICT (slack_channel_id, slack_ts) WHERE slack_ts IS NOT NULL DO UPDATE
                SET deleted_at = excluded.deleted_at WHERE deleted_at IS NULL;
            """, row, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    public async Task<string?> GetLatestMessageTsAsync(string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // ts strings of one channel have the same shape ("seconds.micros"), so the text maximum is the newest.
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT MAX(slack_ts) FROM timeline_entries WHERE slack_channel_id = @ChannelId;",
            new { ChannelId = channelId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<TimelineEntry>> GetChangesAfterAsync(
        long number, long afterEntryId, int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TimelineRow>(new CommandDefinition($"""
            SELECT {TimelineColumns} FROM timeline_entries
            WHERE incident_number = @Number AND id > @AfterId AND kind NOT IN ('message', 'member_joined')
            ORDER BY id LIMIT @Limit;
            """, new { Number = number, AfterId = afterEntryId, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToEntry()).ToList();
    }

    public async Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(long number, TimelineQuery query, CancellationToken cancellationToken = default)
    {
        var after = query.After is not null
            ? "AND (occurred_at > @AfterAt OR (occurred_at = @AfterAt AND id > @AfterId))"
            : "";
        var parameters = new
        {
            Number = number,
            AfterAt = query.After is { } cursor ? UnixMs.From(cursor.OccurredAt) : 0,
            AfterId = query.After?.Id ?? 0,
            Limit = Math.Clamp(query.Limit, 1, TimelineQuery.MaxLimit),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TimelineRow>(new CommandDefinition($"""
            SELECT {TimelineColumns} FROM timeline_entries
            WHERE incident_number = @Number {after}
            ORDER BY occurred_at, id LIMIT @Limit;
            """, parameters, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToEntry()).ToList();
    }

    public async Task<IncidentStats> GetStatsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var window = new { Since = UnixMs.From(since), Until = UnixMs.From(until) };
        await using var connection = await database.OpenAsync(cancellationToken);
        var figures = await connection.QueryAsync<(long Severity, string Status, long DeclaredAt, long? ResolvedAt)>(new CommandDefinition("""
            SELECT severity, status, declared_at, resolved_at FROM incidents
            WHERE declared_at >= @Since AND declared_at <= @Until;
            """, window, cancellationToken: cancellationToken));
        var services = await connection.QueryAsync<(string Service, long Incidents)>(new CommandDefinition("""
            SELECT s.service, COUNT(*) FROM incident_services s JOIN incidents i ON i.number = s.incident_number
            WHERE i.declared_at >= @Since AND i.declared_at <= @Until
            GROUP BY s.service ORDER BY COUNT(*) DESC, s.service LIMIT 10;
            """, window, cancellationToken: cancellationToken));
        return IncidentStats.Compute(
            since,
            until,
            figures.Select(f => new IncidentFigures(
                (Severity)f.Severity,
                IncidentStatusText.TryParse(f.Status, out var status) ? status : IncidentStatus.Active,
                f.ResolvedAt is { } resolved ? TimeSpan.FromMilliseconds(resolved - f.DeclaredAt) : null)).ToList(),
            services.Select(s => new ServiceCount(s.Service, (int)s.Incidents)).ToList());
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM incidents WHERE 0;", cancellationToken: cancellationToken)) == 0;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken) =>
        database.WriteAsync(write, cancellationToken);

    private static async Task<Incident?> LoadAsync(SqliteConnection connection, IDbTransaction? transaction, long number, CancellationToken cancellationToken)
    {
        var rows = await QueryIncidentsAsync(connection, transaction, "WHERE number = @Number", new { Number = number }, cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>Incidents with their services and links: three queries whatever the number of incidents.</summary>
    private static async Task<IReadOnlyList<Incident>> QueryIncidentsAsync(
        SqliteConnection connection, IDbTransaction? transaction, string filter, object parameters, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<IncidentRow>(new CommandDefinition(
            $"SELECT {IncidentColumns} FROM incidents {filter};", parameters, transaction, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var numbers = new { Numbers = rows.Select(r => r.Number).ToList() };
        var services = (await connection.QueryAsync<ServiceRow>(new CommandDefinition(
                "SELECT incident_number, service FROM incident_services WHERE incident_number IN @Numbers ORDER BY incident_number, position;",
                numbers, transaction, cancellationToken: cancellationToken)))
            .ToLookup(s => s.IncidentNumber, s => s.Service);
        var links = (await connection.QueryAsync<LinkRow>(new CommandDefinition(
                "SELECT incident_number, type, target, linked_at, linked_by FROM incident_links WHERE incident_number IN @Numbers ORDER BY incident_number, linked_at, type, target;",
                numbers, transaction, cancellationToken: cancellationToken)))
            .ToLookup(l => l.IncidentNumber, l => l.ToLink());
        return rows.Select(row => row.ToIncident(services[row.Number].ToList(), links[row.Number].ToList())).ToList();
    }

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
            "INSERT INTO incident_links (incident_number, type, target, linked_at, linked_by) VALUES (@Number, @Type, @Target, @LinkedAt, @LinkedBy);",
            incident.Links.Select(link => new
            {
                incident.Number,
                Type = link.Type.ToLabel(),
                link.Target,
                LinkedAt = UnixMs.From(link.LinkedAt),
                link.LinkedBy,
            }),
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

    private static void AddRange(List<string> conditions, DynamicParameters parameters, string condition, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            conditions.Add(condition);
            parameters.Add(name, UnixMs.From(time));
        }
    }
}
