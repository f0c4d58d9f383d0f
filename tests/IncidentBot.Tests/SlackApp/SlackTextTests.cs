using IncidentBot.SlackApp;

namespace IncidentBot.Tests.SlackApp;

public sealed class SlackTextTests
{
    [Theory]
    [InlineData("U012AB3CD", "<@U012AB3CD>")]
    [InlineData("W0ENTERPRISE", "<@W0ENTERPRISE>")]
    [InlineData("github:octocat", "`github:octocat`")]
    [InlineData("<script>&", "`&lt;script&gt;&amp;`")]
    [InlineData(null, "someone")]
    [InlineData("", "someone")]
    public void APersonIsAMentionWhenTheyAreASlackUserAndCodeOtherwise(string? id, string expected)
    {
        Assert.Equal(expected, SlackText.Person(id));
    }

    [Fact]
    public void ATimeShowsInTheReadersZoneWithAUtcFallback()
    {
        var time = new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);

        Assert.Equal("<!date^1700000000^{date_short_pretty} {time}|2023-11-14 22:13 UTC>", SlackText.Time(time));
    }

    [Fact]
    public void DurationsReadAsInTheAssistantsAnswers()
    {
        Assert.Equal("1 h 30 min", SlackText.Duration(TimeSpan.FromMinutes(90)));
    }

    [Fact]
    public void ChannelsAndEscapedTextAreMrkdwn()
    {
        Assert.Equal("<#C123>", SlackText.Channel("C123"));
        Assert.Equal("a &lt;@U1&gt; &amp; b", SlackText.Escape("a <@U1> & b"));
    }
}
