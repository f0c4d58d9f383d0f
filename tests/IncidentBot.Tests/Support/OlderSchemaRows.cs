using IncidentBot.Incidents;
using IncidentBot.Storage.Postgres;
using IncidentBot.Storage.Sqlite;
using Npgsql;

namespace IncidentBot.Tests.Support;

/// <summary>
/// Rows written as the first schema version wrote them, for databases from before an upgrade: today's store writes
/// columns that older versions did not have.
/// </summary>
internal static class OlderSchemaRows
{
    private const string InsertIncidentSql = """
        INSERT INTO incidents (title, severity, status, declared_at, updated_at, version)
        VALUES ($title, $severity, 'active', $at, $at, 1)
        RETURNING number;
        """;

    /// <returns>The incident's number.</returns>
    public static async Task<long> InsertIncidentAsync(SqliteDatabase database, string title, Severity severity, DateTimeOffset declaredAt)
    {
        await using var connection = await database.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = InsertIncidentSql;
        insert.Parameters.AddWithValue("$title", title);
        insert.Parameters.AddWithValue("$severity", (long)severity);
        insert.Parameters.AddWithValue("$at", declaredAt.ToUnixTimeMilliseconds());
        return (long)(await insert.ExecuteScalarAsync())!;
    }

    /// <returns>The incident's number.</returns>
    public static async Task<long> InsertIncidentAsync(PostgresDatabase database, string title, Severity severity, DateTimeOffset declaredAt)
    {
        await using var connection = await database.OpenAsync();
        await using var insert = new NpgsqlCommand(InsertIncidentSql.Replace('$', '@'), connection);
        insert.Parameters.AddWithValue("title", title);
        insert.Parameters.AddWithValue("severity", (int)severity);
        insert.Parameters.AddWithValue("at", declaredAt.ToUnixTimeMilliseconds());
        return (long)(await insert.ExecuteScalarAsync())!;
    }
}
