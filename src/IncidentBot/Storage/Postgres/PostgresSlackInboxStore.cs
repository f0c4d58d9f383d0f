using Dapper;
using IncidentBot.Slack.Handlers;
using IncidentBot.Storage.Sqlite;

namespace IncidentBot.Storage.Postgres;

/// <summary>
/// The Slack transport's inbox on PostgreSQL, shared by every replica. Accepting is one statement that claims the
/// event id and stores the work together, so a retried delivery is stored once whichever replica it reaches.
/// Reading pending work claims it for this store (<c>FOR UPDATE SKIP LOCKED</c>) until <see cref="ClaimTime"/> has
/// passed, renewed every <see cref="ClaimRenewal"/> while it runs: replicas reading at once get different items, in-order
/// work never runs ahead of earlier work held by another replica, and the work of a replica that died is taken over once
/// its claim has lapsed.
/// </summary>
public sealed class PostgresSlackInboxStore : SlackInboxStore
{
    /// <summary>How long work read by one replica is kept from the others, unless renewed while it runs.</summary>
    public static readonly TimeSpan ClaimTime = TimeSpan.FromSeconds(10);

    /// <summary>A third of the claim time: two renewals may fail (or come late) before the claim lapses.</summary>
    public static readonly TimeSpan ClaimRenewal = ClaimTime / 3;

    private const string AcceptSql = """
        WITH claim AS (
            INSERT INTO slack_event_claims (event_id, claimed_at) SELECT @EventId, @Now WHERE @EventId IS NOT NULL
            ON CONFLICT DO NOTHING
            RETURNING event_id
        )
        INSERT INTO slack_work_items (kind, payload, retry_num, retry_reason, enqueued_at, any_order)
        SELECT @Kind, @Payload, @RetryNum, @RetryReason, @Now, @AnyOrder
        WHERE @EventId IS NULL OR EXISTS (SELECT 1 FROM claim)
        RETURNING id;
        """;

    // Claims are taken one replica at a time (a transaction-scoped advisory lock), so each sees the others' claims.
    private const long ClaimLockKey = 0x494E_4342_0002;
    private static readonly string LockClaimsSql = $"SELECT pg_advisory_xact_lock({ClaimLockKey});";

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

    private readonly string owner = Guid.NewGuid().ToString("N");

    private readonly PostgresDatabase database;

    public PostgresSlackInboxStore(PostgresDatabase database, TimeProvider time, ILogger<PostgresSlackInboxStore> logger)
        : base(database, time, logger) => this.database = database;

    /// <summary>
    /// Claims for this replica the pending work it may run now, in order: work no other replica holds, up to the first
    /// in-order item that would have to jump over work held elsewhere. Another replica's any-order work is stepped over.
    /// </summary>
    public override async Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow();
        var claim = new { Owner = owner, Now = UnixMs.From(now), Until = UnixMs.From(now + ClaimTime), AfterId = afterId, Window = limit + MaxHeldElsewhere };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(LockClaimsSql, transaction: transaction, cancellationToken: cancellationToken));
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

    public override TimeSpan? RenewClaimsEvery => ClaimRenewal;

    /// <summary>Claims for another <see cref="ClaimTime"/> the work this replica still holds; what another took meanwhile stays theirs.</summary>
    public override async Task RenewClaimsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE slack_work_items SET claimed_until = @Until WHERE id = ANY(@Ids) AND claimed_by = @Owner;",
            new { Owner = owner, Until = UnixMs.From(Time.GetUtcNow() + ClaimTime), Ids = ids.ToArray() },
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

    protected override async Task<long?> StoreAsync(SlackWorkItem item, long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(AcceptSql, new
        {
            item.EventId,
            Now = now,
            Kind = item.Kind.ToString(),
            item.Payload,
            item.RetryNum,
            item.RetryReason,
            AnyOrder = item.Order == SlackWorkOrder.AnyOrder,
        }, cancellationToken: cancellationToken));
    }

    protected override async Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM slack_work_items WHERE id = ANY(@Ids);", new { Ids = ids.ToArray() }, cancellationToken: cancellationToken));
    }
}
