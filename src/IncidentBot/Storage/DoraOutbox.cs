using Dapper;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage;

/// <summary>
/// The outbox on the <c>dora_outbox</c> table, whose rows the schema's triggers write (SQLite step 10, PostgreSQL
/// step 6). Due rows are claimed with <see cref="IStorageDatabase.SkipLockedRows"/>, so two replicas never send one row at once.
/// </summary>
public sealed class DoraOutbox(IStorageDatabase database) : IDoraOutbox
{
    private const string Columns = "id, incident_number, event, occurred_at, attempts, delivered_at, failed_at, last_error";

    // The sender may read before anything else has touched the store.
    static DoraOutbox() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public Task<IReadOnlyList<DoraOutboxRecord>> ClaimDueAsync(
        DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default) =>
        database.WriteAsync<IReadOnlyList<DoraOutboxRecord>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<DoraOutboxRow>(new CommandDefinition($"""
                UPDATE dora_outbox SET attempts = attempts + 1, next_attempt_at = @LeasedUntil
                WHERE id IN (SELECT id FROM dora_outbox
                             WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= @Now
                             ORDER BY next_attempt_at, id LIMIT @Limit
                             {database.SkipLockedRows})
                RETURNING {Columns};
                """,
                new { Now = UnixMs.From(now), LeasedUntil = UnixMs.From(now + lease), Limit = limit },
                transaction,
                cancellationToken: cancellationToken));
            return rows.OrderBy(row => row.Id).Select(row => row.ToRecord()).ToList();
        }, WriteLane.Background, cancellationToken);

    public Task MarkDeliveredAsync(long id, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default) =>
        Update("UPDATE dora_outbox SET delivered_at = @At, last_error = NULL WHERE id = @Id;", new { Id = id, At = UnixMs.From(deliveredAt) }, cancellationToken);

    public Task RetryLaterAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default) =>
        Update(
            "UPDATE dora_outbox SET next_attempt_at = @At, last_error = @Error WHERE id = @Id AND delivered_at IS NULL;",
            new { Id = id, At = UnixMs.From(nextAttemptAt), Error = error },
            cancellationToken);

    public Task GiveUpAsync(long id, DateTimeOffset failedAt, string error, CancellationToken cancellationToken = default) =>
        Update(
            "UPDATE dora_outbox SET failed_at = @At, last_error = @Error WHERE id = @Id AND delivered_at IS NULL;",
            new { Id = id, At = UnixMs.From(failedAt), Error = error },
            cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var due = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(next_attempt_at) FROM dora_outbox WHERE delivered_at IS NULL AND failed_at IS NULL;", cancellationToken: cancellationToken));
        return UnixMs.To(due);
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

    private Task Update(string sql, object parameters, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)),
            WriteLane.Background,
            cancellationToken);
}

/// <summary>A row of <c>dora_outbox</c>, alike in both providers' schemas.</summary>
internal sealed class DoraOutboxRow
{
    public long Id { get; set; }
    public long IncidentNumber { get; set; }
    public string Event { get; set; } = "";
    public long OccurredAt { get; set; }
    public int Attempts { get; set; }
    public long? DeliveredAt { get; set; }
    public long? FailedAt { get; set; }
    public string? LastError { get; set; }

    public DoraOutboxRecord ToRecord() => new(
        Id,
        IncidentNumber,
        Event == "resolved" ? DoraEventKind.Resolved : DoraEventKind.Declared,
        UnixMs.To(OccurredAt),
        Attempts,
        UnixMs.To(DeliveredAt),
        UnixMs.To(FailedAt),
        LastError);
}
