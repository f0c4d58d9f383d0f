using System.Text.Json;
using Dapper;
using IncidentBot.Slack.Handlers;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// The Slack transport's inbox on the SQLite file: work is written here before Slack is acknowledged, so a crash or
/// restart after the ack loses nothing: whatever is still pending when the process starts runs again. An event's id
/// is claimed in the same transaction as its work is stored, so a retried delivery is stored once, even across a
/// restart, and a crash between claim and store cannot swallow the retry. Deliveries arriving together are committed
/// together (<see cref="SqliteDatabase.WriteAsync{T}"/>), through statements prepared once.
/// </summary>
public sealed class SqliteSlackInboxStore : SlackInboxStore
{
    private const string ClaimSql = "INSERT INTO slack_event_claims (event_id, claimed_at) VALUES (@EventId, @Now) ON CONFLICT DO NOTHING;";

    private const string StoreSql = """
        INSERT INTO slack_work_items (kind, payload, retry_num, retry_reason, enqueued_at, any_order)
        VALUES (@Kind, @Payload, @RetryNum, @RetryReason, @Now, @AnyOrder)
        RETURNING id;
        """;

    private readonly SqliteDatabase database;

    public SqliteSlackInboxStore(SqliteDatabase database, TimeProvider time, ILogger<SqliteSlackInboxStore> logger)
        : base(database, time, logger) => this.database = database;

    public override async Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Kind, long RetryNum, string? RetryReason, bool AnyOrder, long EnqueuedAt)>(
            new CommandDefinition("""
                SELECT id, kind, retry_num, retry_reason, any_order, enqueued_at FROM slack_work_items
                WHERE id > @AfterId ORDER BY id LIMIT @Limit;
                """, new { AfterId = afterId, Limit = limit }, cancellationToken: cancellationToken));
        var pending = new List<PendingSlackWork>();
        var unknown = new List<(long Id, string Kind, long RetryNum, string? RetryReason, bool AnyOrder, long EnqueuedAt)>();
        foreach (var row in rows)
        {
            if (TryGetAccepted(row.Id, out var accepted))
            {
                pending.Add(new PendingSlackWork(row.Id, accepted));
            }
            else
            {
                unknown.Add(row);
            }
        }

        // Only work accepted before a restart, or by another process, is read back with its payload.
        if (unknown.Count > 0)
        {
            var payloads = (await connection.QueryAsync<(long Id, string Payload)>(new CommandDefinition(
                "SELECT id, payload FROM slack_work_items WHERE id IN (SELECT value FROM json_each(@Ids));",
                new { Ids = JsonSerializer.Serialize(unknown.Select(row => row.Id)) }, cancellationToken: cancellationToken)))
                .ToDictionary(row => row.Id, row => row.Payload);
            pending.AddRange(unknown.Where(row => payloads.ContainsKey(row.Id)).Select(row => new PendingSlackWork(
                row.Id, FromRow(row.Kind, payloads[row.Id], row.RetryNum, row.RetryReason, row.AnyOrder, row.EnqueuedAt))));
            pending.Sort((a, b) => a.Id.CompareTo(b.Id));
        }

        return pending;
    }

    protected override Task<long?> StoreAsync(SlackWorkItem item, long now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var claimed = item.EventId is null || await connection.Statement(ClaimSql, transaction)
                .With("@EventId", item.EventId).With("@Now", now).ExecuteNonQueryAsync() == 1;
            return claimed
                ? (long?)await connection.Statement(StoreSql, transaction)
                    .With("@Kind", item.Kind.ToString()).With("@Payload", item.Payload).With("@RetryNum", item.RetryNum)
                    .With("@RetryReason", item.RetryReason).With("@Now", now).With("@AnyOrder", item.Order == SlackWorkOrder.AnyOrder)
                    .ExecuteScalarAsync()
                : null;
        }, cancellationToken);

    protected override Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        // One statement text for any number of ids, so it is prepared once.
        var idList = JsonSerializer.Serialize(ids);
        return database.WriteAsync(async (connection, transaction) => await connection.Statement(
                "DELETE FROM slack_work_items WHERE id IN (SELECT value FROM json_each(@Ids));", transaction)
            .With("@Ids", idList).ExecuteNonQueryAsync(cancellationToken),
            WriteLane.Background, cancellationToken);
    }
}
