using System.Text.Json.Nodes;
using IncidentBot.Storage;
using IncidentBot.Telemetry;

namespace IncidentBot.Incidents;

/// <summary>
/// The application layer's front door: every write, whatever brought it (a slash command, a mention, a button,
/// a channel message, the REST API, the assistant, a catch-up), is one call here. Each call validates through the
/// pure rules (<see cref="IncidentChanges"/>), commits the state with its timeline entries in one transaction,
/// and tells the observers once, handing them what was committed. Reading is <see cref="IIncidentReader"/>'s.
/// </summary>
public sealed class IncidentService(
    IIncidentStore store, IEnumerable<IIncidentObserver> observers, TimeProvider time, IncidentBotMetrics metrics, ILogger<IncidentService> logger,
    IncidentRoles? roles = null)
{
    private readonly IIncidentObserver[] observers = [.. observers];

    public IncidentRoles Roles { get; } = roles ?? new IncidentRoles(Microsoft.Extensions.Options.Options.Create(new IncidentsOptions()));

    public async Task<Incident> DeclareAsync(IncidentDraft draft, CancellationToken cancellationToken = default)
    {
        var incident = await store.CreateAsync(IncidentChanges.Declare(draft, Now()), cancellationToken);
        logger.LogInformation("{Incident} declared {Severity} \"{Title}\"{By}", incident.Reference, incident.Severity.ToLabel(), incident.Title, By(incident.DeclaredBy));
        metrics.Declared(incident);
        Notify(new IncidentChanged(incident, []));
        return incident;
    }

    /// <summary>
    /// Takes alerts in one write that no other intake of one of the same alerts, or of an alert of one of the same
    /// services, overlaps, in this process or another on the same database: what <paramref name="intake"/> finds through
    /// the <see cref="AlertWrites"/> it is handed (the open incident that links an alert, or one of its service) is still
    /// so when it declares or reports, so one alert delivered to two replicas at once declares one incident. Observers
    /// hear of each change once all of it is committed.
    /// </summary>
    /// <param name="alertKeys">The keys (<see cref="AlertReport.Key"/>) of the alerts <paramref name="intake"/> takes.</param>
    /// <param name="services">The services it may group them by.</param>
    public async Task<T> TakeAlertsAsync<T>(
        IReadOnlyCollection<string> alertKeys, IReadOnlyCollection<string> services, Func<AlertWrites, Task<T>> intake,
        CancellationToken cancellationToken = default)
    {
        var locks = alertKeys.Select(key => $"alert {key}").Concat(services.Select(service => $"alert service {service.Trim().ToLowerInvariant()}")).ToList();
        AlertWrites? writes = null;
        var result = await store.WriteLockedAsync(locks, transaction =>
        {
            writes = new AlertWrites(transaction, Now());
            return intake(writes);
        }, cancellationToken);
        foreach (var declared in writes!.Declared)
        {
            logger.LogInformation("Declared {Incident} ({Severity}) for an alert", declared.Reference, declared.Severity.ToLabel());
            metrics.Declared(declared);
            Notify(new IncidentChanged(declared, []));
        }

        foreach (var update in writes.Updates)
        {
            if (update.Before.Status != update.After.Status)
            {
                metrics.StatusChanged(update.Before.Status, update.After.Status);
            }

            NotifyIfChanged(update);
        }

        return result;
    }

    /// <summary>What alert intake may read and write inside <see cref="TakeAlertsAsync{T}"/>'s transaction.</summary>
    public sealed class AlertWrites
    {
        private readonly IIncidentTransaction transaction;
        private readonly DateTimeOffset now;

        internal AlertWrites(IIncidentTransaction transaction, DateTimeOffset now)
        {
            this.transaction = transaction;
            this.now = now;
        }

        internal List<Incident> Declared { get; } = [];
        internal List<IncidentUpdate> Updates { get; } = [];

        public DateTimeOffset Now => now;

        /// <summary>As the reader's <see cref="IIncidentReader.FindAsync"/>, with what this intake wrote so far.</summary>
        public Task<IReadOnlyList<Incident>> FindAsync(IncidentFilter filter, CancellationToken cancellationToken = default) =>
            transaction.FindAsync(filter, cancellationToken);

        /// <summary>
        /// Declares an incident for an alert, linked to it, in the same write: a crash cannot leave the incident without
        /// the alert that makes the next delivery of it find the incident.
        /// </summary>
        public async Task<Incident> DeclareAsync(IncidentDraft draft, AlertReport alert, CancellationToken cancellationToken = default)
        {
            var declaration = IncidentChanges.Declare(draft, now);
            declaration = declaration.Then(IncidentChanges.ReportAlert(declaration.Incident, alert, draft.DeclaredBy, now));
            var incident = await transaction.CreateAsync(declaration, cancellationToken);
            Declared.Add(incident);
            return incident;
        }

        /// <summary>Links an alert to the incident, or records what changed of an alert it already links.</summary>
        public async Task<IncidentUpdate> ReportAsync(long number, AlertReport alert, string? actorId, CancellationToken cancellationToken = default)
        {
            var update = await transaction.UpdateAsync(number, current => IncidentChanges.ReportAlert(current, alert, actorId, now), cancellationToken);
            Updates.Add(update);
            return update;
        }
    }

    /// <param name="expectedVersion">When given, the edit applies only if the incident is still at this version.</param>
    public async Task<IncidentUpdate> EditAsync(
        long number, IncidentEdit edit, string? actorId, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var viewer = IncidentViewer.Current;
        var update = await store.UpdateAsync(number, current =>
        {
            RequireVisible(viewer, current);
            if (expectedVersion is { } expected && expected != current.Version)
            {
                throw new IncidentVersionMismatchException(number, expected, current.Version);
            }

            return IncidentChanges.Apply(current, edit, actorId, now);
        }, cancellationToken);
        foreach (var entry in update.Entries)
        {
            LogChange(update.After, entry);
        }

        if (update.Before.Status != update.After.Status)
        {
            metrics.StatusChanged(update.Before.Status, update.After.Status);
        }

        NotifyIfChanged(update);
        return update;
    }

    /// <summary>Gives a role besides the commander; <paramref name="role"/> is read as <see cref="IncidentRoles"/> reads it.</summary>
    /// <exception cref="IncidentValidationException">Not a configured role, or no user.</exception>
    public Task<IncidentUpdate> AssignRoleAsync(long number, string role, string? userId, string? actorId, CancellationToken cancellationToken = default)
    {
        var known = Roles.Require(role);
        return ChangeAsync(number, (current, now) => IncidentChanges.AssignRole(current, known, userId, actorId, now), cancellationToken);
    }

    /// <returns>The update, whose incident's last follow-up is the one added.</returns>
    public Task<IncidentUpdate> AddFollowUpAsync(long number, NewFollowUp followUp, string? actorId, CancellationToken cancellationToken = default) =>
        ChangeAsync(number, (current, now) => FollowUpChanges.Add(current, followUp, actorId, now), cancellationToken);

    /// <exception cref="FollowUpNotFoundException">The incident has no follow-up <paramref name="id"/>.</exception>
    public Task<IncidentUpdate> ChangeFollowUpAsync(long number, int id, FollowUpEdit edit, string? actorId, CancellationToken cancellationToken = default) =>
        ChangeAsync(number, (current, now) => FollowUpChanges.Change(current, id, edit, actorId, now), cancellationToken);

    private async Task<IncidentUpdate> ChangeAsync(long number, Func<Incident, DateTimeOffset, IncidentChange> change, CancellationToken cancellationToken)
    {
        var now = Now();
        var update = await store.UpdateAsync(number, current => change(current, now), cancellationToken);
        foreach (var entry in update.Entries)
        {
            LogChange(update.After, entry);
        }

        NotifyIfChanged(update);
        return update;
    }

    /// <summary>A deliberate post (update, action, resolution) by a person or program.</summary>
    public async Task<TimelineEntry> PostAsync(
        long number, TimelineEntryKind kind, string? text, string? actorId, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var viewer = IncidentViewer.Current;
        var update = await store.UpdateAsync(
            number, current => IncidentChanges.Post(RequireVisible(viewer, current), kind, text, actorId, now), cancellationToken);
        logger.LogInformation("{Incident} {Kind} posted{By}", update.After.Reference, kind.ToWireName(), By(actorId));
        NotifyIfChanged(update);
        return update.Entries.Single();
    }

    /// <summary>Records the channel opened for the incident; the incident's version stays.</summary>
    public async Task<Incident> AttachChannelAsync(long number, string channelId, string channelName, CancellationToken cancellationToken = default)
    {
        var incident = await store.SetChannelAsync(number, channelId, channelName, cancellationToken);
        Notify(new IncidentChanged(incident, []));
        return incident;
    }

    /// <summary>Stores a message of the incident's channel, once per (channel, ts).</summary>
    /// <returns>False when it was stored before, or deleted before it arrived.</returns>
    public async Task<bool> RecordMessageAsync(long number, NewTimelineEntry message, CancellationToken cancellationToken = default) =>
        await RecordMessagesAsync([(number, message)], cancellationToken) == 1;

    /// <summary>Stores messages of incident channels in one write (a burst of them), each once per (channel, ts).</summary>
    /// <returns>How many were new.</returns>
    public async Task<int> RecordMessagesAsync(
        IReadOnlyList<(long Number, NewTimelineEntry Message)> messages, CancellationToken cancellationToken = default)
    {
        var stored = await store.AddMessagesAsync(messages, cancellationToken);
        var added = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            added += NotifyMessage(messages[i].Number, stored[i]) ? 1 : 0;
        }

        return added;
    }

    /// <summary>Gives a stored message its edited text, unless a later edit is there already.</summary>
    /// <returns>False when a later edit or a delete was there already.</returns>
    public async Task<bool> RecordMessageEditAsync(
        long number, NewTimelineEntry editedMessage, DateTimeOffset editedAt, CancellationToken cancellationToken = default) =>
        NotifyMessage(number, await store.EditMessageAsync(number, editedMessage, editedAt, cancellationToken));

    /// <summary>Marks a message deleted; one that never arrived is remembered as deleted so it is not stored later.</summary>
    /// <returns>False when it was marked deleted before.</returns>
    public async Task<bool> RecordMessageDeletionAsync(
        long number, SlackMessageSource message, DateTimeOffset sentAt, DateTimeOffset deletedAt, CancellationToken cancellationToken = default) =>
        NotifyMessage(number, await store.DeleteMessageAsync(number, message, sentAt, deletedAt, cancellationToken));

    /// <summary>
    /// Brings in a past incident with its whole timeline in one write (never half of it), or adds to the channel's
    /// incident the messages it lacks: importing the same channel again adds nothing.
    /// </summary>
    public async Task<IncidentImportResult> ImportAsync(IncidentImport import, CancellationToken cancellationToken = default)
    {
        var result = await store.ImportAsync(import, cancellationToken);
        if (result.Created || result.MessagesAdded > 0)
        {
            logger.LogInformation("{Incident}: {Messages} messages imported from channel {Channel}{New}",
                result.Incident.Reference, result.MessagesAdded, import.ChannelId, result.Created ? " (new incident)" : "");
            Notify(new IncidentChanged(result.Incident, []));
        }

        return result;
    }

    /// <summary>
    /// Stores a postmortem draft as the incident's next version with a <c>postmortem_drafted</c> timeline entry,
    /// in one transaction, so the channel hears of it like of any other change.
    /// </summary>
    /// <param name="engine">Which assistant engine wrote it, said in the entry.</param>
    public async Task<PostmortemDraft> AddPostmortemDraftAsync(
        long number, string markdown, string engine, string? actorId, CancellationToken cancellationToken = default)
    {
        var actor = IncidentFieldRules.UserId(actorId, "actor");
        var now = Now();
        var (draft, update) = await store.AddPostmortemDraftAsync(number, markdown, actor, now, draft => new NewTimelineEntry(
            TimelineEntryKind.PostmortemDrafted,
            now,
            actor,
            $"Postmortem draft {draft.Version} written by the {engine} engine, for the team to revise",
            new JsonObject { ["version"] = draft.Version, ["engine"] = engine }), cancellationToken);
        logger.LogInformation("{Incident}: postmortem draft {Version} ({Engine})", update.After.Reference, draft.Version, engine);
        NotifyIfChanged(update);
        return draft;
    }

    /// <summary>One line per change, saying from what to what: <c>INC-4 status active → stable by U0123</c>.</summary>
    private void LogChange(Incident incident, TimelineEntry entry)
    {
        var what = entry.Kind switch
        {
            TimelineEntryKind.StatusChanged => "status",
            TimelineEntryKind.SeverityChanged => "severity",
            TimelineEntryKind.CommanderChanged => "commander",
            TimelineEntryKind.DetailsChanged when entry.Data?["field"]?.GetValue<string>() == "title" => "title",
            _ => null,
        };
        if (what is not null)
        {
            var (from, to) = (entry.Data?["from"]?.GetValue<string>() ?? "none", entry.Data?["to"]?.GetValue<string>() ?? "none");
            logger.LogInformation("{Incident} {Field} {From} → {To}{By}", incident.Reference, what, from, to, By(entry.ActorId));
        }
        else if (entry.Kind == TimelineEntryKind.DetailsChanged)
        {
            logger.LogInformation("{Incident} {Field} changed{By}", incident.Reference, entry.Data?["field"]?.GetValue<string>() ?? "details", By(entry.ActorId));
        }
        else
        {
            logger.LogInformation("{Incident} {Change}{By}", incident.Reference, entry.Text, By(entry.ActorId));
        }
    }

    /// <summary>Someone who may not see a private incident may not change it either: for them it does not exist.</summary>
    /// <remarks>The audience is taken before the write: the store may run the change on its writer's own flow.</remarks>
    private static Incident RequireVisible(IncidentAudience viewer, Incident current) =>
        viewer.CanSee(current) ? current : throw new IncidentNotFoundException(current.Number);

    private static string By(string? actorId) => actorId is null ? "" : $" by {actorId}";

    /// <summary>The store keeps milliseconds; working in them keeps what is returned equal to what is read back.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private void NotifyIfChanged(IncidentUpdate update)
    {
        if (update.Changed)
        {
            Notify(new IncidentChanged(update.After, update.Entries));
        }
    }

    private void Notify(IncidentChanged change)
    {
        foreach (var observer in observers)
        {
            observer.OnChanged(change);
        }
    }

    private bool NotifyMessage(long number, TimelineEntry? entry)
    {
        if (entry is null)
        {
            return false;
        }

        foreach (var observer in observers)
        {
            observer.OnMessage(number, entry);
        }

        return true;
    }
}
