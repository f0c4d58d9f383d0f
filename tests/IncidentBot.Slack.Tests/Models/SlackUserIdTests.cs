using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Tests.Models;

public sealed class SlackUserIdTests
{
    [Theory]
    [InlineData("U012AB3CD")]
    [InlineData("W0ENTERPRISE")]
    [InlineData("U1")]
    public void UAndWIdsOfUpperCaseLettersAndDigitsAreUserIds(string id)
    {
        Assert.True(SlackUserId.TryParse(id, out var user));
        Assert.Equal(id, user.Value);
        Assert.Equal(id, user.ToString());
        Assert.True(SlackUserId.IsValid(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("U")]
    [InlineData("u012ab3cd")]
    [InlineData("C012AB3CD")]
    [InlineData("B012AB3CD")]
    [InlineData("U012 AB3")]
    [InlineData("U012-AB3")]
    [InlineData("<@U012AB3CD>")]
    [InlineData("github:octocat")]
    public void AnythingElseIsNot(string? id)
    {
        Assert.False(SlackUserId.TryParse(id, out var user));
        Assert.Equal(default, user);
        Assert.False(SlackUserId.IsValid(id));
        Assert.Throws<FormatException>(() => SlackUserId.Parse(id ?? ""));
    }

    [Fact]
    public void TheMentionIsTheIdInAngleBrackets()
    {
        Assert.Equal("<@U012AB3CD>", SlackUserId.Parse("U012AB3CD").Mention);
    }

    [Theory]
    [InlineData("<@U012AB3CD>", "U012AB3CD")]
    [InlineData("<@U012AB3CD|alice>", "U012AB3CD")]
    [InlineData("<@W0ABC|bob smith>", "W0ABC")]
    [InlineData("<@U1|>", "U1")]
    public void AMentionIsReadWithOrWithoutTheName(string text, string expected)
    {
        Assert.True(SlackUserId.TryParseMention(text, out var user));
        Assert.Equal(expected, user.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("U012AB3CD")]
    [InlineData("<@>")]
    [InlineData("<@u012ab3cd>")]
    [InlineData("<#C012AB3CD>")]
    [InlineData("<@U012AB3CD")]
    [InlineData(" <@U012AB3CD>")]
    [InlineData("<@U1> <@U2>")]
    [InlineData("<@U1|a> b>")]
    public void OnlyAWholeMentionIsAMention(string? text)
    {
        Assert.False(SlackUserId.TryParseMention(text, out _));
    }

    [Fact]
    public void TwoIdsAreEqualWhenTheirTextIs()
    {
        Assert.Equal(SlackUserId.Parse("U1"), SlackUserId.Parse("U1"));
        Assert.NotEqual(SlackUserId.Parse("U1"), SlackUserId.Parse("W1"));
        Assert.Equal("", default(SlackUserId).Value);
    }
}
