using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Dapper;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage;

/// <summary>
/// The Slack transport's inbox in the database, as far as it is alike on both providers: work accepted here is kept in
/// memory with its parsed payload until it is completed, so running it parses nothing again; accepting wakes the
/// processor; event ids claimed longer ago than Slack retries are forgotten. How work is stored, read and deleted is
/// each provider's (<see cref="SqliteSlackInboxStore"/>, <see cref="PostgresSlackInboxStore"/>).
/// </summary>
public abstract class SlackInboxStore(IStorageDatabase database, TimeProvider time, ILogger logger) : ISlackInboxStore
{
    // Slack stops retrying an event within about an hour.
    private static readonly TimeSpan ClaimWindow = TimeSpan.FromHours(2);

    // On SQLite the prune scans every claim kept (schema step 13): at most the two hours' worth Slack may send
    // (30,000 events an hour a workspace), once in ten minutes.
    private static readonly long PruneEveryMs = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
    private const string PruneClaimsSql = "DELETE FROM slack_event_claims WHERE claimed_at < @Before;";

    // Work this process accepted and has not yet completed, as accepted (with the parsed payload), by stored id.
    private const int MaxKeptInMemory = 10_000;
    private readonly ConcurrentDictionary<long, SlackWorkItem> acceptedHere = new();
    private int keptInMemory;

    private readonly Channel<bool> wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long nextPruneAt;

    protected TimeProvider Time => time;

    public async ValueTask<Acceptance> AcceptAsync(SlackWorkItem item, CancellationToken cancellationToken = default)
    {
        var now = UnixMs.From(time.GetUtcNow());
        long? storedId;
        try
        {
            storedId = await StoreAsync(item, now, cancellationToken);
            if (item.EventId is not null && IsPruneDue(now))
            {
                // In the waiting lane: this acknowledgement waits for it, and a background write may wait behind many.
                await database.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
                    PruneClaimsSql, new { Before = now - (long)ClaimWindow.TotalMilliseconds }, transaction, cancellationToken: cancellationToken)),
                    WriteLane.Waiting, cancellationToken);
            }
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

    /// <summary>True for one caller at a time: at the first claim of this process, then at the first claim ten minutes or more after the last prune.</summary>
    private bool IsPruneDue(long now)
    {
        var due = Volatile.Read(ref nextPruneAt);
        return now >= due && Interlocked.CompareExchange(ref nextPruneAt, now + PruneEveryMs, due) == due;
    }

    public abstract Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default);

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

        await DeleteAsync(ids, cancellationToken);
    }

    /// <summary>Null: a claim of this store cannot be lost, unless a provider says otherwise.</summary>
    public virtual TimeSpan? RenewClaimsEvery => null;

    public virtual Task RenewClaimsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task WaitForWorkAsync(CancellationToken cancellationToken) => await wakeUp.Reader.ReadAsync(cancellationToken);

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM slack_work_items;", cancellationToken: cancellationToken));
    }

    /// <summary>Claims the item's event id, when it has one, and stores the work, in one write.</summary>
    /// <returns>The stored id; null when the event id was claimed before (a retried delivery).</returns>
    protected abstract Task<long?> StoreAsync(SlackWorkItem item, long now, CancellationToken cancellationToken);

    protected abstract Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>The work as accepted by this process, with its parsed payload, while it is not completed.</summary>
    protected bool TryGetAccepted(long id, [MaybeNullWhen(false)] out SlackWorkItem item) => acceptedHere.TryGetValue(id, out item);

    /// <summary>Work read back from its row: accepted before a restart, or by another replica.</summary>
    protected static SlackWorkItem FromRow(string kind, string payload, long retryNum, string? retryReason, bool anyOrder, long enqueuedAt) =>
        new(Enum.Parse<SlackWorkKind>(kind), payload, (int)retryNum, retryReason, Order: anyOrder ? SlackWorkOrder.AnyOrder : SlackWorkOrder.InOrder)
        {
            AcceptedAt = UnixMs.To(enqueuedAt),
        };
}
