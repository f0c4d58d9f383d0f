using IncidentBot.Incidents;

namespace IncidentBot.Storage;

/// <summary>
/// The provider's reader, seen by the audience of the work under way (<see cref="IncidentViewer.Current"/>): a private
/// incident someone may not see is not there for them. It is absent from lists, counts, figures and search, a read of
/// it by number finds nothing, and its timeline, entries, drafts and updates are empty, so nothing read here can tell
/// it exists. <see cref="FindNumberByChannelAsync"/> is left as it is: it routes what happens in a channel to the
/// channel's own incident, and only the channel's members are there.
/// </summary>
public sealed class AudienceReader(IIncidentReader provider) : IIncidentReader
{
    public async Task<Incident?> GetAsync(long number, CancellationToken cancellationToken = default) =>
        Visible(await provider.GetAsync(number, cancellationToken));

    public async Task<Incident?> FindByChannelAsync(string channelId, CancellationToken cancellationToken = default) =>
        Visible(await provider.FindByChannelAsync(channelId, cancellationToken));

    public Task<long?> FindNumberByChannelAsync(string channelId, CancellationToken cancellationToken = default) =>
        provider.FindNumberByChannelAsync(channelId, cancellationToken);

    public Task<IReadOnlyList<Incident>> FindAsync(IncidentFilter filter, CancellationToken cancellationToken = default) =>
        provider.FindAsync(ForViewer(filter), cancellationToken);

    public Task<int> CountAsync(IncidentFilter filter, CancellationToken cancellationToken = default) =>
        provider.CountAsync(ForViewer(filter), cancellationToken);

    public async Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(long number, TimelineQuery query, CancellationToken cancellationToken = default) =>
        await CanSeeAsync(number, cancellationToken) ? await provider.GetTimelineAsync(number, query, cancellationToken) : [];

    public async Task<IReadOnlyList<TimelineEntry>> GetEntriesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        var entries = await provider.GetEntriesAsync(ids, cancellationToken);
        if (IncidentViewer.Current.SeesEveryIncident || entries.Count == 0)
        {
            return entries;
        }

        var seen = await SeenAsync([.. entries.Select(e => e.IncidentNumber).Distinct()], cancellationToken);
        return [.. entries.Where(e => seen.Contains(e.IncidentNumber))];
    }

    public async Task<IReadOnlyList<TimelineEntry>> GetChangesAfterAsync(
        long number, long afterEntryId, int limit = 200, CancellationToken cancellationToken = default) =>
        await CanSeeAsync(number, cancellationToken) ? await provider.GetChangesAfterAsync(number, afterEntryId, limit, cancellationToken) : [];

    public async Task<TimelineEntry?> GetLastEntryByAsync(
        long number, string actorId, TimelineCursor before, CancellationToken cancellationToken = default) =>
        await CanSeeAsync(number, cancellationToken) ? await provider.GetLastEntryByAsync(number, actorId, before, cancellationToken) : null;

    public Task<string?> GetLatestMessageTsAsync(string channelId, CancellationToken cancellationToken = default) =>
        provider.GetLatestMessageTsAsync(channelId, cancellationToken);

    public async Task<IReadOnlyDictionary<long, DateTimeOffset>> GetLastUpdatesAsync(
        IReadOnlyCollection<long> numbers, CancellationToken cancellationToken = default)
    {
        var updates = await provider.GetLastUpdatesAsync(numbers, cancellationToken);
        if (IncidentViewer.Current.SeesEveryIncident || updates.Count == 0)
        {
            return updates;
        }

        var seen = await SeenAsync([.. updates.Keys], cancellationToken);
        return updates.Where(u => seen.Contains(u.Key)).ToDictionary();
    }

    public async Task<int> CountMessagesAsync(long number, CancellationToken cancellationToken = default) =>
        await CanSeeAsync(number, cancellationToken) ? await provider.CountMessagesAsync(number, cancellationToken) : 0;

    public Task<IReadOnlyList<string>> GetServiceNamesAsync(CancellationToken cancellationToken = default) =>
        GetServiceNamesAsync(IncidentAudience.Everyone, cancellationToken);

    public Task<IReadOnlyList<string>> GetServiceNamesAsync(IncidentAudience audience, CancellationToken cancellationToken = default) =>
        provider.GetServiceNamesAsync(IncidentViewer.Current.Intersect(audience), cancellationToken);

    public Task<IncidentStats> GetStatsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        GetStatsAsync(since, until, IncidentAudience.Everyone, cancellationToken);

    public Task<IncidentStats> GetStatsAsync(
        DateTimeOffset since, DateTimeOffset until, IncidentAudience audience, CancellationToken cancellationToken = default) =>
        provider.GetStatsAsync(since, until, IncidentViewer.Current.Intersect(audience), cancellationToken);

    public async Task<IReadOnlyList<PostmortemDraft>> GetPostmortemDraftsAsync(long number, CancellationToken cancellationToken = default) =>
        await CanSeeAsync(number, cancellationToken) ? await provider.GetPostmortemDraftsAsync(number, cancellationToken) : [];

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => provider.IsReachableAsync(cancellationToken);

    /// <summary>The filter narrowed to what the audience of the work under way sees.</summary>
    public static IncidentFilter ForViewer(IncidentFilter filter) =>
        IncidentViewer.Current.SeesEveryIncident ? filter : filter with { Audience = IncidentViewer.Current.Intersect(filter.Audience) };

    private static Incident? Visible(Incident? incident) =>
        incident is not null && IncidentViewer.Current.CanSee(incident) ? incident : null;

    /// <summary>One count, not a load, for the reads by number of an audience that does not see every incident.</summary>
    private async Task<bool> CanSeeAsync(long number, CancellationToken cancellationToken) =>
        IncidentViewer.Current.CanSeePrivate(number)
        || await provider.CountAsync(ForViewer(new IncidentFilter { Numbers = [number] }), cancellationToken) > 0;

    /// <summary>Which of these incidents the audience sees.</summary>
    private async Task<HashSet<long>> SeenAsync(IReadOnlyCollection<long> numbers, CancellationToken cancellationToken)
    {
        var seen = await provider.FindAsync(
            ForViewer(new IncidentFilter { Numbers = numbers, Limit = IncidentFilter.MaxLimit }), cancellationToken);
        return [.. seen.Select(i => i.Number)];
    }
}

/// <summary>The provider's search, seen by the audience of the work under way, as <see cref="AudienceReader"/>.</summary>
public sealed class AudienceSearch(IIncidentSearch provider) : IIncidentSearch
{
    public Task<IReadOnlyList<IncidentTextMatch>> MatchAsync(SearchTerms terms, IncidentFilter filter, CancellationToken cancellationToken = default) =>
        provider.MatchAsync(terms, AudienceReader.ForViewer(filter), cancellationToken);
}
