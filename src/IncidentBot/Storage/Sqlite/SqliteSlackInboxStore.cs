using Dapper;
using IncidentBot.Slack.Handlers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;

namespace IncidentBot.Storage.Sqlite;

/// <summary>
/// The Slack transport's inbox on the SQLite file: work is written here before Slack is acknowledged, so a crash or
/// restart after the ack loses nothing: whatever is still pending when the process starts runs again. An event's id
/// is claimed in the same transaction as its work is stored, so a retried delivery is stored once, even across a
/// restart, and a crash between claim and store cannot swallow the retry. Deliveries arriving together are committed
/// together (<see cref="SqliteDatabase.WriteAsync{T}"/>).
/// </summary>
public sealed class SqliteSlackInboxStore(SqliteDatabase database, TimeProvider time, ILogger<SqliteSlackInboxStore> logger)
    : ISlackInboxStore
{
    // Slack stops retrying an event within about an hour.
    private static readonly TimeSpan ClaimWindow = TimeSpan.FromHours(2);

    private const string ClaimSql = "INSERT INTO slack_event_claims (event_id, claimed_at) VALUES (@EventId, @Now) ON CONFLICT DO NOTHING;";

    private const string StoreSql = """
        INSERT INTO slack_work_items (kind, payload, retry_num, retry_reason, enqueued_at, any_order)
        VALUES (@Kind, @Payload, @RetryNum, @RetryReason, @Now, @AnyOrder)
        RETURNING id;
        """;

    // Work this process accepted and has not yet completed, as accepted (with the parsed payload), by stored id.
    private const int MaxKeptInMemory = 10_000;
    private readonly ConcurrentDictionary<long, SlackWorkItem> acceptedHere = new();
    private int keptInMemory;

    private readonly Channel<bool> wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long claimsSincePrune;

    public async ValueTask<Acceptance> AcceptAsync(SlackWorkItem item, CancellationToken cancellationToken = default)
    {
        var now = UnixMs.From(time.GetUtcNow());
        long? storedId;
        try
        {
            storedId = await database.WriteAsync(async (connection, transaction) =>
            {
                var claimed = item.EventId is null || await connection.Statement(ClaimSql, transaction)
                    .With("@EventId", item.EventId).With("@Now", now).ExecuteNonQueryAsync() == 1;
                long? id = null;
                if (claimed)
                {
                    id = (long?)await connection.Statement(StoreSql, transaction)
                        .With("@Kind", item.Kind.ToString()).With("@Payload", item.Payload).With("@RetryNum", item.RetryNum)
                        .With("@RetryReason", item.RetryReason).With("@Now", now).With("@AnyOrder", item.Order == SlackWorkOrder.AnyOrder)
                        .ExecuteScalarAsync();
                }

                if (item.EventId is not null && Interlocked.Increment(ref claimsSincePrune) % 1000 == 0)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "DELETE FROM slack_event_claims WHERE claimed_at < @Before;",
                        new { Before = now - (long)ClaimWindow.TotalMilliseconds }, transaction));
                }

                return id;
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Could not store a Slack {Kind}; Slack will be asked to send it again", item.Kind);
            return Acceptance.Rejected;
        }

        if (storedId is not { } stored)
        {
            return Acceptance.Duplicate;
        }

        // Counted apart: ConcurrentDictionary.Count takes every lock, on each ack.
        if (Interlocked.Increment(ref keptInMemory) <= MaxKeptInMemory)
        {
            acceptedHere[stored] = item;
        }
        else
        {
            Interlocked.Decrement(ref keptInMemory);
        }

        wakeUp.Writer.TryWrite(true);
        return Acceptance.Queued;
    }

    public async Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default)
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
            if (acceptedHere.TryGetValue(row.Id, out var accepted))
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
            pending.AddRange(unknown.Where(row => payloads.ContainsKey(row.Id)).Select(row => new PendingSlackWork(row.Id, new SlackWorkItem(
                Enum.Parse<SlackWorkKind>(row.Kind), payloads[row.Id], (int)row.RetryNum, row.RetryReason,
                Order: row.AnyOrder ? SlackWorkOrder.AnyOrder : SlackWorkOrder.InOrder)
            {
                AcceptedAt = UnixMs.To(row.EnqueuedAt),
            })));
            pending.Sort((a, b) => a.Id.CompareTo(b.Id));
        }

        return pending;
    }

    public async Task CompleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return;
        }

        foreach (var id in ids)
        {
            if (acceptedHere.TryRemove(id, out _))
            {
                Interlocked.Decrement(ref keptInMemory);
            }
        }

        // One statement text for any number of ids, so it is prepared once.
        var idList = JsonSerializer.Serialize(ids);
        await database.WriteAsync(async (connection, transaction) => await connection.Statement(
                "DELETE FROM slack_work_items WHERE id IN (SELECT value FROM json_each(@Ids));", transaction)
            .With("@Ids", idList).ExecuteNonQueryAsync(cancellationToken),
            WriteLane.Background, cancellationToken);
    }

    public async Task WaitForWorkAsync(CancellationToken cancellationToken) => await wakeUp.Reader.ReadAsync(cancellationToken);

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM slack_work_items;", cancellationToken: cancellationToken));
    }
}
