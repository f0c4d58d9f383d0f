using Dapper;
using IncidentBot.Incidents;
using IncidentBot.Storage.Sqlite;
using Npgsql;
using static IncidentBot.Storage.Postgres.PostgresIncidentQueries;

namespace IncidentBot.Storage.Postgres;

/// <summary>The read side on PostgreSQL: each call opens a pooled connection and reads committed state.</summary>
public sealed class PostgresIncidentReader(PostgresDatabase database) : IIncidentReader
{
    public async Task<Incident?> GetAsync(long number, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await LoadOneAsync(connection, null, number, cancellationToken);
    }

    public async Task<Incident?> FindByChannelAsync(string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = await LoadAsync(connection, null, "i.channel_id = @ChannelId", new { ChannelId = channelId }, cancellationToken);
        return found.SingleOrDefault();
    }

    public async Task<long?> FindNumberByChannelAsync(string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT number FROM incidents WHERE channel_id = @ChannelId;", new { ChannelId = channelId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Incident>> FindAsync(IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await PostgresIncidentQueries.FindAsync(connection, null, filter, cancellationToken);
    }

    public async Task<int> CountAsync(IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = Where(filter);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM incidents i WHERE {where};", parameters, cancellationToken: cancellationToken));
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
        return await QueryEntriesAsync($"""
            SELECT {TimelineColumns} FROM timeline_entries
            WHERE incident_number = @Number {after}
            ORDER BY occurred_at, id LIMIT @Limit;
            """, parameters, cancellationToken);
    }

    public async Task<IReadOnlyList<TimelineEntry>> GetEntriesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        ids.Count == 0
            ? []
            : await QueryEntriesAsync(
                $"SELECT {TimelineColumns} FROM timeline_entries WHERE id = ANY(@Ids) ORDER BY id;", new { Ids = ids.Distinct().ToArray() }, cancellationToken);

    public Task<IReadOnlyList<TimelineEntry>> GetChangesAfterAsync(
        long number, long afterEntryId, int limit = 200, CancellationToken cancellationToken = default) =>
        QueryEntriesAsync($"""
            SELECT {TimelineColumns} FROM timeline_entries
            WHERE incident_number = @Number AND id > @AfterId AND kind NOT IN ('message', 'member_joined')
            ORDER BY id LIMIT @Limit;
            """, new { Number = number, AfterId = afterEntryId, Limit = limit }, cancellationToken);

    public async Task<TimelineEntry?> GetLastEntryByAsync(long number, string actorId, TimelineCursor before, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = SqliteIncidentQueries.LastEntryBy(number, actorId, before);
        return (await QueryEntriesAsync(sql, parameters, cancellationToken)).SingleOrDefault();
    }

    public async Task<string?> GetLatestMessageTsAsync(string channelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // ts strings of one channel have the same shape ("seconds.micros"), so the text maximum is the newest.
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT MAX(slack_ts) FROM timeline_entries WHERE slack_channel_id = @ChannelId;",
            new { ChannelId = channelId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyDictionary<long, DateTimeOffset>> GetLastUpdatesAsync(
        IReadOnlyCollection<long> numbers, CancellationToken cancellationToken = default)
    {
        if (numbers.Count == 0)
        {
            return new Dictionary<long, DateTimeOffset>();
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Number, long At)>(new CommandDefinition($"""
            SELECT incident_number, MAX(occurred_at) FROM timeline_entries
            WHERE incident_number = ANY(@Numbers) AND kind IN ({SqliteIncidentQueries.LastUpdateKinds})
            GROUP BY incident_number;
            """, new { Numbers = numbers.Distinct().ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Number, r => UnixMs.To(r.At));
    }

    public async Task<int> CountMessagesAsync(long number, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT COUNT(*) FROM timeline_entries
            WHERE incident_number = @Number AND deleted_at IS NULL AND text <> ''
                AND kind IN ('message', 'update', 'action', 'resolution');
            """, new { Number = number }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<string>> GetServiceNamesAsync(IncidentAudience audience, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = Where(new IncidentFilter { Audience = audience });
        await using var connection = await database.OpenAsync(cancellationToken);
        var names = await connection.QueryAsync<string>(new CommandDefinition($"""
            SELECT s.service FROM incident_services s JOIN incidents i ON i.number = s.incident_number
            WHERE {where} GROUP BY s.service ORDER BY s.service COLLATE "C" LIMIT 2000;
            """, parameters, cancellationToken: cancellationToken));
        return names.ToList();
    }

    public async Task<IncidentStats> GetStatsAsync(
        DateTimeOffset since, DateTimeOffset until, IncidentAudience audience, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteIncidentQueries.ReadStatsAsync(
            connection, since, until, Where(SqliteIncidentQueries.StatsFilter(since, until, audience)), cancellationToken);
    }

    public async Task<IReadOnlyList<PostmortemDraft>> GetPostmortemDraftsAsync(long number, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long IncidentNumber, long Version, string Markdown, long CreatedAt, string? CreatedBy)>(
            new CommandDefinition("""
                SELECT incident_number, version, markdown, created_at, created_by FROM postmortem_drafts
                WHERE incident_number = @Number ORDER BY version DESC;
                """, new { Number = number }, cancellationToken: cancellationToken));
        return rows.Select(r => new PostmortemDraft(r.IncidentNumber, (int)r.Version, r.Markdown, UnixMs.To(r.CreatedAt), r.CreatedBy)).ToList();
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM incidents WHERE FALSE;", cancellationToken: cancellationToken)) == 0;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<TimelineEntry>> QueryEntriesAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TimelineRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToEntry()).ToList();
    }
}
