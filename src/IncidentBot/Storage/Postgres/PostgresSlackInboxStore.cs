using Dapper;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// The Slack transport's inbox on PostgreSQL, shared by every replica. Accepting is one statement that claims the
/// event id and stores the work together, so a retried delivery is stored once whichever replica it reaches; deliveries
/// arriving together share that statement and its transaction (<see cref="GroupCommit{TItem, TResult}"/>).
/// Reading pending work claims it for this store (<c>FOR UPDATE SKIP LOCKED</c>) until <see cref="StorageOptions.InboxClaimTime"/>
/// has passed, renewed every third of that while it runs: replicas reading at once get different items, in-order work
/// never runs ahead of earlier work held by another replica, and the work of a replica that died is taken over once its
/// claim has lapsed.
/// </summary>
public sealed class PostgresSlackInboxStore : SlackInboxStore
{
    // Deliveries accepted together, in one statement: each row's id is drawn first, in order, so each delivery learns its
    // own; of a batch's deliveries with one event id only the first may claim it, the others are retries.
    private const string AcceptSql = """
        WITH delivery AS (
            SELECT d.*, nextval(pg_get_serial_sequence('slack_work_items', 'id')) AS id
            FROM unnest(@EventId::text[], @Now::bigint[], @Kind::text[], @Payload::text[], @RetryNum::integer[],
                @RetryReason::text[], @AnyOrder::boolean[]) WITH ORDINALITY
                AS d (event_id, now, kind, payload, retry_num, retry_reason, any_order, position)
        ),
        first_delivery AS (
            SELECT DISTINCT ON (event_id) event_id, position, now FROM delivery WHERE event_id IS NOT NULL ORDER BY event_id, position
        ),
        claim AS (
            INSERT INTO slack_event_claims (event_id, claimed_at) SELECT event_id, now FROM first_delivery
            ON CONFLICT DO NOTHING
            RETURNING event_id
        ),
        stored AS (
            INSERT INTO slack_work_items (id, kind, payload, retry_num, retry_reason, enqueued_at, any_order)
            SELECT d.id, d.kind, d.payload, d.retry_num, d.retry_reason, d.now, d.any_order FROM delivery d
            WHERE d.event_id IS NULL
                OR EXISTS (SELECT 1 FROM claim c JOIN first_delivery f USING (event_id) WHERE c.event_id = d.event_id AND f.position = d.position)
            RETURNING id
        )
        SELECT d.position, d.id FROM delivery d JOIN stored USING (id);
        """;

    // Under load a batch gathers while the one before it commits; two at a time keep a round trip from idling the rest.
    private const int AcceptWriters = 2;
    private const int MaxAcceptBatch = 64;

    // Claims are taken one replica at a time (a transaction-scoped advisory lock), so each sees the others' claims.
    private const string LockClaimsSql = "SELECT pg_advisory_xact_lock(@Key);";

    private const string ReadCandidatesSql = """
        SELECT id, any_order, claimed_by IS NOT NULL AND claimed_by <> @Owner AND claimed_until >= @Now AS held_elsewhere
        FROM slack_work_items
        WHERE id > @AfterId
        ORDER BY id LIMIT @Window
        FOR UPDATE SKIP LOCKED;
        """;

    private const string ClaimSql = """
        UPDATE slack_work_items SET claimed_by = @Owner, claimed_until = @Until
        WHERE id = ANY(@Ids)
        RETURNING id, kind, payload, retry_num, retry_reason, any_order, enqueued_at;
        """;

    // Other replicas' work stepped over while looking for this one's.
    private const int MaxHeldElsewhere = 4096;

    // Says which process holds work (host and process id: e.g. a container's name and 1) to someone reading the table.
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private readonly PostgresDatabase database;
    private readonly long claimLockKey;
    private readonly TimeSpan claimTime;
    private readonly GroupCommit<(SlackWorkItem Item, long Now), long?> accepts;

    public PostgresSlackInboxStore(PostgresDatabase database, IOptions<StorageOptions> options, TimeProvider time, ILogger<PostgresSlackInboxStore> logger)
        : base(database, time, logger)
    {
        this.database = database;
        claimLockKey = database.LockKey("inbox claims");
        claimTime = options.Value.InboxClaimTime;
        accepts = new GroupCommit<(SlackWorkItem Item, long Now), long?>(StoreTogetherAsync, AcceptWriters, MaxAcceptBatch);
    }

    /// <summary>
    /// Claims for this replica the pending work it may run now, in order: work no other replica holds, up to the first
    /// in-order item that would have to jump over work held elsewhere. Another replica's any-order work is stepped over.
    /// </summary>
    public override async Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow();
        var claim = new { Owner = owner, Now = UnixMs.From(now), Until = UnixMs.From(now + claimTime), AfterId = afterId, Window = limit + MaxHeldElsewhere };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(LockClaimsSql, new { Key = claimLockKey }, transaction, cancellationToken: cancellationToken));
        var candidates = await connection.QueryAsync<(long Id, bool AnyOrder, bool HeldElsewhere)>(
            new CommandDefinition(ReadCandidatesSql, claim, transaction, cancellationToken: cancellationToken));
        var ids = Claimable(candidates, limit);
        var rows = ids.Count == 0
            ? []
            : await connection.QueryAsync<(long Id, string Kind, string Payload, int RetryNum, string? RetryReason, bool AnyOrder, long EnqueuedAt)>(
                new CommandDefinition(ClaimSql, new { claim.Owner, claim.Until, Ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.OrderBy(row => row.Id).Select(row => new PendingSlackWork(
            row.Id,
            TryGetAccepted(row.Id, out var accepted)
                ? accepted
                : FromRow(row.Kind, row.Payload, row.RetryNum, row.RetryReason, row.AnyOrder, row.EnqueuedAt))).ToList();
    }

    // A third of the claim time: two renewals may fail (or come late) before the claim lapses.
    public override TimeSpan? RenewClaimsEvery => claimTime / 3;

    /// <summary>Claims for another claim time the work this replica still holds; what another took meanwhile stays theirs.</summary>
    public override async Task RenewClaimsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE slack_work_items SET claimed_until = @Until WHERE id = ANY(@Ids) AND claimed_by = @Owner;",
            new { Owner = owner, Until = UnixMs.From(Time.GetUtcNow() + claimTime), Ids = ids.ToArray() },
            cancellationToken: cancellationToken));
    }

    /// <summary>The ids to claim: in order, stepping over work held elsewhere only while it and all before it may run in any order.</summary>
    internal static List<long> Claimable(IEnumerable<(long Id, bool AnyOrder, bool HeldElsewhere)> candidates, int limit)
    {
        var ids = new List<long>();
        var steppedOver = false;
        foreach (var (id, anyOrder, heldElsewhere) in candidates)
        {
            if (ids.Count == limit || (!anyOrder && (heldElsewhere || steppedOver)))
            {
                break;
            }

            if (heldElsewhere)
            {
                steppedOver = true;
                continue;
            }

            ids.Add(id);
        }

        return ids;
    }

    protected override Task<long?> StoreAsync(SlackWorkItem item, long now, CancellationToken cancellationToken) =>
        accepts.WriteAsync((item, now), cancellationToken);

    /// <returns>For each delivery in order, its stored id, or null when its event id was claimed before.</returns>
    private async Task<IReadOnlyList<long?>> StoreTogetherAsync(IReadOnlyList<(SlackWorkItem Item, long Now)> deliveries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var stored = (await connection.QueryAsync<(long Position, long Id)>(new CommandDefinition(AcceptSql, new
        {
            EventId = deliveries.Select(d => d.Item.EventId).ToArray(),
            Now = deliveries.Select(d => d.Now).ToArray(),
            Kind = deliveries.Select(d => d.Item.Kind.ToString()).ToArray(),
            Payload = deliveries.Select(d => d.Item.Payload).ToArray(),
            RetryNum = deliveries.Select(d => d.Item.RetryNum).ToArray(),
            RetryReason = deliveries.Select(d => d.Item.RetryReason).ToArray(),
            AnyOrder = deliveries.Select(d => d.Item.Order == SlackWorkOrder.AnyOrder).ToArray(),
        }, cancellationToken: cancellationToken))).ToDictionary(row => row.Position, row => row.Id);
        return [.. deliveries.Select((_, i) => stored.TryGetValue(i + 1, out var id) ? id : (long?)null)];
    }

    protected override async Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM slack_work_items WHERE id = ANY(@Ids);", new { Ids = ids.ToArray() }, cancellationToken: cancellationToken));
    }
}
