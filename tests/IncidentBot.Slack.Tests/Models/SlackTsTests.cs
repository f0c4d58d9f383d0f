using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Tests.Models;

public sealed class SlackTsTests
{
    [Fact]
    public void ATsIsSecondsAndMicrosecondsSinceTheEpochKeptAsWritten()
    {
        var ts = SlackTs.Parse("1700000000.000100");

        Assert.Equal(1_700_000_000, ts.Seconds);
        Assert.Equal(100, ts.Microseconds);
        Assert.Equal("1700000000.000100", ts.Value);
        Assert.Equal("1700000000.000100", ts.ToString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_000), ts.ToDateTimeOffset());
    }

    [Theory]
    [InlineData("1700000000", 0)]
    [InlineData("1700000000.5", 500_000)]
    [InlineData("1700000000.000001", 1)]
    [InlineData("253402300799.999999", 999_999)]
    public void ShorterFractionsAndWholeSecondsAreRead(string text, int microseconds)
    {
        Assert.True(SlackTs.TryParse(text, out var ts));
        Assert.Equal(microseconds, ts.Microseconds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".5")]
    [InlineData("1700000000.")]
    [InlineData("1700000000.0000001")]
    [InlineData("-1700000000.000100")]
    [InlineData("+1700000000.000100")]
    [InlineData(" 1700000000.000100")]
    [InlineData("1.7e9")]
    [InlineData("1700000000,000100")]
    [InlineData("1700000000.000100.1")]
    [InlineData("253402300800.000000")]
    [InlineData("99999999999999999999.000000")]
    public void AnythingElseIsNotATs(string? text)
    {
        Assert.False(SlackTs.TryParse(text, out var ts));
        Assert.Equal(default, ts);
        Assert.Throws<FormatException>(() => SlackTs.Parse(text ?? ""));
    }

    [Fact]
    public void AMomentBecomesTheTsSlackWouldWriteToTheMicrosecond()
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_239); // 123.9 µs

        var ts = SlackTs.FromDateTimeOffset(time);

        Assert.Equal("1700000000.000123", ts.Value);
        Assert.Equal(ts, SlackTs.Parse("1700000000.000123"));
        Assert.Equal(time.AddTicks(-9), ts.ToDateTimeOffset());
        Assert.Equal("0.000000", SlackTs.FromDateTimeOffset(DateTimeOffset.UnixEpoch).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => SlackTs.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddTicks(-1)));
    }

    [Fact]
    public void MessagesMicrosecondsApartAreOrderedByTime()
    {
        var first = SlackTs.Parse("1700000000.000100");
        var second = SlackTs.Parse("1700000000.000101");
        var later = SlackTs.Parse("1700000001");

        Assert.True(first < second);
        Assert.True(second > first);
        Assert.True(second < later);
        Assert.True(first <= SlackTs.Parse("1700000000.000100"));
        Assert.Equal([first, second, later], new[] { later, second, first }.Order());
    }

    [Fact]
    public void IdentityIsTheExactStringEvenWhenTwoSpellingsNameOneMoment()
    {
        var short_ = SlackTs.Parse("1700000000.5");
        var padded = SlackTs.Parse("1700000000.500000");

        Assert.Equal(short_.ToDateTimeOffset(), padded.ToDateTimeOffset());
        Assert.NotEqual(short_, padded);
        Assert.NotEqual(0, short_.CompareTo(padded));
        Assert.Equal(SlackTs.Parse("1700000000.5"), short_);
        Assert.Equal(0, short_.CompareTo(SlackTs.Parse("1700000000.5")));
    }
}
