using IncidentBot.Assistant;
using IncidentBot.Incidents;
using IncidentBot.Storage;

namespace IncidentBot.Tests.Assistant;

/// <summary>The sections of a draft of <see cref="QuestionWorld"/>'s INC-4; each test its own world, since drafting writes.</summary>
public sealed class PostmortemSectionTests : IAsyncLifetime
{
    private readonly QuestionWorld world = new();

    public Task InitializeAsync() => world.InitializeAsync();

    public Task DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task TheRootCauseIsTheCauseAndTheResolutionIsTheFixEachSaidOnce()
    {
        var draft = Assert.IsType<PostmortemDraft>((await world.Assistant.DraftPostmortemAsync(4, SeededWorld.Alice)).Draft).Markdown;

        var rootCause = Section(draft, "## Root cause");
        Assert.Contains("lowered the connection pool from 50 to 5", rootCause);
        Assert.DoesNotContain("Shipped v2.14.1", rootCause);
        Assert.DoesNotContain("Rolled back", rootCause);

        var resolution = Section(draft, "## Resolution");
        Assert.Contains("Mitigation: Rolled back checkout-api to v2.13.2", resolution);
        Assert.Contains("Resolution: Shipped v2.14.1 with the pool size back at 50", resolution);
        Assert.Equal(1, Count(resolution, "Rolled back checkout-api to v2.13.2"));
        Assert.DoesNotContain("lowered the connection pool", resolution);
        Assert.DoesNotContain("Status changed", resolution);
        Assert.DoesNotContain("Status changed", Section(draft, "## Summary"));
    }

    [Fact]
    public async Task APostThatRepeatsASummaryAddsItsSourceToTheSummarysLine()
    {
        var draft = Assert.IsType<PostmortemDraft>((await world.Assistant.DraftPostmortemAsync(4, SeededWorld.Alice)).Draft).Markdown;

        var line = Section(draft, "## Resolution").Split('\n').Single(l => l.Contains("Rolled back checkout-api to v2.13.2"));
        Assert.Equal(2, Count(line, "["));
    }

    [Fact]
    public async Task WithoutAStatedCauseTheHypothesesAreGivenAsUnconfirmed()
    {
        await world.EditAsync(8, new IncidentEdit { Status = IncidentStatus.Resolved }, SeededWorld.Alice);
        for (var i = 0; i < 5; i++)
        {
            await world.SayAsync(8, SeededWorld.Bob, $"traffic check {i}: normal");
        }

        var draft = Assert.IsType<PostmortemDraft>((await world.Assistant.DraftPostmortemAsync(8, SeededWorld.Alice)).Draft).Markdown;

        var rootCause = Section(draft, "## Root cause");
        Assert.Contains("Not stated in the timeline", rootCause);
        Assert.Contains("Hypotheses raised during the incident, not confirmed", rootCause);
        Assert.Contains("the attack targets /search", rootCause);
    }

    [Fact]
    public async Task TheRefusalForAShortTimelineSaysWhatCountsAsAMessageAndHowManyThereAre()
    {
        var answer = await world.Assistant.DraftPostmortemAsync(3, SeededWorld.Erin);

        Assert.Null(answer.Draft);
        Assert.StartsWith("INC-3 has 2 timeline messages; a postmortem draft needs at least 15", answer.Refusal);
        Assert.Contains("A message is one written in the incident's Slack channel, or an update, action or resolution posted to it", answer.Refusal);
        Assert.Contains("status, severity and commander changes", answer.Refusal);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static string Section(string markdown, string heading) => PostmortemDraftTests.Section(markdown, heading);
}
