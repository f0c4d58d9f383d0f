namespace IncidentBot.Storage;

public enum DoraEventKind
{
    Declared,
    Resolved,
}

/// <summary>One DORA incident event of the outbox and how its delivery stands.</summary>
/// <param name="OccurredAt">When the incident was declared, or resolved.</param>
public sealed record DoraOutboxRecord(
    long Id,
    long IncidentNumber,
    DoraEventKind Event,
    DateTimeOffset OccurredAt,
    int Attempts,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? FailedAt,
    string? LastError);

/// <summary>
/// The durable outbox of DORA incident events. The storage records an event in the same transaction as the
/// declaration or resolution it speaks of; this port hands them to the sender and keeps how each delivery went.
/// </summary>
public interface IDoraOutbox
{
    /// <summary>
    /// Takes up to <paramref name="limit"/> events due by <paramref name="now"/> that are neither delivered nor given up,
    /// leasing each until <paramref name="now"/> + <paramref name="lease"/>, in one write: a process that dies while
    /// sending gives it back when the lease ends, and two processes never take the same event at once.
    /// </summary>
    Task<IReadOnlyList<DoraOutboxRecord>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default);

    Task MarkDeliveredAsync(long id, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default);

    Task RetryLaterAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default);

    /// <summary>The endpoint refused the event for good (a 4xx other than 408 and 429): it is not sent again.</summary>
    Task GiveUpAsync(long id, DateTimeOffset failedAt, string error, CancellationToken cancellationToken = default);

    /// <summary>When the next pending event is due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    /// <summary>Events that occurred at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<DoraOutboxRecord>> ListAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default);
}
