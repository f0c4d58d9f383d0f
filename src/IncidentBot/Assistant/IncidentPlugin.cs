using System.ComponentModel;
using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.SemanticKernel;

namespace IncidentBot.Assistant;

/// <summary>
/// The read-only functions a model may call (a Semantic Kernel plugin of <see cref="KernelFunctionAttribute"/>
/// methods, named <c>incidents-find</c> and so on), and that the deterministic cores call too, so both see the
/// same data the same way. Nothing here changes anything.
/// </summary>
public sealed class IncidentPlugin(IIncidentReader incidents, IIncidentSearch search, TimeProvider time)
{
    public const int MaxTimelinePage = TimelineQuery.MaxLimit;

    /// <summary>The plugin's name in the kernel; the model sees each function as <c>incidents-&lt;function&gt;</c>.</summary>
    public const string Name = "incidents";

    public const string Find = "find";
    public const string Count = "count";
    public const string Get = "get";
    public const string GetTimeline = "get_timeline";
    public const string SearchHistory = "search_history";
    public const string ListServices = "list_services";

    /// <summary>The functions a model may run; any other is refused, whatever plugin it comes from.</summary>
    public static readonly IReadOnlySet<string> ReadOnlyFunctions =
        new HashSet<string>([Find, Count, Get, GetTimeline, SearchHistory, ListServices], StringComparer.Ordinal);

    [KernelFunction(Find)]
    [Description("Finds incidents by status, severity, service and time frame (incidents open at some moment in it), most recent first.")]
    public Task<IReadOnlyList<Incident>> FindIncidentsAsync(
        [Description("Statuses to keep: active, stable, resolved, completed. Empty for any.")] IReadOnlyCollection<IncidentStatus>? statuses = null,
        [Description("Severities to keep, SEV-1 (critical) to SEV-5. Empty for any.")] IReadOnlyCollection<Severity>? severities = null,
        [Description("Service names; incidents with any of them are kept.")] IReadOnlyCollection<string>? services = null,
        [Description("Start of the time frame (UTC).")] DateTimeOffset? since = null,
        [Description("End of the time frame (UTC); now when absent.")] DateTimeOffset? until = null,
        [Description("At most this many incidents (1-100).")] int limit = 20,
        CancellationToken cancellationToken = default) =>
        incidents.FindAsync(Filter(statuses, severities, services, since, until, limit), cancellationToken);

    [KernelFunction(Count)]
    [Description("Counts incidents by status, severity, service and time frame.")]
    public Task<int> CountIncidentsAsync(
        [Description("Statuses to count: active, stable, resolved, completed. Empty for any.")] IReadOnlyCollection<IncidentStatus>? statuses = null,
        [Description("Severities to count, SEV-1 (critical) to SEV-5. Empty for any.")] IReadOnlyCollection<Severity>? severities = null,
        [Description("Service names; incidents with any of them are counted.")] IReadOnlyCollection<string>? services = null,
        [Description("Start of the time frame (UTC).")] DateTimeOffset? since = null,
        [Description("End of the time frame (UTC); now when absent.")] DateTimeOffset? until = null,
        CancellationToken cancellationToken = default) =>
        incidents.CountAsync(Filter(statuses, severities, services, since, until, 1), cancellationToken);

    [KernelFunction(Get)]
    [Description("Gets one incident: title, severity, status, commander, services, impact, summaries, links and times.")]
    public async Task<Incident> GetIncidentAsync(
        [Description("The incident reference, e.g. INC-42.")] string reference, CancellationToken cancellationToken = default)
    {
        var number = Number(reference);
        return await incidents.GetRequiredAsync(number, cancellationToken);
    }

    [KernelFunction(GetTimeline)]
    [Description("Gets a page of an incident's timeline, oldest first. Pass the nextCursor of a page to get the next one.")]
    public async Task<TimelinePage> GetTimelinePageAsync(
        [Description("The incident reference, e.g. INC-42.")] string reference,
        [Description("The nextCursor of the previous page; absent for the first page.")] string? cursor = null,
        [Description("Entries per page (1-1000).")] int limit = 200,
        CancellationToken cancellationToken = default)
    {
        var number = Number(reference);
        TimelineCursor? after = null;
        if (cursor is not null && !TimelineCursor.TryParse(cursor, out after))
        {
            throw new IncidentValidationException("cursor", "The cursor must be the nextCursor of the previous page.");
        }

        var query = new TimelineQuery { After = after, Limit = Math.Clamp(limit, 1, MaxTimelinePage) };
        var entries = await incidents.GetTimelineAsync(number, query, cancellationToken);
        if (entries.Count == 0 && after is null && await incidents.GetAsync(number, cancellationToken) is null)
        {
            throw new IncidentNotFoundException(number);
        }

        return new TimelinePage(entries, entries.Count == query.Limit ? TimelineCursor.Of(entries[^1]).ToString() : null);
    }

    [KernelFunction(SearchHistory)]
    [Description("Searches incident history by words (titles, services, details and timeline messages), best match first.")]
    public Task<IReadOnlyList<IncidentTextMatch>> SearchHistoryAsync(
        [Description("Words to look for.")] string query,
        [Description("Start of the time frame (UTC); absent for all history.")] DateTimeOffset? since = null,
        [Description("End of the time frame (UTC); now when absent.")] DateTimeOffset? until = null,
        [Description("Statuses to keep. Empty for any.")] IReadOnlyCollection<IncidentStatus>? statuses = null,
        [Description("An incident to leave out, e.g. the one being discussed.")] string? excludeReference = null,
        [Description("At most this many incidents (1-100).")] int limit = 10,
        CancellationToken cancellationToken = default) =>
        SearchAsync(SearchWords.Terms(query), new IncidentFilter
        {
            Statuses = statuses,
            ActiveFrom = since,
            ActiveUntil = until ?? time.GetUtcNow(),
            ExcludeNumber = excludeReference is null ? null : Number(excludeReference),
            Limit = Math.Clamp(limit, 1, 100),
        }, cancellationToken);

    [KernelFunction(ListServices)]
    [Description("Lists the names of all services incidents have affected.")]
    public Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken = default) =>
        incidents.GetServiceNamesAsync(cancellationToken);

    /// <summary>The same search with words already chosen, for the deterministic cores.</summary>
    internal Task<IReadOnlyList<IncidentTextMatch>> SearchAsync(SearchTerms terms, IncidentFilter filter, CancellationToken cancellationToken) =>
        search.MatchAsync(terms, filter, cancellationToken);

    internal Task<IReadOnlyList<Incident>> FindAsync(IncidentFilter filter, CancellationToken cancellationToken) =>
        incidents.FindAsync(filter, cancellationToken);

    internal Task<int> CountAsync(IncidentFilter filter, CancellationToken cancellationToken) =>
        incidents.CountAsync(filter, cancellationToken);

    private IncidentFilter Filter(
        IReadOnlyCollection<IncidentStatus>? statuses,
        IReadOnlyCollection<Severity>? severities,
        IReadOnlyCollection<string>? services,
        DateTimeOffset? since,
        DateTimeOffset? until,
        int limit) => new()
        {
            Statuses = statuses,
            Severities = severities,
            Services = services,
            ActiveFrom = since,
            ActiveUntil = until ?? (since is null ? null : time.GetUtcNow()),
            Limit = Math.Clamp(limit, 1, 100),
        };

    private static long Number(string reference) =>
        IncidentReference.TryParse(reference, out var number)
            ? number
            : throw new IncidentValidationException("reference", $"'{reference}' is not an incident reference; write {IncidentReference.Accepted}.");
}

/// <summary>A page of a timeline; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, string? NextCursor);
