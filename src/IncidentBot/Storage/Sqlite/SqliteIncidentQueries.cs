using System.Data;
using Dapper;
using IncidentBot.Incidents;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// The one way incidents are filtered and loaded on SQLite, shared by the reader, the search and the writes that
/// read the incident inside their transaction, so every way of reading an incident gives the same incident.
/// </summary>
internal static class SqliteIncidentQueries
{
    public const string TimelineColumns = """
        id, incident_number, kind, occurred_at, actor_id, text, data, slack_channel_id, slack_ts, slack_thread_ts,
        permalink, is_bot, edited_at, deleted_at
        """;

    private const string IncidentColumns = """
        i.number, i.title, i.severity, i.status, i.commander_id, i.environment, i.customer_impact, i.description, i.declared_by,
        i.mitigation_summary, i.resolution_summary, i.channel_id, i.channel_name, i.declared_at, i.stable_at, i.resolved_at,
        i.updated_at, i.impact_started_at, i.version, i.is_private
        """;

    static SqliteIncidentQueries() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public static int Limit(IncidentFilter filter) => Math.Clamp(filter.Limit, 1, IncidentFilter.MaxLimit);

    /// <summary>The query of <see cref="IIncidentReader.GetLastEntryByAsync"/>, the same SQL on both providers.</summary>
    public static (string Sql, object Parameters) LastEntryBy(long number, string actorId, TimelineCursor before) => ($"""
        SELECT {TimelineColumns} FROM timeline_entries
        WHERE incident_number = @Number AND actor_id = @Actor
            AND (occurred_at < @BeforeAt OR (occurred_at = @BeforeAt AND id < @BeforeId))
        ORDER BY occurred_at DESC, id DESC LIMIT 1;
        """, new { Number = number, Actor = actorId, BeforeAt = UnixMs.From(before.OccurredAt), BeforeId = before.Id });

    /// <summary>The entries that count as telling the people following an incident where it stands.</summary>
    public const string LastUpdateKinds = "'declared', 'update', 'status_changed', 'severity_changed'";

    /// <summary>The incidents <see cref="ReadStatsAsync"/> counts: declared in the window, seen by the audience.</summary>
    public static IncidentFilter StatsFilter(DateTimeOffset since, DateTimeOffset until, IncidentAudience audience) =>
        new() { DeclaredFrom = since, DeclaredUntil = until, Audience = audience };

    /// <summary>
    /// The figures of the incidents of <paramref name="window"/> (the provider's condition for <see cref="StatsFilter"/>);
    /// the rest of the SQL is the same on every provider.
    /// </summary>
    public static async Task<IncidentStats> ReadStatsAsync(
        IDbConnection connection, DateTimeOffset since, DateTimeOffset until, (string Where, DynamicParameters Parameters) window,
        CancellationToken cancellationToken)
    {
        var figures = await connection.QueryAsync<(long Severity, string Status, long DeclaredAt, long? ResolvedAt, long? ImpactStartedAt)>(new CommandDefinition($"""
            SELECT i.severity, i.status, i.declared_at, i.resolved_at, i.impact_started_at FROM incidents i
            WHERE {window.Where};
            """, window.Parameters, cancellationToken: cancellationToken));
        var services = await connection.QueryAsync<(string Service, long Incidents)>(new CommandDefinition($"""
            SELECT s.service, COUNT(*) FROM incident_services s JOIN incidents i ON i.number = s.incident_number
            WHERE {window.Where}
            GROUP BY s.service ORDER BY COUNT(*) DESC, s.service LIMIT 10;
            """, window.Parameters, cancellationToken: cancellationToken));
        return IncidentStats.Compute(
            since,
            until,
            figures.Select(f => new IncidentFigures(
                (Severity)f.Severity,
                IncidentStatusText.TryParse(f.Status, out var status) ? status : IncidentStatus.Active,
                f.ResolvedAt is { } resolved ? TimeSpan.FromMilliseconds(resolved - f.DeclaredAt) : null,
                UnixMs.To(f.DeclaredAt),
                f.ImpactStartedAt is { } impact ? TimeSpan.FromMilliseconds(Math.Max(0, f.DeclaredAt - impact)) : null)).ToList(),
            services.Select(s => new ServiceCount(s.Service, (int)s.Incidents)).ToList());
    }

    /// <summary>
    /// Whether the filter is likely to keep far fewer incidents than all of them. An upper time bound alone is not
    /// counted: "until now" keeps nearly everything.
    /// </summary>
    public static bool Narrows(IncidentFilter filter) =>
        filter.Numbers is not null || filter.Statuses is { Count: > 0 } || filter.Severities is { Count: > 0 }
        || filter.Services is { Count: > 0 } || filter.InvolvingUser is not null || filter.DeclaredFrom is not null
        || filter.ActiveFrom is not null || filter.LinkedTo is not null || filter.IsPrivate == true || filter.WithOpenOwnedFollowUps
        || filter.Environment is not null;

    /// <summary>The filter as a condition on <c>incidents i</c>, with its parameters.</summary>
    public static (string Where, DynamicParameters Parameters) Where(IncidentFilter filter)
    {
        var where = new Conditions();
        where.Add("i.number IN @Numbers", "Numbers", filter.Numbers?.ToList());
        where.Add("i.number <> @ExcludeNumber", "ExcludeNumber", filter.ExcludeNumber);
        where.Add("i.number < @BeforeNumber", "BeforeNumber", filter.BeforeNumber);
        where.Add("i.status IN @Statuses", "Statuses", filter.Statuses is { Count: > 0 } s ? s.Select(x => x.ToLabel()).ToList() : null);
        where.Add("i.severity IN @Severities", "Severities", filter.Severities is { Count: > 0 } v ? v.Select(x => (long)x).ToList() : null);
        where.Add("i.number IN (SELECT incident_number FROM incident_services WHERE service IN @Services)", "Services",
            filter.Services is { Count: > 0 } services ? services.Select(x => x.Trim().ToLowerInvariant()).ToList() : null);
        where.Add("lower(i.environment) = @Environment", "Environment", filter.Environment?.Trim().ToLowerInvariant());
        where.Add("(i.declared_by = @User OR i.commander_id = @User)", "User", filter.InvolvingUser);
        if (filter.LinkedTo is { } link)
        {
            where.Add(
                "i.number IN (SELECT incident_number FROM incident_links WHERE type = @LinkType AND target = @LinkTarget)",
                ("LinkType", link.Type.ToLabel()),
                ("LinkTarget", link.Target));
        }

        if (filter.WithOpenOwnedFollowUps)
        {
            where.Add(IncidentRoleAndFollowUpRows.WithOpenOwnedFollowUps);
        }

        where.Add("i.declared_at >= @DeclaredFrom", "DeclaredFrom", UnixMs.From(filter.DeclaredFrom));
        where.Add("i.declared_at <= @DeclaredUntil", "DeclaredUntil", UnixMs.From(filter.DeclaredUntil));
        where.Add("i.declared_at <= @ActiveUntil", "ActiveUntil", UnixMs.From(filter.ActiveUntil));
        // resolved_at is cleared on a reopen, so null means "still open".
        where.Add("(i.resolved_at IS NULL OR i.resolved_at >= @ActiveFrom)", "ActiveFrom", UnixMs.From(filter.ActiveFrom));
        where.Add("i.is_private = @IsPrivate", "IsPrivate", filter.IsPrivate);
        if (filter.Audience?.PrivateIncidents is { } seen)
        {
            where.Add(seen.Count == 0 ? "NOT i.is_private" : "(NOT i.is_private OR i.number IN @SeenPrivate)", "SeenPrivate", seen.ToList());
        }

        return where.Build();
    }

    /// <summary>The incidents the filter keeps, newest first: <see cref="IIncidentReader.FindAsync"/>, on any connection.</summary>
    public static Task<IReadOnlyList<Incident>> FindAsync(
        SqliteConnection connection, IDbTransaction? transaction, IncidentFilter filter, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(filter);
        parameters.Add("Limit", Limit(filter));
        return LoadAsync(connection, transaction, $"{where} ORDER BY i.number DESC LIMIT @Limit", parameters, cancellationToken);
    }

    /// <summary>Incidents with their services, links, roles and follow-ups: five queries whatever the number of incidents.</summary>
    /// <param name="where">A condition on <c>incidents i</c>, followed by any ORDER BY and LIMIT.</param>
    public static async Task<IReadOnlyList<Incident>> LoadAsync(
        SqliteConnection connection, IDbTransaction? transaction, string where, object parameters, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<IncidentRow>(new CommandDefinition(
            $"SELECT {IncidentColumns} FROM incidents i WHERE {where};", parameters, transaction, cancellationToken: cancellationToken))).ToList();
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
                """
                SELECT incident_number, type, target, linked_at, linked_by, url, alert_title, alert_status, alert_started_at, alert_ended_at
                FROM incident_links WHERE incident_number IN @Numbers ORDER BY incident_number, linked_at, type, target;
                """,
                numbers, transaction, cancellationToken: cancellationToken)))
            .ToLookup(l => l.IncidentNumber, l => l.ToLink());
        var incidents = rows.Select(row => row.ToIncident(services[row.Number].ToList(), links[row.Number].ToList())).ToList();
        return await IncidentRoleAndFollowUpRows.AddToAsync(connection, transaction, incidents, "incident_number IN @Numbers", numbers, cancellationToken);
    }

    public static async Task<Incident?> LoadOneAsync(
        SqliteConnection connection, IDbTransaction? transaction, long number, CancellationToken cancellationToken) =>
        (await LoadAsync(connection, transaction, "i.number = @Number", new { Number = number }, cancellationToken)).SingleOrDefault();

    private sealed class Conditions
    {
        private readonly List<string> conditions = ["1 = 1"];
        private readonly DynamicParameters parameters = new();

        public void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                conditions.Add(condition);
                parameters.Add(name, value);
            }
        }

        public void Add(string condition, params (string Name, object Value)[] values)
        {
            conditions.Add(condition);
            foreach (var (name, value) in values)
            {
                parameters.Add(name, value);
            }
        }

        public (string, DynamicParameters) Build() => (string.Join(" AND ", conditions), parameters);
    }
}
