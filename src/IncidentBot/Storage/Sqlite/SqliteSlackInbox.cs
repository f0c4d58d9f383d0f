using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using IncidentBot.Slack.Handlers;

namespace IncidentBot.Storage.Sqlite;

/// <summary>A Slack work item as stored, with the id that marks it done.</summary>
public sealed record StoredSlackWork(long Id, SlackWorkItem Item);

/// <summary>
/// Slack work is written here before Slack is acknowledged, so a crash or restart after the ack loses
/// nothing: whatever is still in the table when the process starts is run again. An event's id is
/// claimed in the same transaction as its work is stored, so a retried delivery is stored once, even
/// across a restart, and a crash between claim and store cannot swallow the retry.
/// </summary>
public sealed class SqliteSlackInbox(SqliteDatabase database, TimeProvider time) : ISlackWorkQueue, IEventDeduplicator
{
    // Slack stops retrying an event within about an hour.
    private static readonly TimeSpan ClaimWindow = TimeSpan.FromHours(2);

    private readonly Channel<bool> wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long claimsSincePrune;

    /// <summary>A quick look only: the claim itself is taken when the work is stored.</summary>
    public async ValueTask<bool> TryClaimAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM slack_event_claims WHERE event_id = @EventId;",
            new { EventId = eventId }, cancellationToken: cancellationToken)) == 0;
    }

    public ValueTask ReleaseAsync(string eventId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async ValueTask<bool> TryEnqueueAsync(SlackWorkItem item, CancellationToken cancellationToken = default)
    {
        var now = UnixMs.From(time.GetUtcNow());
        var eventId = item.Kind == SlackWorkKind.Event ? EventIdOf(item.Payload) : null;
        await database.WriteAsync(async (connection, transaction) =>
        {
            var isNew = eventId is null || await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO slack_event_claims (event_id, claimed_at) VALUES (@EventId, @Now) ON CONFLICT DO NOTHING;",
                new { EventId = eventId, Now = now }, transaction, cancellationToken: cancellationToken)) == 1;
            if (isNew)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO slack_work_items (kind, payload, retry_num, retry_reason, enqueued_at)
                    VALUES (@Kind, @Payload, @RetryNum, @RetryReason, @Now);
                    """,
                    new { Kind = item.Kind.ToString(), item.Payload, item.RetryNum, item.RetryReason, Now = now }, transaction, cancellationToken: cancellationToken));
            }

            if (eventId is not null && Interlocked.Increment(ref claimsSincePrune) % 1000 == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM slack_event_claims WHERE claimed_at < @Before;",
                    new { Before = now - (long)ClaimWindow.TotalMilliseconds }, transaction, cancellationToken: cancellationToken));
            }

            return isNew;
        }, cancellationToken);

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

    public async Task CompleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM slack_work_items WHERE id = @Id;", new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <summary>Completes when new work may have arrived since the last call.</summary>
    public async Task WaitForWorkAsync(CancellationToken cancellationToken) => await wakeUp.Reader.ReadAsync(cancellationToken);

    private static string? EventIdOf(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }
}
