using Dapper;

namespace IncidentBot.Storage.Sqlite;

public sealed class SqlitePostmortemDraftStore(SqliteDatabase database) : IPostmortemDraftStore
{
    public Task<PostmortemDraft> AddAsync(
        long number, string markdown, string? createdBy, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) =>
        {
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
            return new PostmortemDraft(number, version, markdown, UnixMs.To(UnixMs.From(createdAt)), createdBy);
        }, cancellationToken);

    public async Task<IReadOnlyList<PostmortemDraft>> ListAsync(long number, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long IncidentNumber, long Version, string Markdown, long CreatedAt, string? CreatedBy)>(
            new CommandDefinition("""
                SELECT incident_number, version, markdown, created_at, created_by FROM postmortem_drafts
                WHERE incident_number = @Number ORDER BY version DESC;
                """, new { Number = number }, cancellationToken: cancellationToken));
        return rows.Select(r => new PostmortemDraft(r.IncidentNumber, (int)r.Version, r.Markdown, UnixMs.To(r.CreatedAt), r.CreatedBy)).ToList();
    }
}
