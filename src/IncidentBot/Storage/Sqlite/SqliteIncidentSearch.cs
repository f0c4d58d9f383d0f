using Dapper;
using IncidentBot.Incidents;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// Search on the SQLite file: plain filters on <c>incidents</c>, words through the FTS5 tables of schema
/// step 4 (<c>incident_search</c>, <c>timeline_search</c>), which triggers keep in step with every write.
/// </summary>
public sealed class SqliteIncidentSearch(SqliteDatabase database) : IIncidentSearch
{
    private const string IncidentColumns = """
        i.number, i.title, i.severity, i.status, i.commander_id, i.environment, i.customer_impact, i.description, i.declared_by,
        i.mitigation_summary, i.resolution_summary, i.channel_id, i.channel_name, i.declared_at, i.stable_at, i.resolved_at,
        i.updated_at, i.version
        """;

    // Column weights of incident_search (title, services, details): a word in the title says most about an incident.
    private const string IncidentRank = "bm25(incident_search, 4.0, 3.0, 1.0)";

    /// <summary>
    /// Timeline entries scored per search, newest first. Scoring costs about 2 µs an entry, and common words match
    /// hundreds of thousands of entries in a large history; the incidents' own fields are always searched in full.
    /// </summary>
    public const int MaxTimelineMatches = 10_000;

    static SqliteIncidentSearch() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public async Task<IReadOnlyList<Incident>> FindAsync(IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = Where(filter);
        parameters.Add("Limit", Limit(filter));
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<IncidentRow>(new CommandDefinition(
            $"SELECT {IncidentColumns} FROM incidents i WHERE {where} ORDER BY i.declared_at DESC, i.number DESC LIMIT @Limit;",
            parameters,
            cancellationToken: cancellationToken))).ToList();
        return await WithServicesAndLinksAsync(connection, rows, cancellationToken);
    }

    public async Task<int> CountAsync(IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = Where(filter);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM incidents i WHERE {where};", parameters, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<IncidentTextMatch>> MatchAsync(
        SearchTerms terms, IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        if (terms.IsEmpty)
        {
            return [];
        }

        var (where, parameters) = Where(filter);
        parameters.Add("Query", Fts5.AnyOf(terms));
        parameters.Add("Limit", Limit(filter));
        parameters.Add("MaxTimelineMatches", MaxTimelineMatches);

        // Only the entries of incidents that pass the filter can count, and their ids lie between the lowest and
        // the highest id of those incidents' timelines (one index seek each, schema step 6): FTS5 then walks only
        // that range of its doclists. Without a narrowing filter the range is everything, so it is not looked up.
        var narrows = filter.Numbers is not null || filter.ActiveFrom is not null
            || filter.Statuses is { Count: > 0 } || filter.Severities is { Count: > 0 } || filter.Services is { Count: > 0 };
        var bounds = narrows
            ? $"""
                bounds AS MATERIALIZED (
                    SELECT MIN((SELECT MIN(b.id) FROM timeline_entries b WHERE b.incident_number = i.number)) AS low,
                        MAX((SELECT MAX(b.id) FROM timeline_entries b WHERE b.incident_number = i.number)) AS high
                    FROM incidents i WHERE {where}
                ),
                """
            : "";
        var inBounds = narrows ? "AND timeline_search.rowid BETWEEN (SELECT low FROM bounds) AND (SELECT high FROM bounds)" : "";

        // CROSS JOIN keeps the FTS table as the outer loop, which bm25() needs; NOT INDEXED makes each entry a
        // rowid lookup (the planner would otherwise try every filtered number in an index). BM25's weights come
        // from the whole index, so bounding which rows are scored changes no score. The incident fields are
        // scored in full; timeline entries newest first, at most MaxTimelineMatches of them.
        var sql = $"""
            WITH {bounds}
            inc AS MATERIALIZED (
                SELECT i.number AS number, -{IncidentRank} AS score
                FROM incident_search CROSS JOIN incidents i ON i.number = incident_search.rowid
                WHERE incident_search MATCH @Query AND {where}
            ),
            msg AS MATERIALIZED (
                SELECT e.incident_number AS number, -bm25(timeline_search) AS score, e.id AS id
                FROM timeline_search
                CROSS JOIN timeline_entries e NOT INDEXED ON e.id = timeline_search.rowid
                CROSS JOIN incidents i ON i.number = e.incident_number
                WHERE timeline_search MATCH @Query {inBounds} AND {where}
                ORDER BY timeline_search.rowid DESC
                LIMIT @MaxTimelineMatches
            ),
            best AS MATERIALIZED (
                -- Each incident's best entry; of equally good ones, the earliest.
                SELECT m.number AS number, m.score AS score, MIN(m.id) AS id
                FROM msg m JOIN (SELECT number, MAX(score) AS score FROM msg GROUP BY number) top
                    ON top.number = m.number AND top.score = m.score
                GROUP BY m.number
            ),
            ranked AS MATERIALIZED (
                SELECT h.number AS number, COALESCE(inc.score, 0.0) AS incident_score, COALESCE(best.score, 0.0) AS timeline_score,
                    best.id AS entry_id
                FROM (SELECT number FROM inc UNION SELECT number FROM best) h
                LEFT JOIN inc ON inc.number = h.number
                LEFT JOIN best ON best.number = h.number
                ORDER BY COALESCE(inc.score, 0.0) + 0.5 * COALESCE(best.score, 0.0) DESC, h.number DESC
                LIMIT @Limit
            )
            SELECT r.number AS Number, r.incident_score AS IncidentScore, r.timeline_score AS TimelineScore,
                r.entry_id AS EntryId, e.text AS EntryText, e.permalink AS EntryPermalink
            FROM ranked r LEFT JOIN timeline_entries e ON e.id = r.entry_id
            ORDER BY r.incident_score + 0.5 * r.timeline_score DESC, r.number DESC;
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MatchRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => new IncidentTextMatch(r.Number, r.IncidentScore, r.TimelineScore, r.EntryId, r.EntryText, r.EntryPermalink)).ToList();
    }

    public async Task<IReadOnlyList<string>> GetServiceNamesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var names = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT service FROM incident_services ORDER BY service LIMIT 2000;", cancellationToken: cancellationToken));
        return names.ToList();
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

    private static int Limit(IncidentFilter filter) => Math.Clamp(filter.Limit, 1, IncidentFilter.MaxLimit);

    /// <summary>The filter as a condition on <c>incidents i</c>.</summary>
    private static (string Where, DynamicParameters Parameters) Where(IncidentFilter filter)
    {
        var conditions = new List<string> { "1 = 1" };
        var parameters = new DynamicParameters();
        if (filter.Numbers is { } numbers)
        {
            conditions.Add("i.number IN @Numbers");
            parameters.Add("Numbers", numbers.ToList());
        }

        if (filter.ExcludeNumber is { } excluded)
        {
            conditions.Add("i.number <> @ExcludeNumber");
            parameters.Add("ExcludeNumber", excluded);
        }

        if (filter.Statuses is { Count: > 0 } statuses)
        {
            conditions.Add("i.status IN @Statuses");
            parameters.Add("Statuses", statuses.Select(s => s.ToLabel()).ToList());
        }

        if (filter.Severities is { Count: > 0 } severities)
        {
            conditions.Add("i.severity IN @Severities");
            parameters.Add("Severities", severities.Select(s => (long)s).ToList());
        }

        if (filter.Services is { Count: > 0 } services)
        {
            conditions.Add("i.number IN (SELECT incident_number FROM incident_services WHERE service IN @Services)");
            parameters.Add("Services", services.Select(s => s.Trim().ToLowerInvariant()).ToList());
        }

        if (filter.ActiveUntil is { } until)
        {
            conditions.Add("i.declared_at <= @ActiveUntil");
            parameters.Add("ActiveUntil", UnixMs.From(until));
        }

        if (filter.ActiveFrom is { } from)
        {
            // resolved_at is cleared on a reopen, so null means "still open".
            conditions.Add("(i.resolved_at IS NULL OR i.resolved_at >= @ActiveFrom)");
            parameters.Add("ActiveFrom", UnixMs.From(from));
        }

        return (string.Join(" AND ", conditions), parameters);
    }

    private static async Task<IReadOnlyList<Incident>> WithServicesAndLinksAsync(
        SqliteConnection connection, List<IncidentRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var numbers = new { Numbers = rows.Select(r => r.Number).ToList() };
        var services = (await connection.QueryAsync<ServiceRow>(new CommandDefinition(
                "SELECT incident_number, service FROM incident_services WHERE incident_number IN @Numbers ORDER BY incident_number, position;",
                numbers, cancellationToken: cancellationToken)))
            .ToLookup(s => s.IncidentNumber, s => s.Service);
        var links = (await connection.QueryAsync<LinkRow>(new CommandDefinition(
                "SELECT incident_number, type, target, linked_at, linked_by FROM incident_links WHERE incident_number IN @Numbers ORDER BY incident_number, linked_at;",
                numbers, cancellationToken: cancellationToken)))
            .ToLookup(l => l.IncidentNumber, l => l.ToLink());
        return rows.Select(row => row.ToIncident(services[row.Number].ToList(), links[row.Number].ToList())).ToList();
    }

    private sealed class MatchRow
    {
        public long Number { get; set; }
        public double IncidentScore { get; set; }
        public double TimelineScore { get; set; }
        public long? EntryId { get; set; }
        public string? EntryText { get; set; }
        public string? EntryPermalink { get; set; }
    }
}

/// <summary>FTS5 query text built only from quoted strings, so nothing a person typed is read as syntax.</summary>
internal static class Fts5
{
    /// <summary><c>"ddos" OR "attack"</c>: each word a string (quotes doubled inside), joined by OR.</summary>
    public static string AnyOf(SearchTerms terms) =>
        string.Join(" OR ", terms.Words.Select(word => "\"" + word.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
}
