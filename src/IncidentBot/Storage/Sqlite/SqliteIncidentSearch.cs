using Dapper;
using IncidentBot.Incidents;
using static IncidentBot.Storage.Sqlite.SqliteIncidentQueries;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// Search on the SQLite file: words through the FTS5 tables of schema step 4 (<c>incident_search</c>,
/// <c>timeline_search</c>), kept in step with every committed write (triggers, and schema step 8's indexing of new
/// timeline entries in batches, with what is pending indexed before each search: <see cref="SqliteSearchIndexing"/>).
/// </summary>
public sealed class SqliteIncidentSearch(SqliteDatabase database) : IIncidentSearch
{
    // Column weights of incident_search (title, services, details): a word in the title says most about an incident.
    private const string IncidentRank = "bm25(incident_search, 4.0, 3.0, 1.0)";

    /// <summary>
    /// Timeline entries scored per search, newest first. Scoring costs about 2 µs an entry, and common words match
    /// hundreds of thousands of entries in a large history; the incidents' own fields are always searched in full.
    /// </summary>
    public const int MaxTimelineMatches = 10_000;

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
        var narrows = Narrows(filter);
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
        await database.BeforeSearchAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MatchRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => new IncidentTextMatch(r.Number, r.IncidentScore, r.TimelineScore, r.EntryId, r.EntryText, r.EntryPermalink)).ToList();
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
