namespace IncidentBot.Storage;

/// <summary>How far an incident's Slack channel has been brought up to date with the incident.</summary>
public sealed record SlackSyncState(long IncidentNumber)
{
    public string? CardTs { get; init; }
    public long CardVersion { get; init; }
    public string? Topic { get; init; }
    public long LinesThroughEntryId { get; init; }
    public long AnnouncedThroughEntryId { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
}

public interface ISlackSyncStore
{
    Task<SlackSyncState?> GetAsync(long number, CancellationToken cancellationToken = default);

    Task SaveAsync(SlackSyncState state, CancellationToken cancellationToken = default);

    /// <summary>
    /// Incidents whose channel is behind: open incidents without a channel, and incidents with changes
    /// (a newer version, or timeline entries) not yet said in Slack.
    /// </summary>
    Task<IReadOnlyList<long>> ListBehindAsync(int limit, CancellationToken cancellationToken = default);
}
