using IncidentBot.Incidents;

namespace IncidentBot.Storage;

/// <summary>
/// The write side of the incidents, used by the application layer alone (<see cref="IncidentService"/>): every
/// way in reaches it through there. Every write commits the incident's new state and its timeline entries in
/// one transaction; writes to one incident are serialised by the store, so concurrent writers never lose each
/// other's updates. Reading is <see cref="IIncidentReader"/>'s.
/// </summary>
public interface IIncidentStore
{
    /// <summary>Stores a new incident with its declaration entries and gives it the next number.</summary>
    Task<Incident> CreateAsync(IncidentChange declaration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the incident, applies <paramref name="change"/> to the current state and commits the result,
    /// all while holding the incident's write lock. <paramref name="change"/> may throw to abort; nothing is
    /// written then. A change without timeline entries writes nothing.
    /// </summary>
    /// <exception cref="IncidentNotFoundException">No incident has that number.</exception>
    Task<IncidentUpdate> UpdateAsync(long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the incident's Slack channel. Not a change of the incident itself: no timeline entry, same version.
    /// </summary>
    /// <returns>The incident with its channel.</returns>
    Task<Incident> SetChannelAsync(long number, string channelId, string channelName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores Slack messages as timeline entries in one write, each once per (channel, ts). One result per message, in
    /// order: null when that message is already stored, or was deleted before it arrived here.
    /// </summary>
    Task<IReadOnlyList<TimelineEntry?>> AddMessagesAsync(
        IReadOnlyList<(long Number, NewTimelineEntry Message)> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a stored message its edited text, unless a later edit is already there. A message whose
    /// original never arrived is stored with the edited text.
    /// </summary>
    /// <returns>The entry as it now reads, or null when a later edit or a delete won.</returns>
    Task<TimelineEntry?> EditMessageAsync(long number, NewTimelineEntry editedMessage, DateTimeOffset editedAt, CancellationToken cancellationToken = default);

    /// <summary>Marks a message deleted; one that never arrived is remembered as deleted so it is not stored later.</summary>
    /// <returns>The entry marked deleted, or null when it already was.</returns>
    /// <param name="sentAt">When the message was sent (its ts), for a message that never arrived.</param>
    Task<TimelineEntry?> DeleteMessageAsync(
        long number, SlackMessageSource message, DateTimeOffset sentAt, DateTimeOffset deletedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a past incident with its whole timeline in one transaction, or, when an incident already holds messages of
    /// <see cref="IncidentImport.ChannelId"/> (or is that channel's incident), adds to it only the messages it lacks, each
    /// once per (channel, ts). A new incident takes <see cref="IncidentImport.Number"/> when no incident has it, else the
    /// next number.
    /// </summary>
    Task<IncidentImportResult> ImportAsync(IncidentImport import, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction that holds the locks named by <paramref name="lockNames"/>
    /// until it commits: no other such write naming one of them runs meanwhile, in this process or another one on the
    /// same database. So what <paramref name="work"/> finds through the <see cref="IIncidentTransaction"/> is still so when
    /// it writes. Nothing is written if it throws.
    /// </summary>
    Task<T> WriteLockedAsync<T>(
        IReadOnlyCollection<string> lockNames, Func<IIncidentTransaction, Task<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a postmortem draft as the incident's next version (1, 2, …) together with the timeline entry
    /// <paramref name="entry"/> makes for it, in one transaction.
    /// </summary>
    /// <exception cref="IncidentNotFoundException">No incident has that number.</exception>
    Task<(PostmortemDraft Draft, IncidentUpdate Update)> AddPostmortemDraftAsync(
        long number, string markdown, string? createdBy, DateTimeOffset createdAt, Func<PostmortemDraft, NewTimelineEntry> entry,
        CancellationToken cancellationToken = default);
}

/// <summary>The reads and writes of one <see cref="IIncidentStore.WriteLockedAsync{T}"/>, all in its transaction.</summary>
public interface IIncidentTransaction
{
    /// <summary>The incidents the filter keeps, newest first, as this transaction sees them (its own writes included).</summary>
    Task<IReadOnlyList<Incident>> FindAsync(IncidentFilter filter, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="IIncidentStore.CreateAsync"/>.</summary>
    Task<Incident> CreateAsync(IncidentChange declaration, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="IIncidentStore.UpdateAsync"/>.</summary>
    Task<IncidentUpdate> UpdateAsync(long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken = default);
}

public static class IncidentStoreExtensions
{
    /// <summary>Stores one Slack message (<see cref="IIncidentStore.AddMessagesAsync"/>).</summary>
    public static async Task<TimelineEntry?> AddMessageAsync(
        this IIncidentStore store, long number, NewTimelineEntry message, CancellationToken cancellationToken = default) =>
        (await store.AddMessagesAsync([(number, message)], cancellationToken))[0];
}

/// <summary>An <see cref="IIncidentTransaction"/> made of a provider's own statements on its open transaction.</summary>
internal sealed class IncidentTransaction(
    Func<IncidentFilter, CancellationToken, Task<IReadOnlyList<Incident>>> find,
    Func<IncidentChange, CancellationToken, Task<Incident>> create,
    Func<long, Func<Incident, IncidentChange>, CancellationToken, Task<IncidentUpdate>> update) : IIncidentTransaction
{
    public Task<IReadOnlyList<Incident>> FindAsync(IncidentFilter filter, CancellationToken cancellationToken = default) => find(filter, cancellationToken);

    public Task<Incident> CreateAsync(IncidentChange declaration, CancellationToken cancellationToken = default) => create(declaration, cancellationToken);

    public Task<IncidentUpdate> UpdateAsync(long number, Func<Incident, IncidentChange> change, CancellationToken cancellationToken = default) =>
        update(number, change, cancellationToken);
}
