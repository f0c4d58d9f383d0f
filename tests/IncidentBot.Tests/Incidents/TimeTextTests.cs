using IncidentBot.Incidents;

namespace IncidentBot.Tests.Incidents;

public sealed class TimeTextTests
{
    [Theory]
    [InlineData(0, "under a minute")]
    [InlineData(59, "under a minute")]
    [InlineData(-3_600, "under a minute")]
    [InlineData(60, "1 min")]
    [InlineData(5 * 60 + 59, "5 min")]
    [InlineData(3_600, "1 h")]
    [InlineData(3_600 + 5 * 60, "1 h 5 min")]
    [InlineData(23 * 3_600 + 59 * 60, "23 h 59 min")]
    [InlineData(86_400, "1 d")]
    [InlineData(86_400 + 59 * 60, "1 d")]
    [InlineData(3 * 86_400 + 4 * 3_600 + 30 * 60, "3 d 4 h")]
    [InlineData(30 * 86_400, "30 d")]
    public void ADurationIsWrittenInItsTwoLargestUnits(int seconds, string expected)
    {
        Assert.Equal(expected, TimeText.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void AMomentIsWrittenInUtcToTheMinute()
    {
        var time = new DateTimeOffset(2026, 11, 2, 10, 30, 59, TimeSpan.FromHours(1));

        Assert.Equal("2026-11-02 09:30 UTC", TimeText.Utc(time));
    }
}
