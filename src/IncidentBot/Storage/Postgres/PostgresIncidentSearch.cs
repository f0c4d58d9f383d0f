using Dapper;
using IncidentBot.Storage.Sqlite;
using static IncidentBot.Storage.Postgres.PostgresIncidentQueries;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// Search on PostgreSQL: words through the <c>tsvector</c> columns of schema step 1 (<c>incidents.search</c>, written by
/// the store with the incident; <c>timeline_entries.search</c>, generated from the entry), GIN-indexed, ranked by
/// <c>ts_rank</c> the way SQLite ranks by BM25: the title counts most, then services, then details and messages.
/// </summary>
public sealed class PostgresIncidentSearch(PostgresDatabase database) : IIncidentSearch
{
    // ts_rank's weights of D, C, B, A: messages (D) and details (C) 1, services (B) 3, title (A) 4, as SQLite's bm25 columns.
    private const string Weights = "'{0.25, 0.25, 0.75, 1.0}'";

    // ts_rank gives a good match about 0.5, BM25 here about 2 to 3: scaled alike, a shared service (1.5) weighs as
    // much against the words on both providers.
    private const double RankScale = 5.0;

    /// <summary>Timeline entries scored per search, newest first, as on SQLite.</summary>
    public const int MaxTimelineMatches = SqliteIncidentSearch.MaxTimelineMatches;

    public async Task<IReadOnlyList<IncidentTextMatch>> MatchAsync(
        SearchTerms terms, IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        if (terms.IsEmpty)
        {
            return [];
        }

        var (where, parameters) = Where(filter);
        parameters.Add("Query", AnyOf(terms));
        parameters.Add("Limit", SqliteIncidentQueries.Limit(filter));
        parameters.Add("MaxTimelineMatches", MaxTimelineMatches);
        parameters.Add("Scale", RankScale);

        var sql = $"""
            WITH q AS MATERIALIZED (SELECT to_tsquery('english', @Query) AS query),
            inc AS MATERIALIZED (
                SELECT i.number AS number, @Scale * ts_rank({Weights}, i.search, q.query) AS score
                FROM incidents i, q
                WHERE i.search @@ q.query AND {where}
            ),
            msg AS MATERIALIZED (
                SELECT e.incident_number AS number, @Scale * ts_rank({Weights}, e.search, q.query) AS score, e.id AS id
                FROM timeline_entries e JOIN incidents i ON i.number = e.incident_number, q
                WHERE e.search @@ q.query AND {where}
                ORDER BY e.id DESC
                LIMIT @MaxTimelineMatches
            ),
            best AS MATERIALIZED (
                -- Each incident's best entry; of equally good ones, the earliest.
                SELECT DISTINCT ON (number) number, score, id FROM msg ORDER BY number, score DESC, id
            ),
            ranked AS MATERIALIZED (
                SELECT COALESCE(inc.number, best.number) AS number, COALESCE(inc.score, 0.0) AS incident_score,
                    COALESCE(best.score, 0.0) AS timeline_score, best.id AS entry_id
                FROM inc FULL JOIN best ON best.number = inc.number
                ORDER BY COALESCE(inc.score, 0.0) + 0.5 * COALESCE(best.score, 0.0) DESC, COALESCE(inc.number, best.number) DESC
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

    /// <summary>
    /// <c>ddos | attack</c>: the words joined by OR. <see cref="SearchTerms"/> keeps only letters and digits, so no
    /// word can carry tsquery's operators (<c>&amp; | ! &lt;-&gt; : * ( ) '</c>).
    /// </summary>
    private static string AnyOf(SearchTerms terms) => string.Join(" | ", terms.Words);

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
