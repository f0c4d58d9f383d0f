using IncidentBot.Incidents;

namespace IncidentBot.Tests.Incidents;

public sealed class IncidentStatusTextTests
{
    [Theory]
    [InlineData("active", IncidentStatus.Active)]
    [InlineData("declared", IncidentStatus.Active)]
    [InlineData("investigating", IncidentStatus.Active)]
    [InlineData("stable", IncidentStatus.Stable)]
    [InlineData("mitigated", IncidentStatus.Stable)]
    [InlineData("resolved", IncidentStatus.Resolved)]
    [InlineData("closed", IncidentStatus.Resolved)]
    [InlineData("fixed", IncidentStatus.Resolved)]
    [InlineData("completed", IncidentStatus.Completed)]
    [InlineData("ACTIVE", IncidentStatus.Active)]
    [InlineData("Investigating", IncidentStatus.Active)]
    [InlineData("MITIGATED", IncidentStatus.Stable)]
    [InlineData("Closed", IncidentStatus.Resolved)]
    [InlineData("  fixed  ", IncidentStatus.Resolved)]
    [InlineData("\tCompleted ", IncidentStatus.Completed)]
    public void EveryStatusNameAndAliasParses(string text, IncidentStatus expected)
    {
        Assert.True(IncidentStatusText.TryParse(text, out var status));
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("open")]
    [InlineData("done")]
    [InlineData("complete")]
    [InlineData("resolve")]
    [InlineData("activ")]
    [InlineData("active!")]
    [InlineData("1")]
    [InlineData("stable resolved")]
    public void UnknownStatusNamesAreRejected(string? text)
    {
        Assert.False(IncidentStatusText.TryParse(text, out _));
    }

    [Theory]
    [InlineData(IncidentStatus.Active, "active")]
    [InlineData(IncidentStatus.Stable, "stable")]
    [InlineData(IncidentStatus.Resolved, "resolved")]
    [InlineData(IncidentStatus.Completed, "completed")]
    public void ToLabelWritesTheLowerCaseNameAndItParsesBack(IncidentStatus status, string label)
    {
        Assert.Equal(label, status.ToLabel());
        Assert.True(IncidentStatusText.TryParse(label, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData(IncidentStatus.Active, true)]
    [InlineData(IncidentStatus.Stable, true)]
    [InlineData(IncidentStatus.Resolved, false)]
    [InlineData(IncidentStatus.Completed, false)]
    public void OnlyActiveAndStableIncidentsAreOpen(IncidentStatus status, bool open)
    {
        Assert.Equal(open, status.IsOpen());
    }
}
