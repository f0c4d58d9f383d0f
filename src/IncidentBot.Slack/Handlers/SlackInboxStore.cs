namespace IncidentBot.Slack.Handlers;

public enum SlackWorkKind
{
    Event,
    BlockActions,
}

/// <summary>Whether a piece of work must wait for the work accepted before it.</summary>
public enum SlackWorkOrder
{
    /// <summary>Runs after everything accepted before it, alone: its effect depends on order (a state change, a click).</summary>
    InOrder,

    /// <summary>May run alongside its neighbours of the same kind: its handlers reach the same result in any order.</summary>
    AnyOrder,
}

/// <summary>Work accepted from Slack and acknowledged, to be run by <see cref="SlackDispatcher.RunAsync"/>.</summary>
/// <param name="Payload">The payload JSON exactly as Slack sent it, so a durable store can keep it as text.</param>
/// <param name="EventId">The event's id, by which a retried delivery is recognised; null for other kinds.</param>
public sealed record SlackWorkItem(
    SlackWorkKind Kind, string Payload, int RetryNum = 0, string? RetryReason = null, string? EventId = null,
    SlackWorkOrder Order = SlackWorkOrder.InOrder)
{
    /// <summary>
    /// The payload as the transport parsed it on arrival, while the item stays in this process: running it then
    /// needs no second parse. Never stored; work read back from a durable store is parsed from <see cref="Payload"/>.
    /// </summary>
    public object? Parsed { get; init; }

    /// <summary>When the inbox accepted it (and Slack was answered): where the processing lag is measured from.</summary>
    public DateTimeOffset? AcceptedAt { get; init; }
}

/// <summary>A work item as kept by the store, with the id that orders it and marks it done.</summary>
public sealed record PendingSlackWork(long Id, SlackWorkItem Item);

/// <summary>
/// Where acknowledged Slack work waits for its handlers. The transport's default keeps it in memory (lost on a
/// restart, one process only); an application plugs in a durable store, which then also spans replicas.
/// </summary>
public interface ISlackInboxStore
{
    /// <summary>
    /// Stores the work in one write, unless an item with the same event id was accepted before (a retried
    /// delivery): <see cref="Acceptance.Queued"/>, <see cref="Acceptance.Duplicate"/>, or <see cref="Acceptance.Rejected"/>
    /// when it could not be stored, so Slack should deliver it again. Returns only once the work is kept.
    /// </summary>
    ValueTask<Acceptance> AcceptAsync(SlackWorkItem item, CancellationToken cancellationToken = default);

    /// <summary>Work not yet completed, oldest first, after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<PendingSlackWork>> ReadPendingAsync(long afterId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Marks work done, so it is not run again after a restart.</summary>
    Task CompleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Completes when new work may have arrived since the last call.</summary>
    Task WaitForWorkAsync(CancellationToken cancellationToken);

    /// <summary>How much accepted work has not been completed yet, by any process sharing the store.</summary>
    Task<int> CountPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// How often work read here and still running must be claimed again (<see cref="RenewClaimsAsync"/>), so that a store
    /// shared with other processes does not hand it to them; null where a claim cannot be lost.
    /// </summary>
    TimeSpan? RenewClaimsEvery => null;

    /// <summary>Keeps the claim on work read here and not yet completed, while it runs.</summary>
    Task RenewClaimsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
