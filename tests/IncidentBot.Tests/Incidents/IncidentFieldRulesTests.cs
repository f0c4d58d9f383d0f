using IncidentBot.Incidents;

namespace IncidentBot.Tests.Incidents;

public sealed class IncidentFieldRulesTests
{
    [Theory]
    [InlineData("U123", "U123")]
    [InlineData("  U123 ", "U123")]
    [InlineData("<@U123>", "U123")]
    [InlineData("<@U123|bob>", "U123")]
    [InlineData("<@W0ABC|bob smith>", "W0ABC")]
    [InlineData("github:octocat", "github:octocat")]
    public void UserIdAcceptsSlackIdsMentionsAndOtherIds(string text, string expected)
    {
        Assert.Equal(expected, IncidentFieldRules.UserId(text, "actor"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void UserIdOfNothingIsNull(string? text)
    {
        Assert.Null(IncidentFieldRules.UserId(text, "actor"));
    }

    [Fact]
    public void UserIdWithWhitespaceOrTooLongFailsOnTheGivenField()
    {
        var spaced = Assert.Throws<IncidentValidationException>(() => IncidentFieldRules.UserId("bob smith", "commanderId"));
        var tooLong = Assert.Throws<IncidentValidationException>(() => IncidentFieldRules.UserId(new string('U', 65), "commanderId"));

        Assert.Equal("commanderId", Assert.Single(spaced.Errors).Key);
        Assert.Equal("commanderId", Assert.Single(tooLong.Errors).Key);
        Assert.Equal(new string('U', 64), IncidentFieldRules.UserId(new string('U', 64), "commanderId"));
    }

    [Fact]
    public void DetailIsTrimmedAndEmptyDetailIsNull()
    {
        Assert.Equal("a  b", IncidentFieldRules.Detail("  a  b \n", "description"));
        Assert.Null(IncidentFieldRules.Detail("   ", "description"));
        Assert.Null(IncidentFieldRules.Detail(null, "description"));
    }

    [Fact]
    public void DetailOverTheLimitFailsOnTheGivenField()
    {
        var error = Assert.Throws<IncidentValidationException>(() => IncidentFieldRules.Detail(new string('d', 4_001), "impact"));

        Assert.Equal("impact", Assert.Single(error.Errors).Key);
        Assert.Equal(4_000, IncidentFieldRules.Detail(new string('d', 4_000), "impact")!.Length);
    }

    [Fact]
    public void ServicesOfNullIsEmpty()
    {
        Assert.Empty(IncidentFieldRules.Services(null));
    }

    [Fact]
    public void ServicesDeduplicatedBelowTheLimitAreAccepted()
    {
        var services = Enumerable.Range(1, 30).Select(i => $"svc{i}").Concat(["SVC1", " svc2 "]).ToList();

        Assert.Equal(30, IncidentFieldRules.Services(services).Count);
    }

    [Theory]
    [InlineData("https://example.com/alerts/1")]
    [InlineData("http://example.com")]
    [InlineData("alert-1234")]
    [InlineData("abc:def")]
    public void LinkTargetAcceptsIdsAndHttpUrls(string target)
    {
        Assert.Equal(target, IncidentFieldRules.LinkTarget(target));
    }
}
