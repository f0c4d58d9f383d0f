using IncidentBot.Storage;

namespace IncidentBot.Incidents;

/// <summary>
/// Every way into the incidents (REST, slash commands, mentions, buttons) goes through here, so each
/// change is validated and recorded the same way.
/// </summary>
public sealed class IncidentService(
    IIncidentStore store, IEnumerable<IIncidentObserver> observers, TimeProvider time, ILogger<IncidentService> logger)
{
    public async Task<Incident> DeclareAsync(IncidentDraft draft, CancellationToken cancellationToken = default)
    {
        var incident = await store.CreateAsync(IncidentChanges.Declare(draft, Now()), cancellationToken);
        logger.LogInformation("Declared {Incident} ({Severity})", incident.Reference, incident.Severity.ToLabel());
        Notify(incident.Number);
        return incident;
    }

    public async Task<Incident> GetAsync(long number, CancellationToken cancellationToken = default) =>
        await store.GetAsync(number, cancellationToken) ?? throw new IncidentNotFoundException(number);

    public Task<Incident?> FindByChannelAsync(string channelId, CancellationToken cancellationToken = default) =>
        store.FindByChannelAsync(channelId, cancellationToken);

    public Task<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default) =>
        store.ListAsync(query, cancellationToken);

    /// <param name="expectedVersion">When given, the edit applies only if the incident is still at this version.</param>
    public async Task<IncidentUpdate> EditAsync(
        long number, IncidentEdit edit, string? actorId, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var update = await store.UpdateAsync(number, current =>
        {
            if (expectedVersion is { } expected && expected != current.Version)
            {
                throw new IncidentVersionMismatchException(number, expected, current.Version);
            }

            return IncidentChanges.Apply(current, edit, actorId, now);
        }, cancellationToken);
        LogChanges(update);
        if (update.Changed)
        {
            Notify(number);
        }

        return update;
    }

    public async Task<TimelineEntry> PostAsync(
        long number, TimelineEntryKind kind, string? text, string? actorId, CancellationToken cancellationToken = default)
    {
        var now = Now();
        var update = await store.UpdateAsync(number, current => IncidentChanges.Post(current, kind, text, actorId, now), cancellationToken);
        Notify(number);
        return update.Entries.Single();
    }

    public async Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(long number, TimelineQuery query, CancellationToken cancellationToken = default)
    {
        var entries = await store.GetTimelineAsync(number, query, cancellationToken);
        if (entries.Count == 0 && await store.GetAsync(number, cancellationToken) is null)
        {
            throw new IncidentNotFoundException(number);
        }

        return entries;
    }

    public Task<IncidentStats> GetStatsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        store.GetStatsAsync(since, until, cancellationToken);

    /// <summary>The store keeps milliseconds; working in them keeps what is returned equal to what is read back.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private void Notify(long number)
    {
        foreach (var observer in observers)
        {
            observer.OnChanged(number);
        }
    }

    private void LogChanges(IncidentUpdate update)
    {
        foreach (var entry in update.Entries)
        {
            logger.LogInformation("{Incident}: {Change}", update.After.Reference, entry.Kind.ToWireName());
        }
    }
}
