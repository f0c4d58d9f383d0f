namespace IncidentBot.Storage;

/// <summary>When each incident's channel was last reminded to post an update, and its snoozes.</summary>
public interface IReminderStore
{
    /// <summary>
    /// Takes the reminder of an incident whose last update was at <paramref name="lastUpdate"/>, when it is not snoozed and
    /// no reminder was taken since that update or within the past <paramref name="interval"/>. One write, so of several
    /// processes asking at once exactly one gets true.
    /// </summary>
    Task<bool> ClaimAsync(long number, DateTimeOffset lastUpdate, TimeSpan interval, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives back a reminder taken at <paramref name="remindedAt"/> that could not be posted, so the next check tries again.</summary>
    Task ReleaseAsync(long number, DateTimeOffset remindedAt, CancellationToken cancellationToken = default);

    Task SnoozeAsync(long number, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the reminder of a person's open follow-ups when none was taken within the past <paramref name="interval"/>;
    /// one write, so of several processes asking at once exactly one gets true.
    /// </summary>
    Task<bool> ClaimFollowUpReminderAsync(string ownerId, TimeSpan interval, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gives back a follow-up reminder taken at <paramref name="remindedAt"/> that could not be sent.</summary>
    Task ReleaseFollowUpReminderAsync(string ownerId, DateTimeOffset remindedAt, CancellationToken cancellationToken = default);
}
