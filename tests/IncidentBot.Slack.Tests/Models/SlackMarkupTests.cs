using System.Text.RegularExpressions;
using IncidentBot.Slack.Models;

namespace IncidentBot.Slack.Tests.Models;

public sealed class SlackMarkupTests
{
    [Fact]
    public void EveryKindOfMarkupIsFoundInOrderWithItsPlace()
    {
        const string text = "<!here> <@U1|bob> paged <@W2> in <#C3|ops> <#C4>, see <https://x.example/a?b=1&amp;c=2|the dash> <!subteam^S5|@oncall>";

        var entities = SlackMarkup.Parse(text);

        Assert.Collection(entities,
            e => Assert.Equal(new SlackSpecialMention("here", "<!here>", 0, null), e),
            e => Assert.Equal(new SlackUserMention(SlackUserId.Parse("U1"), "<@U1|bob>", 8, "bob"), e),
            e => Assert.Equal(new SlackUserMention(SlackUserId.Parse("W2"), "<@W2>", 24, null), e),
            e => Assert.Equal(new SlackChannelMention("C3", "<#C3|ops>", 33, "ops"), e),
            e => Assert.Equal(new SlackChannelMention("C4", "<#C4>", 43, null), e),
            e => Assert.Equal(new SlackLink("https://x.example/a?b=1&amp;c=2", "<https://x.example/a?b=1&amp;c=2|the dash>", 54, "the dash"), e),
            e => Assert.Equal(new SlackSpecialMention("subteam^S5", "<!subteam^S5|@oncall>", 97, "@oncall"), e));
        Assert.All(entities, e => Assert.Equal(e.Markup, text.Substring(e.Index, e.Markup.Length)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("no markup &lt;here&gt;")]
    [InlineData("<@> <@u1> <@C1> <#> <!> <>")]
    [InlineData("<@U1")]
    public void BrokenOrNoMarkupGivesNothing(string? text)
    {
        Assert.Empty(SlackMarkup.Parse(text));
    }

    [Fact]
    public void TheInnermostCompleteMarkupCounts()
    {
        var mention = Assert.IsType<SlackUserMention>(Assert.Single(SlackMarkup.Parse("<<@U1>")));

        Assert.Equal(1, mention.Index);
    }

    [Fact]
    public void ThePeopleMentionedAreListedInOrderOncePerMention()
    {
        Assert.Equal(
            [SlackUserId.Parse("U2"), SlackUserId.Parse("U1"), SlackUserId.Parse("U2")],
            SlackMarkup.UserMentions("<@U2> asked <@U1|alice>, then <@U2|bob> again; <#C1> and <!here> are no people"));
    }

    [Fact]
    public void ReplaceRewritesOnlyTheMarkup()
    {
        var text = SlackMarkup.Replace("ask <@U1|alice> & <#C1|ops>", e => e is SlackUserMention m ? m.User.Mention : e.Label ?? e.Markup);

        Assert.Equal("ask <@U1> & ops", text);
        Assert.Equal("nothing here", SlackMarkup.Replace("nothing here", _ => "x"));
    }

    [Fact]
    public void EscapingTurnsTheThreeReservedCharactersIntoEntitiesAndBack()
    {
        const string typed = "a <b> & <@U1> 'c' \"d\" &amp;";

        var escaped = SlackMarkup.Escape(typed);

        Assert.Equal("a &lt;b&gt; &amp; &lt;@U1&gt; 'c' \"d\" &amp;amp;", escaped);
        Assert.Empty(SlackMarkup.Parse(escaped));
        Assert.Equal(typed, SlackMarkup.Unescape(escaped));
    }

    [Theory]
    [InlineData("make <@U123> the commander", "U123")]
    [InlineData("make <@W0ALICE|alice> the commander", "W0ALICE")]
    public void TheMentionPatternFindsTheSameIdsAsTheParser(string text, string id)
    {
        var match = Regex.Match(text, SlackMarkup.UserMentionPattern);

        Assert.Equal(id, match.Groups["user"].Value);
        Assert.Equal(SlackUserId.Parse(id), Assert.Single(SlackMarkup.UserMentions(text)));
    }
}
