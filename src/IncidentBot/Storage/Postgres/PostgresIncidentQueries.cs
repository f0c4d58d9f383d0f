using System.Data;
using Dapper;
using IncidentBot.Incidents;
using IncidentBot.Storage.Sqlite;
using Npgsql;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// The one way incidents are filtered and loaded on PostgreSQL, shared by the reader, the search and the writes that
/// read the incident inside their transaction. The rows are those of SQLite (<see cref="IncidentRow"/>,
/// <see cref="TimelineRow"/>): both schemas keep the same columns.
/// </summary>
internal static class PostgresIncidentQueries
{
    public const string TimelineColumns = SqliteIncidentQueries.TimelineColumns;

    private const string IncidentColumns = """
        i.number, i.title, i.severity, i.status, i.commander_id, i.environment, i.customer_impact, i.description, i.declared_by,
        i.mitigation_summary, i.resolution_summary, i.channel_id, i.channel_name, i.declared_at, i.stable_at, i.resolved_at,
        i.updated_at, i.impact_started_at, i.version, i.is_private
        """;

    /// <summary>
    /// The filter as a condition on <c>incidents i</c>, with its parameters. Lists are bound as arrays
    /// (<c>= ANY(@x)</c>): Dapper hands a list to Npgsql as one array parameter instead of expanding <c>IN @x</c>.
    /// </summary>
    public static (string Where, DynamicParameters Parameters) Where(IncidentFilter filter)
    {
        var where = new List<string> { "TRUE" };
        var parameters = new DynamicParameters();
        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(condition);
                parameters.Add(name, value);
            }
        }

        Add("i.number = ANY(@Numbers)", "Numbers", filter.Numbers?.ToArray());
        Add("i.number <> @ExcludeNumber", "ExcludeNumber", filter.ExcludeNumber);
        Add("i.number < @BeforeNumber", "BeforeNumber", filter.BeforeNumber);
        Add("i.status = ANY(@Statuses)", "Statuses", filter.Statuses is { Count: > 0 } s ? s.Select(x => x.ToLabel()).ToArray() : null);
        Add("i.severity = ANY(@Severities)", "Severities", filter.Severities is { Count: > 0 } v ? v.Select(x => (int)x).ToArray() : null);
        Add("i.number IN (SELECT incident_number FROM incident_services WHERE service = ANY(@Services))", "Services",
            filter.Services is { Count: > 0 } services ? services.Select(x => x.Trim().ToLowerInvariant()).ToArray() : null);
        Add("lower(i.environment) = @Environment", "Environment", filter.Environment?.Trim().ToLowerInvariant());
        Add("(i.declared_by = @User OR i.commander_id = @User)", "User", filter.InvolvingUser);
        if (filter.LinkedTo is { } link)
        {
            Add("i.number IN (SELECT incident_number FROM incident_links WHERE type = @LinkType AND target = @LinkTarget)",
                "LinkType", link.Type.ToLabel());
            parameters.Add("LinkTarget", link.Target);
        }

        if (filter.WithOpenOwnedFollowUps)
        {
            where.Add(IncidentRoleAndFollowUpRows.WithOpenOwnedFollowUps);
        }

        Add("i.declared_at >= @DeclaredFrom", "DeclaredFrom", UnixMs.From(filter.DeclaredFrom));
        Add("i.declared_at <= @DeclaredUntil", "DeclaredUntil", UnixMs.From(filter.DeclaredUntil));
        Add("i.declared_at <= @ActiveUntil", "ActiveUntil", UnixMs.From(filter.ActiveUntil));
        // resolved_at is cleared on a reopen, so null means "still open".
        Add("(i.resolved_at IS NULL OR i.resolved_at >= @ActiveFrom)", "ActiveFrom", UnixMs.From(filter.ActiveFrom));
        Add("i.is_private = @IsPrivate", "IsPrivate", filter.IsPrivate);
        if (filter.Audience?.PrivateIncidents is { } seen)
        {
            Add(seen.Count == 0 ? "NOT i.is_private" : "(NOT i.is_private OR i.number = ANY(@SeenPrivate))", "SeenPrivate", seen.ToArray());
        }

        return (string.Join(" AND ", where), parameters);
    }

    /// <summary>The incidents the filter keeps, newest first: <see cref="IIncidentReader.FindAsync"/>, on any connection.</summary>
    public static Task<IReadOnlyList<Incident>> FindAsync(
        NpgsqlConnection connection, IDbTransaction? transaction, IncidentFilter filter, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(filter);
        parameters.Add("Limit", SqliteIncidentQueries.Limit(filter));
        return LoadAsync(connection, transaction, $"{where} ORDER BY i.number DESC LIMIT @Limit", parameters, cancellationToken);
    }

    /// <summary>Incidents with their services, links, roles and follow-ups: five queries whatever the number of incidents.</summary>
    /// <param name="where">A condition on <c>incidents i</c>, followed by any ORDER BY and LIMIT.</param>
    public static async Task<IReadOnlyList<Incident>> LoadAsync(
        NpgsqlConnection connection, IDbTransaction? transaction, string where, object parameters, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<IncidentRow>(new CommandDefinition(
            $"SELECT {IncidentColumns} FROM incidents i WHERE {where};", parameters, transaction, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var numbers = new { Numbers = rows.Select(r => r.Number).ToArray() };
        var services = (await connection.QueryAsync<ServiceRow>(new CommandDefinition(
                "SELECT incident_number, service FROM incident_services WHERE incident_number = ANY(@Numbers) ORDER BY incident_number, position;",
                numbers, transaction, cancellationToken: cancellationToken)))
            .ToLookup(s => s.IncidentNumber, s => s.Service);
        var links = (await connection.QueryAsync<LinkRow>(new CommandDefinition(
                """
                SELECT incident_number, type, target, linked_at, linked_by, url, alert_title, alert_status, alert_started_at, alert_ended_at
                FROM incident_links WHERE incident_number = ANY(@Numbers) ORDER BY incident_number, linked_at, type, target;
                """,
                numbers, transaction, cancellationToken: cancellationToken)))
            .ToLookup(l => l.IncidentNumber, l => l.ToLink());
        var incidents = rows.Select(row => row.ToIncident(services[row.Number].ToList(), links[row.Number].ToList())).ToList();
        return await IncidentRoleAndFollowUpRows.AddToAsync(connection, transaction, incidents, "incident_number = ANY(@Numbers)", numbers, cancellationToken);
    }

    public static async Task<Incident?> LoadOneAsync(
        NpgsqlConnection connection, IDbTransaction? transaction, long number, CancellationToken cancellationToken) =>
        (await LoadAsync(connection, transaction, "i.number = @Number", new { Number = number }, cancellationToken)).SingleOrDefault();

    /// <summary>
    /// Loads the incident and holds its row lock until the transaction ends, so no other writer, in any replica,
    /// changes it meanwhile. Holding it also keeps the incident's change entries in commit order by id, which
    /// <see cref="IIncidentReader.GetChangesAfterAsync"/> relies on.
    /// </summary>
    public static async Task<Incident?> LoadForUpdateAsync(
        NpgsqlConnection connection, IDbTransaction transaction, long number, CancellationToken cancellationToken) =>
        (await LoadAsync(connection, transaction, "i.number = @Number FOR UPDATE", new { Number = number }, cancellationToken)).SingleOrDefault();
}
