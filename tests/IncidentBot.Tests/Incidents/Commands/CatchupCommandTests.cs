using IncidentBot.Assistant;
using IncidentBot.Incidents.Commands;

namespace IncidentBot.Tests.Incidents.Commands;

public sealed class CatchupCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("catchup since 30m", "2026-11-02T09:00:00Z")]
    [InlineData("catchup since 20 min ago", "2026-11-02T09:10:00Z")]
    [InlineData("catchup since 2 hours", "2026-11-02T07:30:00Z")]
    [InlineData("catchup since 08:45", "2026-11-02T08:45:00Z")]
    [InlineData("catchup since 2026-11-01T22:15:00Z", "2026-11-01T22:15:00Z")]
    public void TheTimeIsReadAsImpactStartReadsIt(string text, string expected)
    {
        var command = Assert.IsType<CatchupCommand>(IncidentCommandParser.Parse(text));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), command.Since!.Resolve(Now));
    }

    [Fact]
    public void WithoutATimeItIsSinceTheLastLook()
    {
        var command = Assert.IsType<CatchupCommand>(IncidentCommandParser.Parse("catchup INC-42"));

        Assert.Equal(42, command.Reference);
        Assert.Null(command.Since);
    }

    [Theory]
    [InlineData("catchup since")]
    [InlineData("catchup since lunch")]
    [InlineData("catchup yesterday")]
    public void AnythingElseGetsAUsageLine(string text)
    {
        var invalid = Assert.IsType<InvalidCommand>(IncidentCommandParser.Parse(text));

        Assert.Contains("/incident catchup", invalid.Usage);
    }

    [Theory]
    [InlineData("what did I miss?")]
    [InlineData("what have I missed since 08:00?")]
    [InlineData("catch up")]
    public void AskingWhatOneMissedIsACatchUp(string question)
    {
        var asked = QuestionParser.Parse(question, Now, currentIncident: 4);

        Assert.Equal(QuestionKind.Catchup, asked.Kind);
        Assert.Equal(4, asked.Incident);
    }

    [Fact]
    public void ATimeFrameInTheQuestionIsWhereTheCatchUpStarts()
    {
        var asked = QuestionParser.Parse("what did I miss since 08:00?", Now, currentIncident: 4);

        Assert.Equal(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero), asked.Since);
    }
}
