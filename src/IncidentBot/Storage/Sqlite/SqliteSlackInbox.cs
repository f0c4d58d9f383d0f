using Dapper;
using IncidentBot.Slack.Handlers;
using System.Threading.Channels;

namespace IncidentBot.Storage.Sqlite;

/// <summary>A Slack work item as stored, with the id that marks it done.</summary>
public sealed record StoredSlackWork(long Id, SlackWorkItem Item);

/// <summary>
/// Slack work is written here before Slack is acknowledged, so a crash or restart after the ack loses
/// nothing: whatever is still in the table when the process starts is run again. An event's id is
/// claimed in the same transaction as its work is stored, so a retried delivery is stored once, even
/// across a restart, and a crash between claim and store cannot swallow the retry. Deliveries arriving
/// together are committed together (<see cref="SqliteDatabase.WriteAsync{T}"/>).
/// </summary>
public sealed class SqliteSlackInbox(SqliteDatabase database, TimeProvider time, ILogger<SqliteSlackInbox> logger)
    : ISlackWorkQueue, IEventDeduplicator
{
    // Slack stops retrying an event within about an hour.
    private static readonly TimeSpan ClaimWindow = TimeSpan.FromHours(2);

    private readonly Channel<bool> wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long claimsSincePrune;

    /// <summary>Always yes: the claim is taken when the work is stored, where a duplicate is dropped.</summary>
    public ValueTask<bool> TryClaimAsync(string eventId, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

    public ValueTask ReleaseAsync(string eventId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>True once the item is committed; false when it could not be stored, so Slack should send it again.</summary>
    public async ValueTask<bool> TryEnqueueAsync(SlackWorkItem item, CancellationToken cancellationToken = default)
    {
        var now = UnixMs.From(time.GetUtcNow());
        try
        {
            await database.WriteAsync(async (connection, transaction) =>
            {
                var isNew = item.EventId is null || await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO slack_event_claims (event_id, claimed_at) VALUES (@EventId, @Now) ON CONFLICT DO NOTHING;",
                    new { item.EventId, Now = now }, transaction)) == 1;
                if (isNew)
                {
                    await connection.ExecuteAsync(new CommandDefinition("""
                        INSERT INTO slack_work_items (kind, payload, retry_num, retry_reason, enqueued_at)
                        VALUES (@Kind, @Payload, @RetryNum, @RetryReason, @Now);
                        """,
                        new { Kind = item.Kind.ToString(), item.Payload, item.RetryNum, item.RetryReason, Now = now }, transaction));
                }

                if (item.EventId is not null && Interlocked.Increment(ref claimsSincePrune) % 1000 == 0)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "DELETE FROM slack_event_claims WHERE claimed_at < @Before;",
                        new { Before = now - (long)ClaimWindow.TotalMilliseconds }, transaction));
                }

                return isNew;
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Could not store a Slack {Kind}; Slack will be asked to send it again", item.Kind);
            return false;
        }

        wakeUp.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Oldest first, after <paramref name="afterId"/>.</summary>
    public async Task<IReadOnlyList<StoredSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Kind, string Payload, long RetryNum, string? RetryReason)>(new CommandDefinition("""
            SELECT id, kind, payload, retry_num, retry_reason FROM slack_work_items
            WHERE id > @AfterId ORDER BY id LIMIT @Limit;
            """, new { AfterId = afterId, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(row => new StoredSlackWork(
            row.Id,
            new SlackWorkItem(Enum.Parse<SlackWorkKind>(row.Kind), row.Payload, (int)row.RetryNum, row.RetryReason))).ToList();
    }

    public async Task CompleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM slack_work_items WHERE id IN @Ids;", new { Ids = ids }, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Completes when new work may have arrived since the last call.</summary>
    public async Task WaitForWorkAsync(CancellationToken cancellationToken) => await wakeUp.Reader.ReadAsync(cancellationToken);
}
