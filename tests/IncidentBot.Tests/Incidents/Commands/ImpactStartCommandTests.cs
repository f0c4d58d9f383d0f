using IncidentBot.Incidents.Commands;

namespace IncidentBot.Tests.Incidents.Commands;

public sealed class ImpactStartCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("impact-start 20 min ago", "2026-11-02T09:10:00Z")]
    [InlineData("impact-start 2 hours ago", "2026-11-02T07:30:00Z")]
    [InlineData("impact-start 08:45", "2026-11-02T08:45:00Z")]
    [InlineData("impact-start 8:45 UTC", "2026-11-02T08:45:00Z")]
    [InlineData("impact-start 23:50", "2026-11-01T23:50:00Z")]
    [InlineData("impact-start 2026-11-01T22:15:00Z", "2026-11-01T22:15:00Z")]
    [InlineData("impact-start 2026-11-02 06:00", "2026-11-02T06:00:00Z")]
    public void TheTimeIsReadAsOfNowInUtc(string text, string expected)
    {
        var command = Assert.IsType<ImpactStartCommand>(IncidentCommandParser.Parse(text));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), command.Resolve(Now));
    }

    [Fact]
    public void AReferenceMayComeFirst()
    {
        var command = Assert.IsType<ImpactStartCommand>(IncidentCommandParser.Parse("impact-start INC-42 10 min ago"));

        Assert.Equal(42, command.Reference);
    }

    [Theory]
    [InlineData("impact-start")]
    [InlineData("impact-start soon")]
    [InlineData("impact-start 12")]
    [InlineData("impact-start 25:00")]
    public void AnythingElseGetsAUsageLine(string text)
    {
        var invalid = Assert.IsType<InvalidCommand>(IncidentCommandParser.Parse(text));

        Assert.Contains("/incident impact-start", invalid.Usage);
    }
}
