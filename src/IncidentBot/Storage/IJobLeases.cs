namespace IncidentBot.Storage;

/// <summary>A job's lease as the <c>job_leases</c> table has it: who holds it, and until when unless renewed.</summary>
public sealed record JobLease(string Job, string Holder, DateTimeOffset ExpiresAt);

/// <summary>What came of taking or renewing a job's lease.</summary>
/// <param name="Held">The holder has it now, until the lifetime asked for has passed.</param>
/// <param name="LapsedHolder">Another holder whose lease had lapsed, when it was taken over from one.</param>
public sealed record JobLeaseAttempt(bool Held, string? LapsedHolder = null);

/// <summary>
/// Leases on jobs that one replica at a time runs for the whole cluster, each a named row that lapses unless its holder
/// renews it: a replica that dies (or stalls) gives its jobs up when its lease expires, not when its connection drops.
/// The times are the callers' (their <see cref="TimeProvider"/>), so the replicas' clocks must agree within seconds.
/// </summary>
public interface IJobLeases
{
    /// <summary>
    /// Takes the lease on <paramref name="job"/> for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="lifetime"/> when it is free, lapsed or already the holder's (a renewal); one conditional write,
    /// so of several holders asking at once exactly one gets it.
    /// </summary>
    Task<JobLeaseAttempt> TryTakeAsync(string job, string holder, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up at once, if <paramref name="holder"/> still has it.</summary>
    Task ReleaseAsync(string job, string holder, CancellationToken cancellationToken = default);

    /// <summary>The lease on <paramref name="job"/>, lapsed or not; null when nobody took it or it was given up.</summary>
    Task<JobLease?> GetAsync(string job, CancellationToken cancellationToken = default);
}
