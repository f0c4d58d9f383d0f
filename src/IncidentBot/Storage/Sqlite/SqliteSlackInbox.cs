using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using IncidentBot.Slack.Handlers;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Storage.Sqlite;

/// <summary>A Slack work item as stored, with the id that marks it done.</summary>
public sealed record StoredSlackWork(long Id, SlackWorkItem Item);

/// <summary>
/// Slack work is written here before Slack is acknowledged, so a crash or restart after the ack loses
/// nothing: whatever is still in the table when the process starts is run again. An event's id is
/// claimed in the same transaction as its work is stored, so a retried delivery is stored once, even
/// across a restart, and a crash between claim and store cannot swallow the retry.
/// </summary>
/// <remarks>
/// Requests arriving together are written together: one writer takes every item waiting and commits
/// them in one transaction (group commit), so the cost of a commit is shared by a burst instead of paid
/// by each event, and each caller is answered only once its item is committed.
/// </remarks>
public sealed class SqliteSlackInbox : ISlackWorkQueue, IEventDeduplicator, IAsyncDisposable
{
    // Slack stops retrying an event within about an hour.
    private static readonly TimeSpan ClaimWindow = TimeSpan.FromHours(2);
    private const int MaxBatch = 512;

    private readonly SqliteDatabase database;
    private readonly TimeProvider time;
    private readonly ILogger<SqliteSlackInbox> logger;
    private readonly Channel<PendingWrite> pending = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task writer;
    private long claimsSincePrune;

    public SqliteSlackInbox(SqliteDatabase database, TimeProvider time, ILogger<SqliteSlackInbox> logger)
    {
        this.database = database;
        this.time = time;
        this.logger = logger;
        writer = Task.Run(WriteBatchesAsync);
    }

    /// <summary>Stops taking work; what was already handed over is still committed.</summary>
    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await writer;
    }

    /// <summary>A quick look only: the claim itself is taken when the work is stored.</summary>
    public async ValueTask<bool> TryClaimAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM slack_event_claims WHERE event_id = @EventId;",
            new { EventId = eventId }, cancellationToken: cancellationToken)) == 0;
    }

    public ValueTask ReleaseAsync(string eventId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>True once the item is committed; false when it could not be stored, so Slack should send it again.</summary>
    public async ValueTask<bool> TryEnqueueAsync(SlackWorkItem item, CancellationToken cancellationToken = default)
    {
        var write = new PendingWrite(item, item.Kind == SlackWorkKind.Event ? EventIdOf(item.Payload) : null);
        await pending.Writer.WriteAsync(write, cancellationToken);
        return await write.Stored.Task.WaitAsync(cancellationToken);
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

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && pending.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        try
        {
            var now = UnixMs.From(time.GetUtcNow());
            await database.WriteAsync(async (connection, transaction) =>
            {
                foreach (var write in batch)
                {
                    await StoreAsync(connection, transaction, write, now);
                }

                await PruneClaimsAsync(connection, transaction, batch, now);
                return true;
            });
            batch.ForEach(write => write.Stored.TrySetResult(true));
            wakeUp.Writer.TryWrite(true);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Could not store {Count} Slack deliveries; Slack will be asked to send them again", batch.Count);
            batch.ForEach(write => write.Stored.TrySetResult(false));
        }
    }

    private static async Task StoreAsync(SqliteConnection connection, SqliteTransaction transaction, PendingWrite write, long now)
    {
        var isNew = write.EventId is null || await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO slack_event_claims (event_id, claimed_at) VALUES (@EventId, @Now) ON CONFLICT DO NOTHING;",
            new { write.EventId, Now = now }, transaction)) == 1;
        if (isNew)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO slack_work_items (kind, payload, retry_num, retry_reason, enqueued_at)
                VALUES (@Kind, @Payload, @RetryNum, @RetryReason, @Now);
                """,
                new { Kind = write.Item.Kind.ToString(), write.Item.Payload, write.Item.RetryNum, write.Item.RetryReason, Now = now }, transaction));
        }
    }

    private async Task PruneClaimsAsync(SqliteConnection connection, SqliteTransaction transaction, List<PendingWrite> batch, long now)
    {
        var claims = batch.Count(write => write.EventId is not null);
        var before = claimsSincePrune;
        claimsSincePrune += claims;
        if (before / 1000 != claimsSincePrune / 1000)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM slack_event_claims WHERE claimed_at < @Before;",
                new { Before = now - (long)ClaimWindow.TotalMilliseconds }, transaction));
        }
    }

    private static string? EventIdOf(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }

    private sealed record PendingWrite(SlackWorkItem Item, string? EventId)
    {
        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
