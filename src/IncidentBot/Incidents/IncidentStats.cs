namespace IncidentBot.Incidents;

public sealed record ServiceCount(string Service, int Incidents);

/// <summary>One incident declared in the window, as the figures need it.</summary>
public sealed record IncidentFigures(Severity Severity, IncidentStatus Status, TimeSpan? TimeToResolve);

/// <summary>Figures over the incidents declared in a window. MTTR counts only incidents that are resolved.</summary>
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
    IReadOnlyList<ServiceCount> TopServices)
{
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
            Mean(resolved.Select(i => i.TimeToResolve!.Value)),
            Median(resolved.Select(i => i.TimeToResolve!.Value)),
            resolved.GroupBy(i => i.Severity).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Mean(g.Select(i => i.TimeToResolve!.Value))!.Value),
            topServices);
    }

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
