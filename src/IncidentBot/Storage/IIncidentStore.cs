using IncidentBot.Incidents;

namespace IncidentBot.Storage;

/// <summary>
/// Where incidents and their timelines are kept. Every write commits the incident's new state and
/// its timeline entries in one transaction; writes to one incident are serialised by the store, so
/// concurrent writers never lose each other's updates.
/// </summary>
public interface IIncidentStore
{
    /// <summary>Stores a new incident with its declaration entries and gives it the next number.</summary>
    Task<Incident> CreateAsync(IncidentChange declaration, CancellationToken cancellationToken = default);

    Task<Incident?> GetAsync(long number, CancellationToken cancellationToken = default);

    Task<Incident?> FindByChannelAsync(string channelId, CancellationToken cancellationToken = default);

    /// <summary>The number of the incident whose channel this is, without reading the incident.</summary>
    Task<long?> FindNumberByChannelAsync(string channelId, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the incident, applies <paramref name="change"/> to the current state and commits the result,
    /// all while holding the incident's write lock. <paramref name="change"/> may throw to abort; nothing is
    /// written then. A change without timeline entries writes nothing.
    /// </summary>
    /// <exception cref="IncidentNotFoundException">No incident has that number.</exception>
    Task<IncidentUpdate> UpdateAsync(long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken = default);

    /// <summary>Records the incident's Slack channel. Not a change of the incident itself: no timeline entry, same version.</summary>
    Task SetChannelAsync(long number, string channelId, string channelName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a Slack message as a timeline entry, once per (channel, ts). False when that message is
    /// already stored, or was deleted before it arrived here.
    /// </summary>
    Task<bool> AddMessageAsync(long number, NewTimelineEntry message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a stored message its edited text, unless a later edit is already there. A message whose
    /// original never arrived is stored with the edited text.
    /// </summary>
    Task EditMessageAsync(long number, NewTimelineEntry editedMessage, DateTimeOffset editedAt, CancellationToken cancellationToken = default);

    /// <summary>Marks a message deleted; one that never arrived is remembered as deleted so it is not stored later.</summary>
    Task DeleteMessageAsync(long number, string channelId, string ts, DateTimeOffset deletedAt, CancellationToken cancellationToken = default);

    /// <summary>The ts of the newest Slack message stored for a channel, to catch up from after a gap.</summary>
    Task<string?> GetLatestMessageTsAsync(string channelId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Entries other than chat messages and joins, stored after <paramref name="afterEntryId"/>, in the order
    /// they were stored: the changes someone has yet to be told about.
    /// </summary>
    Task<IReadOnlyList<TimelineEntry>> GetChangesAfterAsync(long number, long afterEntryId, int limit = 200, CancellationToken cancellationToken = default);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(long number, TimelineQuery query, CancellationToken cancellationToken = default);

    Task<IncidentStats> GetStatsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>True when the store answers a trivial query.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);
}

/// <summary>Filters for listing incidents; the time window (both ends included) applies to when they were declared.</summary>
public sealed record IncidentQuery
{
    public const int MaxLimit = 500;

    public IReadOnlyCollection<IncidentStatus>? Statuses { get; init; }
    public IReadOnlyCollection<Severity>? Severities { get; init; }
    public string? Service { get; init; }

    /// <summary>Only incidents this person declared or commands.</summary>
    public string? InvolvingUser { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only incidents numbered below this one: the cursor for the next page.</summary>
    public long? BeforeNumber { get; init; }
    public int Limit { get; init; } = 100;
}

public sealed record TimelineQuery
{
    public const int MaxLimit = 1_000;

    /// <summary>Only entries after this one in timeline order: the cursor for the next page.</summary>
    public TimelineCursor? After { get; init; }
    public int Limit { get; init; } = MaxLimit;
}

/// <summary>
/// A position in a timeline. Entries are ordered by when they happened, then by id, because a message
/// caught up from Slack's history can be stored after entries that happened later.
/// </summary>
public sealed record TimelineCursor(DateTimeOffset OccurredAt, long Id)
{
    public static TimelineCursor Of(TimelineEntry entry) => new(entry.OccurredAt, entry.Id);

    public override string ToString() => $"{OccurredAt.ToUnixTimeMilliseconds()}-{Id}";

    public static bool TryParse(string? text, out TimelineCursor? cursor)
    {
        cursor = null;
        var parts = text?.Split('-');
        if (parts is not [var at, var id] || !long.TryParse(at, out var ms) || !long.TryParse(id, out var entryId)
            || ms < 0 || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        cursor = new TimelineCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), entryId);
        return true;
    }
}

