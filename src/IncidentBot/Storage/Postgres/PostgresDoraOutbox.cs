using Dapper;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// The outbox on PostgreSQL's <c>dora_outbox</c> table, whose rows the trigger of schema step 6 writes. Replicas claim
/// due rows with <c>FOR UPDATE SKIP LOCKED</c>, so two of them never send one row at once.
/// </summary>
public sealed class PostgresDoraOutbox(PostgresDatabase database) : IDoraOutbox
{
    private const string Columns = SqliteDoraOutbox.Columns;

    public async Task<IReadOnlyList<DoraOutboxRecord>> ClaimDueAsync(
        DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DoraOutboxRow>(new CommandDefinition($"""
            UPDATE dora_outbox SET attempts = attempts + 1, next_attempt_at = @LeasedUntil
            WHERE id IN (SELECT id FROM dora_outbox
                         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= @Now
                         ORDER BY next_attempt_at, id LIMIT @Limit
                         FOR UPDATE SKIP LOCKED)
            RETURNING {Columns};
            """,
            new { Now = UnixMs.From(now), LeasedUntil = UnixMs.From(now + lease), Limit = limit },
            cancellationToken: cancellationToken));
        return rows.OrderBy(row => row.Id).Select(row => row.ToRecord()).ToList();
    }

    public Task MarkDeliveredAsync(long id, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE dora_outbox SET delivered_at = @At, last_error = NULL WHERE id = @Id;", new { Id = id, At = UnixMs.From(deliveredAt) }, cancellationToken);

    public Task RetryLaterAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE dora_outbox SET next_attempt_at = @At, last_error = @Error WHERE id = @Id AND delivered_at IS NULL;",
            new { Id = id, At = UnixMs.From(nextAttemptAt), Error = error },
            cancellationToken);

    public Task GiveUpAsync(long id, DateTimeOffset failedAt, string error, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE dora_outbox SET failed_at = @At, last_error = @Error WHERE id = @Id AND delivered_at IS NULL;",
            new { Id = id, At = UnixMs.From(failedAt), Error = error },
            cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return UnixMs.To(await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(next_attempt_at) FROM dora_outbox WHERE delivered_at IS NULL AND failed_at IS NULL;", cancellationToken: cancellationToken)));
    }

    public async Task<IReadOnlyList<DoraOutboxRecord>> ListAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DoraOutboxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM dora_outbox WHERE occurred_at >= @Since ORDER BY occurred_at, id LIMIT @Limit;",
            new { Since = UnixMs.From(since), Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRecord()).ToList();
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
