namespace IncidentBot.Incidents;

public sealed record ServiceCount(string Service, int Incidents);

/// <summary>One incident declared in the window, as the figures need it.</summary>
public sealed record IncidentFigures(
    Severity Severity, IncidentStatus Status, TimeSpan? TimeToResolve, DateTimeOffset DeclaredAt = default, TimeSpan? TimeToDetect = null);

/// <summary>How many incidents were declared in one week (from Monday, UTC) or one calendar month.</summary>
public sealed record FrequencyBucket(DateOnly Start, int Total, IReadOnlyDictionary<Severity, int> BySeverity);

/// <summary>
/// Figures over the incidents declared in a window. MTTR counts only incidents that are resolved; MTTD only those
/// whose impact start is known.
/// </summary>
public sealed record IncidentStats(
    DateTimeOffset Since,
    DateTimeOffset Until,
    int Total,
    int Open,
    IReadOnlyDictionary<Severity, int> BySeverity,
    IReadOnlyDictionary<IncidentStatus, int> ByStatus,
    TimeSpan? MeanTimeToResolve,
    TimeSpan? MedianTimeToResolve,
    IReadOnlyDictionary<Severity, TimeSpan> MeanTimeToResolveBySeverity,
    IReadOnlyList<ServiceCount> TopServices,
    TimeSpan? MeanTimeToDetect,
    IReadOnlyList<FrequencyBucket> PerWeek,
    IReadOnlyList<FrequencyBucket> PerMonth)
{
    /// <summary>Buckets of a longer window start at its last ten years, so a window reaching far back stays small.</summary>
    private static readonly TimeSpan MaxBucketedSpan = TimeSpan.FromDays(3653);
    private static readonly DateTime LastBucketed = DateTime.MaxValue.AddMonths(-1);

    public static IncidentStats Compute(
        DateTimeOffset since, DateTimeOffset until, IReadOnlyList<IncidentFigures> incidents, IReadOnlyList<ServiceCount> topServices)
    {
        var resolved = incidents.Where(i => i.TimeToResolve is not null).ToList();
        return new IncidentStats(
            since,
            until,
            incidents.Count,
            incidents.Count(i => i.Status.IsOpen()),
            Enum.GetValues<Severity>().ToDictionary(s => s, s => incidents.Count(i => i.Severity == s)),
            Enum.GetValues<IncidentStatus>().ToDictionary(s => s, s => incidents.Count(i => i.Status == s)),
            MeanTimeToResolveOf(incidents.Select(i => i.TimeToResolve)),
            Median(resolved.Select(i => i.TimeToResolve!.Value)),
            resolved.GroupBy(i => i.Severity).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Mean(g.Select(i => i.TimeToResolve!.Value))!.Value),
            topServices,
            MeanTimeToDetectOf(incidents.Select(i => i.TimeToDetect)),
            Buckets(since, until, incidents, WeekStart, start => start.AddDays(7)),
            Buckets(since, until, incidents, MonthStart, start => start.AddMonths(1)));
    }

    /// <summary>The MTTR of these incidents: the mean of the times to resolve of those resolved; null when none is.</summary>
    public static TimeSpan? MeanTimeToResolveOf(IEnumerable<TimeSpan?> timesToResolve) => Mean(timesToResolve.OfType<TimeSpan>());

    /// <summary>The MTTD of these incidents: the mean of the times to detect of those whose impact start is known; null when none is.</summary>
    public static TimeSpan? MeanTimeToDetectOf(IEnumerable<TimeSpan?> timesToDetect) => Mean(timesToDetect.OfType<TimeSpan>());

    private static IReadOnlyList<FrequencyBucket> Buckets(
        DateTimeOffset since, DateTimeOffset until, IReadOnlyList<IncidentFigures> incidents, Func<DateOnly, DateOnly> startOf, Func<DateOnly, DateOnly> next)
    {
        var from = until - since > MaxBucketedSpan ? until - MaxBucketedSpan : since;
        var counts = incidents.ToLookup(i => startOf(DateOnly.FromDateTime(i.DeclaredAt.UtcDateTime)), i => i.Severity);
        var buckets = new List<FrequencyBucket>();
        // The last month of the calendar has no next month to step to.
        var last = DateOnly.FromDateTime(until.UtcDateTime < LastBucketed ? until.UtcDateTime : LastBucketed);
        for (var start = startOf(DateOnly.FromDateTime(from.UtcDateTime)); start <= last; start = next(start))
        {
            var severities = counts[start].ToList();
            buckets.Add(new FrequencyBucket(start, severities.Count, Enum.GetValues<Severity>().ToDictionary(s => s, s => severities.Count(x => x == s))));
        }

        return buckets;
    }

    private static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static DateOnly MonthStart(DateOnly day) => new(day.Year, day.Month, 1);

    private static TimeSpan? Mean(IEnumerable<TimeSpan> durations)
    {
        var list = durations.ToList();
        return list.Count == 0 ? null : TimeSpan.FromTicks((long)list.Average(d => (double)d.Ticks));
    }

    private static TimeSpan? Median(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
