using IncidentBot.Incidents;
using static IncidentBot.Tests.Incidents.Samples;

namespace IncidentBot.Tests.Incidents;

public sealed class IncidentStatsTests
{
    private static readonly DateTimeOffset Since = At(-60 * 24 * 7);
    private static readonly DateTimeOffset Until = T0;

    private static IncidentFigures Resolved(Severity severity, int minutes, IncidentStatus status = IncidentStatus.Resolved) =>
        new(severity, status, TimeSpan.FromMinutes(minutes));

    private static IncidentFigures Open(Severity severity, IncidentStatus status = IncidentStatus.Active) =>
        new(severity, status, null);

    private static IncidentStats Compute(params IncidentFigures[] incidents) => IncidentStats.Compute(Since, Until, incidents, []);

    [Fact]
    public void MeanAndMedianOfAnOddNumberOfResolvedIncidents()
    {
        var stats = Compute(Resolved(Severity.Sev1, 10), Resolved(Severity.Sev2, 60), Resolved(Severity.Sev3, 20));

        Assert.Equal(TimeSpan.FromMinutes(30), stats.MeanTimeToResolve);
        Assert.Equal(TimeSpan.FromMinutes(20), stats.MedianTimeToResolve);
    }

    [Fact]
    public void MedianOfAnEvenNumberOfResolvedIncidentsIsTheMeanOfTheMiddleTwo()
    {
        var stats = Compute(
            Resolved(Severity.Sev1, 100), Resolved(Severity.Sev1, 10), Resolved(Severity.Sev2, 30), Resolved(Severity.Sev2, 20));

        Assert.Equal(TimeSpan.FromMinutes(40), stats.MeanTimeToResolve);
        Assert.Equal(TimeSpan.FromMinutes(25), stats.MedianTimeToResolve);
    }

    [Fact]
    public void OpenIncidentsCountInTotalsButNotInTimeToResolve()
    {
        var stats = Compute(
            Resolved(Severity.Sev1, 10),
            Resolved(Severity.Sev1, 30, IncidentStatus.Completed),
            Open(Severity.Sev1),
            Open(Severity.Sev2, IncidentStatus.Stable));

        Assert.Equal(4, stats.Total);
        Assert.Equal(2, stats.Open);
        Assert.Equal(TimeSpan.FromMinutes(20), stats.MeanTimeToResolve);
        Assert.Equal(TimeSpan.FromMinutes(20), stats.MedianTimeToResolve);
    }

    [Fact]
    public void CountsBySeverityAndStatusListEveryValueIncludingZeros()
    {
        var stats = Compute(
            Open(Severity.Sev1),
            Open(Severity.Sev1, IncidentStatus.Stable),
            Resolved(Severity.Sev3, 5),
            Resolved(Severity.Unknown, 5, IncidentStatus.Completed),
            Open(Severity.Sev3));

        Assert.Equal(
            new Dictionary<Severity, int>
            {
                [Severity.Unknown] = 1,
                [Severity.Sev1] = 2,
                [Severity.Sev2] = 0,
                [Severity.Sev3] = 2,
                [Severity.Sev4] = 0,
                [Severity.Sev5] = 0,
            },
            stats.BySeverity);
        Assert.Equal(
            new Dictionary<IncidentStatus, int>
            {
                [IncidentStatus.Active] = 2,
                [IncidentStatus.Stable] = 1,
                [IncidentStatus.Resolved] = 1,
                [IncidentStatus.Completed] = 1,
            },
            stats.ByStatus);
        Assert.Equal(3, stats.Open);
        Assert.Equal(5, stats.Total);
    }

    [Fact]
    public void MeanTimeToResolveBySeverityCoversOnlySeveritiesWithResolvedIncidents()
    {
        var stats = Compute(
            Resolved(Severity.Sev1, 10),
            Resolved(Severity.Sev1, 50),
            Resolved(Severity.Sev4, 90),
            Open(Severity.Sev2));

        Assert.Equal(
            new Dictionary<Severity, TimeSpan>
            {
                [Severity.Sev1] = TimeSpan.FromMinutes(30),
                [Severity.Sev4] = TimeSpan.FromMinutes(90),
            },
            stats.MeanTimeToResolveBySeverity);
    }

    [Fact]
    public void WithoutResolvedIncidentsTimeToResolveIsNull()
    {
        var stats = Compute(Open(Severity.Sev1), Open(Severity.Sev2, IncidentStatus.Stable));

        Assert.Null(stats.MeanTimeToResolve);
        Assert.Null(stats.MedianTimeToResolve);
        Assert.Empty(stats.MeanTimeToResolveBySeverity);
        Assert.Equal(2, stats.Open);
    }

    [Fact]
    public void WithoutIncidentsEverythingIsZeroOrNull()
    {
        var stats = Compute();

        Assert.Equal(0, stats.Total);
        Assert.Equal(0, stats.Open);
        Assert.All(stats.BySeverity.Values, count => Assert.Equal(0, count));
        Assert.All(stats.ByStatus.Values, count => Assert.Equal(0, count));
        Assert.Null(stats.MeanTimeToResolve);
        Assert.Null(stats.MedianTimeToResolve);
    }

    [Fact]
    public void WindowAndTopServicesArePassedThrough()
    {
        IReadOnlyList<ServiceCount> top = [new("api", 3), new("db", 1)];

        var stats = IncidentStats.Compute(Since, Until, [Open(Severity.Sev1)], top);

        Assert.Equal(Since, stats.Since);
        Assert.Equal(Until, stats.Until);
        Assert.Equal(top, stats.TopServices);
    }

    [Fact]
    public void TimeToResolveFromTheLifecycleFeedsTheStatistics()
    {
        var first = Incident().MoveTo(IncidentStatus.Resolved, At(45));
        var second = Incident() with { DeclaredAt = At(10), Severity = Severity.Sev1 };
        second = second.MoveTo(IncidentStatus.Completed, At(25));

        var stats = Compute(
            new IncidentFigures(first.Severity, first.Status, first.TimeToResolve),
            new IncidentFigures(second.Severity, second.Status, second.TimeToResolve));

        Assert.Equal(TimeSpan.FromMinutes(30), stats.MeanTimeToResolve);
        Assert.Equal(TimeSpan.FromMinutes(15), stats.MeanTimeToResolveBySeverity[Severity.Sev1]);
        Assert.Equal(TimeSpan.FromMinutes(45), stats.MeanTimeToResolveBySeverity[Severity.Sev2]);
    }
}
