using IncidentBot.Incidents;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Tests.Support;

/// <summary>
/// Rows written as the first schema version wrote them, for files from before an upgrade: today's store writes
/// columns that older versions did not have.
/// </summary>
internal static class OlderSchemaRows
{
    /// <returns>The incident's number.</returns>
    public static async Task<long> InsertIncidentAsync(SqliteDatabase database, string title, Severity severity, DateTimeOffset declaredAt)
    {
        await using var connection = await database.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO incidents (title, severity, status, declared_at, updated_at, version)
            VALUES ($title, $severity, 'active', $at, $at, 1)
            RETURNING number;
            """;
        insert.Parameters.AddWithValue("$title", title);
        insert.Parameters.AddWithValue("$severity", (long)severity);
        insert.Parameters.AddWithValue("$at", declaredAt.ToUnixTimeMilliseconds());
        return (long)(await insert.ExecuteScalarAsync())!;
    }
}
