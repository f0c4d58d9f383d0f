using IncidentBot.Incidents;

namespace IncidentBot.Storage;

/// <summary>
/// The read side of the incidents: every view (Slack, REST, the assistant, the dashboard) reads through here,
/// with one filter type and one way of loading an incident, so a storage provider is one registration.
/// Text search, which each provider does its own way, is <see cref="IIncidentSearch"/>.
/// </summary>
public interface IIncidentReader
{
    Task<Incident?> GetAsync(long number, CancellationToken cancellationToken = default);

    Task<Incident?> FindByChannelAsync(string channelId, CancellationToken cancellationToken = default);

    /// <summary>The number of the incident whose channel this is, without reading the incident.</summary>
    Task<long?> FindNumberByChannelAsync(string channelId, CancellationToken cancellationToken = default);

    /// <summary>Incidents that pass the filter, newest (highest number) first, at most <see cref="IncidentFilter.Limit"/>.</summary>
    Task<IReadOnlyList<Incident>> FindAsync(IncidentFilter filter, CancellationToken cancellationToken = default);

    /// <summary>How many incidents pass the filter, whatever its limit.</summary>
    Task<int> CountAsync(IncidentFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(long number, TimelineQuery query, CancellationToken cancellationToken = default);

    /// <summary>The entries with these ids, of any incident, in id order; ids that do not exist are left out.</summary>
    Task<IReadOnlyList<TimelineEntry>> GetEntriesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Entries other than chat messages and joins, stored after <paramref name="afterEntryId"/>, in the order
    /// they were stored: the changes someone has yet to be told about.
    /// </summary>
    Task<IReadOnlyList<TimelineEntry>> GetChangesAfterAsync(long number, long afterEntryId, int limit = 200, CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest entry this person made in the incident's timeline before <paramref name="before"/> (in timeline order):
    /// a message, a post, a change, their joining. Null when they have none there: when they last looked, as far as the
    /// timeline can tell.
    /// </summary>
    Task<TimelineEntry?> GetLastEntryByAsync(long number, string actorId, TimelineCursor before, CancellationToken cancellationToken = default);

    /// <summary>The ts of the newest Slack message stored for a channel, to catch up from after a gap.</summary>
    Task<string?> GetLatestMessageTsAsync(string channelId, CancellationToken cancellationToken = default);

    /// <summary>
    /// When each of these incidents was last updated for the people following it: its latest <c>update</c> post,
    /// status change or severity change, else its declaration.
    /// </summary>
    Task<IReadOnlyDictionary<long, DateTimeOffset>> GetLastUpdatesAsync(IReadOnlyCollection<long> numbers, CancellationToken cancellationToken = default);

    /// <summary>What people wrote in the incident's timeline (Slack messages, updates, actions, resolutions), deleted messages not counted.</summary>
    Task<int> CountMessagesAsync(long number, CancellationToken cancellationToken = default);

    /// <summary>Every service name any incident the audience of the work under way sees has had, in order.</summary>
    Task<IReadOnlyList<string>> GetServiceNamesAsync(CancellationToken cancellationToken = default) =>
        GetServiceNamesAsync(IncidentViewer.Current, cancellationToken);

    /// <summary>Every service name any incident the audience sees has had, in order.</summary>
    Task<IReadOnlyList<string>> GetServiceNamesAsync(IncidentAudience audience, CancellationToken cancellationToken = default);

    /// <summary>The figures of the incidents declared in the window, of those the audience of the work under way sees.</summary>
    Task<IncidentStats> GetStatsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        GetStatsAsync(since, until, IncidentViewer.Current, cancellationToken);

    /// <summary>The figures of the incidents declared in the window that the audience sees.</summary>
    Task<IncidentStats> GetStatsAsync(DateTimeOffset since, DateTimeOffset until, IncidentAudience audience, CancellationToken cancellationToken = default);

    /// <summary>The incident's postmortem drafts, latest first.</summary>
    Task<IReadOnlyList<PostmortemDraft>> GetPostmortemDraftsAsync(long number, CancellationToken cancellationToken = default);

    /// <summary>True when the store answers a trivial query.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);
}

public static class IncidentReaderExtensions
{
    /// <exception cref="IncidentNotFoundException">No incident has that number.</exception>
    public static async Task<Incident> GetRequiredAsync(this IIncidentReader reader, long number, CancellationToken cancellationToken = default) =>
        await reader.GetAsync(number, cancellationToken) ?? throw new IncidentNotFoundException(number);
}

/// <summary>
/// Which incidents to read. Every part is optional; the parts that are given must all hold. The declared window
/// (<see cref="DeclaredFrom"/>, <see cref="DeclaredUntil"/>, both ends included) keeps incidents declared inside it;
/// the active window (<see cref="ActiveFrom"/>, <see cref="ActiveUntil"/>) keeps incidents that were open at some
/// moment inside it: declared before its end and not resolved before its start.
/// </summary>
public sealed record IncidentFilter
{
    public const int MaxLimit = 500;

    public IReadOnlyCollection<long>? Numbers { get; init; }
    public long? ExcludeNumber { get; init; }
    public IReadOnlyCollection<IncidentStatus>? Statuses { get; init; }
    public IReadOnlyCollection<Severity>? Severities { get; init; }

    /// <summary>Incidents with any of these services (compared as stored: trimmed, lower case).</summary>
    public IReadOnlyCollection<string>? Services { get; init; }

    /// <summary>Only incidents of this environment (<c>production</c>), compared without regard to case.</summary>
    public string? Environment { get; init; }

    /// <summary>Only incidents that link this resource, e.g. an alert by its key (<c>pagerduty:PGR0VU2</c>).</summary>
    public (LinkType Type, string Target)? LinkedTo { get; init; }

    /// <summary>Only incidents this person declared or commands.</summary>
    public string? InvolvingUser { get; init; }
    public DateTimeOffset? DeclaredFrom { get; init; }
    public DateTimeOffset? DeclaredUntil { get; init; }
    public DateTimeOffset? ActiveFrom { get; init; }
    public DateTimeOffset? ActiveUntil { get; init; }

    /// <summary>Only incidents with a follow-up that is open and has an owner.</summary>
    public bool WithOpenOwnedFollowUps { get; init; }

    /// <summary>Only incidents numbered below this one: the cursor for the next page.</summary>
    public long? BeforeNumber { get; init; }
    public int Limit { get; init; } = 50;

    /// <summary>Only private incidents (true) or only the others (false).</summary>
    public bool? IsPrivate { get; init; }

    /// <summary>
    /// Only incidents this audience may see. Null leaves it to the reader, which applies the audience of the work
    /// under way (<see cref="IncidentViewer.Current"/>) to every filter; the two are intersected.
    /// </summary>
    public IncidentAudience? Audience { get; init; }

    public static readonly IReadOnlyCollection<IncidentStatus> OpenStatuses = [IncidentStatus.Active, IncidentStatus.Stable];

    /// <summary>Open incidents (active or stable), as many as can be read at once.</summary>
    public static IncidentFilter Open(int limit = MaxLimit) => new() { Statuses = OpenStatuses, Limit = limit };
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

